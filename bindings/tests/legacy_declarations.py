"""Checks the PowerBuilder and VB6 declarations against aimis.h and libaimis's exports,
since neither language has a compiler here: every declared function is exported and
declared with the header's parameters, each passed as that language must pass its C
type (32-bit), and every `_into` function of the header (but the one taking C string arrays) is
declared in both.

The examples given after them (PowerBuilder `.pbl.txt`, VB6 `.bas`) call only functions
their language's file declares.

usage: legacy_declarations.py aimis.h libaimis.so n_aimis.sru Aimis.bas [EXAMPLE...]
"""
import re
import subprocess
import sys

header_path, library, pb_path, vb_path, *examples = sys.argv[1:]

# C type -> (PowerBuilder type, VB6 passing and type), for 32-bit programs.
EXPECTED = {
    "const char *": ("string", "ByVal String"),
    "char *": ("ref string", "ByVal String"),
    "size_t *": ("ref ulong", "ByRef Long"),
    "size_t": ("ulong", "ByVal Long"),
    "uint32_t": ("ulong", "ByVal Long"),
    "int32_t": ("long", "ByVal Long"),
    "uint64_t": ("longlong", "ByVal Currency"),
    "int64_t": ("longlong", "ByVal Currency"),
    "double": ("double", "ByVal Double"),
    "bool": ("byte", "ByVal Byte"),
    "aimis_text_encoding": ("long", "ByVal Long"),
    "enum aimis_result": ("long", "Long"),
    "void": (None, None),
}


def expected(ctype):
    ctype = " ".join(ctype.split())
    if re.fullmatch(r"(const )?struct \w+ \*", ctype):
        return ("ulong", "ByVal Long")
    if re.fullmatch(r"struct \w+ \*\*", ctype):
        return ("ref ulong", "ByRef Long")
    return EXPECTED.get(ctype, ("?" + ctype, "?" + ctype))


header = re.sub(r"/\*.*?\*/", "", open(header_path, encoding="utf-8").read(), flags=re.S)
# The calling convention is the header's business (stdcall on 32-bit Windows): both
# languages declare stdcall functions, so only the types are compared.
header = header.replace("AIMIS_CALL ", "")
prototypes = {}
for ret, name, args in re.findall(r"^([a-z][\w ]*?\s*\*?)\s*(aimis_\w+)\(([^)]*)\);", header, re.M):
    params = [] if args.strip() in ("", "void") else [
        re.match(r"(.*?)(\w+)$", a.strip()).group(1).strip() for a in args.split(",")
    ]
    prototypes[name] = (ret.strip(), params)

exports = set(subprocess.run(["nm", "-D", "--defined-only", library], capture_output=True,
                             text=True, check=True).stdout.split())
errors = []

pb = open(pb_path, encoding="ascii", newline="").read()
vb = open(vb_path, encoding="ascii", newline="").read()
for text, what in ((pb, "PowerBuilder"), (vb, "VB6")):
    if "\n" in text.replace("\r\n", ""):
        errors.append(f"{what}: not CRLF throughout")

pb_decls = re.findall(
    r'^(?:FUNCTION (\w+)|SUBROUTINE) (\w+)\(([^)]*)\) LIBRARY "aimis\.dll" ALIAS FOR "(\w+);ansi"\r$',
    pb, re.M)
vb_decls = re.findall(
    r'^Public Declare (?:Function|Sub) (\w+) Lib "aimis\.dll" \(([^)]*)\)(?: As (\w+))?\r$', vb, re.M)

for ret, name, args, alias in pb_decls:
    if alias != name:
        errors.append(f"PowerBuilder {name}: alias {alias}")
    if name not in exports or name not in prototypes:
        errors.append(f"PowerBuilder {name}: not exported by libaimis / not in aimis.h")
        continue
    cret, cparams = prototypes[name]
    got = [" ".join(a.split()[:-1]) for a in args.split(",") if a.strip()]
    want = [expected(p)[0] for p in cparams]
    if got != want or (ret or None) != expected(cret)[0]:
        errors.append(f"PowerBuilder {name}: declared {ret} ({got}), aimis.h needs {expected(cret)[0]} ({want})")

for name, args, ret in vb_decls:
    if name not in exports or name not in prototypes:
        errors.append(f"VB6 {name}: not exported by libaimis / not in aimis.h")
        continue
    cret, cparams = prototypes[name]
    got = [f"{a.split()[0]} {a.split()[-1]}" for a in args.split(",") if a.strip()]
    want = [expected(p)[1] for p in cparams]
    wret = expected(cret)[1]
    if got != want or (ret or None) != (wret.split()[-1] if wret else None):
        errors.append(f"VB6 {name}: declared {ret} ({got}), aimis.h needs {wret} ({want})")

for name in prototypes:
    # (Neither language has arrays of C strings: verify_headers_into is left out.)
    if name.endswith("_into") and "const char *const *" not in prototypes[name][1]:
        for decls, what in ((pb_decls, "PowerBuilder"), (vb_decls, "VB6")):
            if not any(name in d for d in decls):
                errors.append(f"{what}: {name} is not declared")

for example in examples:
    declared = {d[1] for d in pb_decls} if example.endswith(".pbl.txt") else {d[0] for d in vb_decls}
    for name in sorted(set(re.findall(r"\b(aimis_\w+)\(?", open(example, encoding="utf-8").read()))):
        if name not in declared:
            errors.append(f"{example}: calls {name}, which is not declared")

for e in errors:
    print(e)
print(f"{len(pb_decls)} PowerBuilder and {len(vb_decls)} VB6 declarations checked")
sys.exit(1 if errors or not pb_decls or not vb_decls else 0)
