"""Writes callbacks.json and crypto.json, the conformance vectors that the Rust, C and
Python suites all run.

The vectors are computed here with an implementation independent of aimis (Python's
hmac and the `cryptography` package), so the suites are checked against the vendor's
rules rather than against themselves. Run it after changing a case, and commit both
the script and its output:

    python3 -m pip install cryptography && python3 tests/vectors/generate.py
"""

import hashlib
import hmac
import json
from pathlib import Path

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

APP_ID = "demo-app"
TOKEN = "0123456789abcdef0123456789abcdef"
NOW_MS = 1_741_338_450_000  # 2025-03-07 09:07:30 UTC, the vendor page's last update
MAX_SKEW_MS = 300_000
HERE = Path(__file__).parent


def encrypt(text: str, token: str = TOKEN) -> str:
    padder = padding.PKCS7(128).padder()
    data = padder.update(text.encode()) + padder.finalize()
    enc = Cipher(algorithms.AES(token.encode()), modes.ECB()).encryptor()
    return (enc.update(data) + enc.finalize()).hex()


def encrypt_raw(data: bytes) -> str:
    """Encrypts bytes as they are (already padded or not), for broken ciphertexts."""
    enc = Cipher(algorithms.AES(TOKEN.encode()), modes.ECB()).encryptor()
    return (enc.update(data) + enc.finalize()).hex()


def sign(app_id: str, timestamp: str, token: str = TOKEN) -> str:
    return hmac.new(token.encode(), (app_id + timestamp).encode(), hashlib.sha256).hexdigest()


def headers(ts_ms: int = NOW_MS - 1000, app_id: str = APP_ID, token: str = TOKEN):
    ts = str(ts_ms)
    return [["appId", app_id], ["timestamp", ts], ["signature", sign(app_id, ts, token)]]


PLAIN = {
    "status": 1,
    "phoneNum": "13800138000",
    "idNum": "110101199003074518",
    "patientId": "P0001",
    "hospitalId": "H0001",
    "hisId": "HIS0001",
    "studyType": 0,
    "studyDate": "2025-03-01 08:30:00",
    "studyId": "S0001",
    "bodyPart": "Chest",
    "studyName": "Chest CT",
    "h5Url": "https://pacs.example/r/R0001",
    "h5DetailUrl": "https://pacs.example/i/R0001",
    "reportId": "R0001",
}


def wire(**changes):
    """The body as the platform sends it; `changes` are applied to the plaintext first,
    a value of None removes the field."""
    plain = {**PLAIN, **changes}
    plain = {k: v for k, v in plain.items() if v is not None}
    for field in ("phoneNum", "idNum"):
        if field in plain and isinstance(plain[field], str):
            plain[field] = encrypt(plain[field])
    return plain


def body(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def accepted(name, hdrs, text, callback):
    return {"name": name, "headers": hdrs, "body": text,
            "expect": {"verdict": "accepted", "callback": callback}}


def refused(name, hdrs, text, reason, field=None):
    expect = {"verdict": "refused", "reason": reason}
    if field is not None:
        expect["field"] = field
    return {"name": name, "headers": hdrs, "body": text, "expect": expect}


def callbacks():
    good = body(wire())
    h = headers()
    minimal = {k: v for k, v in PLAIN.items() if k not in ("hisId", "bodyPart", "studyName")}
    cases = [
        accepted("good", h, good, PLAIN),
        accepted("header names in any case", [[k.upper(), v] for k, v in h], good, PLAIN),
        accepted("optional fields absent", h, body(wire(hisId=None, bodyPart=None, studyName=None)), minimal),
        accepted("unknown fields ignored", h, body({**wire(), "newField": "x"}), PLAIN),
        accepted("unknown status kept", h, body(wire(status=7)), {**PLAIN, "status": 7}),
        accepted("unknown study type kept", h, body(wire(studyType=42)), {**PLAIN, "studyType": 42}),
        accepted("uppercase ciphertext", h,
                 body({**wire(), "phoneNum": encrypt("13800138000").upper()}), PLAIN),
        accepted("rare characters and full-width punctuation", h,
                 body(wire(studyName="𠀀𪚥 胸部ＣＴ（平扫）")), {**PLAIN, "studyName": "𠀀𪚥 胸部ＣＴ（平扫）"}),
        accepted("studyDate in another format kept as sent", h, body(wire(studyDate="2025/03/01 8:30")),
                 {**PLAIN, "studyDate": "2025/03/01 8:30"}),
        accepted("at the edge of the window", headers(NOW_MS - MAX_SKEW_MS), good, PLAIN),
        accepted("the same header twice with the same value", h + [h[0]], good, PLAIN),
        refused("appId missing", h[1:], good, "missing_header"),
        refused("timestamp missing", [h[0], h[2]], good, "missing_header"),
        refused("signature missing", h[:2], good, "missing_header"),
        refused("another appId", headers(app_id="other-app"), good, "app_id_mismatch"),
        refused("timestamp not a number", [h[0], ["timestamp", "soon"], h[2]], good, "bad_timestamp"),
        refused("stale", headers(NOW_MS - MAX_SKEW_MS - 1), good, "stale"),
        refused("from the future", headers(NOW_MS + MAX_SKEW_MS + 1), good, "from_future"),
        refused("signed with another token", headers(token="fedcba9876543210fedcba9876543210"), good, "bad_signature"),
        refused("signature not hex", [h[0], h[1], ["signature", "zz" * 32]], good, "bad_signature"),
        refused("signature truncated", [h[0], h[1], ["signature", h[2][1][:62]]], good, "bad_signature"),
        refused("appId twice, different values", h + [["appId", "other-app"]], good, "duplicate_header"),
        refused("signature twice, different values",
                h + [["signature", sign(APP_ID, str(NOW_MS))]], good, "duplicate_header"),
        refused("body not JSON", h, "not json", "malformed_body"),
        refused("body a JSON array", h, "[]", "malformed_body"),
        refused("body empty", h, "", "malformed_body"),
        refused("duplicate key in the body", h, good[:-1] + ',"reportId":"R9999"}', "malformed_body"),
        refused("required field missing", h, body(wire(reportId=None)), "field", "reportId"),
        refused("required field blank", h, body(wire(studyId="  ")), "field", "studyId"),
        refused("status not a number", h, body(wire(status="ready")), "field", "status"),
        refused("phoneNum not hex", h, body({**wire(), "phoneNum": "not hex"}), "field", "phoneNum"),
        refused("phoneNum of another token", h,
                body({**wire(), "phoneNum": encrypt("13800138000", "fedcba9876543210fedcba9876543210")}),
                "field", "phoneNum"),
        refused("phoneNum decrypts to empty", h, body(wire(phoneNum="")), "field", "phoneNum"),
        refused("idNum decrypts to blank", h, body(wire(idNum="   ")), "field", "idNum"),
        refused("idNum not UTF-8", h, body({**wire(), "idNum": encrypt_raw(b"\xff\xfe" + bytes([14] * 14))}),
                "field", "idNum"),
    ]
    return {"credentials": {"app_id": APP_ID, "token": TOKEN}, "now_ms": NOW_MS,
            "max_skew_seconds": MAX_SKEW_MS // 1000, "cases": cases}


def crypto():
    texts = ["13800138000", "110101199003074518", "", "0123456789abcdef", "张三", "𠀀𪚥（ＣＴ）"]
    return {
        "token": TOKEN,
        "encrypt": [{"plaintext": t, "ciphertext": encrypt(t)} for t in texts],
        "decrypt_errors": [
            {"ciphertext": "not hex", "error": "bad_encoding"},
            {"ciphertext": "abc", "error": "bad_encoding"},
            {"ciphertext": "", "error": "bad_length"},
            {"ciphertext": "00" * 15, "error": "bad_length"},
            {"ciphertext": encrypt("x", "fedcba9876543210fedcba9876543210"), "error": "bad_padding"},
            {"ciphertext": encrypt_raw(b"\xff\xfe" + bytes([14] * 14)), "error": "not_utf8"},
        ],
        "sign": [
            {"app_id": APP_ID, "timestamp": str(NOW_MS), "signature": sign(APP_ID, str(NOW_MS))},
            {"app_id": "A", "timestamp": "0", "signature": sign("A", "0")},
            {"app_id": "partner.hospital-01", "timestamp": "1700000000000",
             "signature": sign("partner.hospital-01", "1700000000000")},
        ],
    }


def write(name, value):
    """Top-level keys one per line, each list item on a line of its own: diffs stay readable."""
    def dump(v):
        return json.dumps(v, ensure_ascii=False, separators=(", ", ": "))
    lines = []
    for key, item in value.items():
        if isinstance(item, list):
            inner = ",\n".join("  " + dump(x) for x in item)
            lines.append(f" {dump(key)}: [\n{inner}\n ]")
        else:
            lines.append(f" {dump(key)}: {dump(item)}")
    (HERE / name).write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")


if __name__ == "__main__":
    write("callbacks.json", callbacks())
    write("crypto.json", crypto())
