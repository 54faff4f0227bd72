//! `bindings/java/aimis/Aimis.java`: one Java 8 source file holding the JNA interface
//! (`Aimis.AimisLibrary`), `Aimis.AimisClient implements AutoCloseable`, options, the
//! stateless functions and the exception hierarchy rooted in `Aimis.AimisException`.

use std::fmt::Write;

use super::{Api, CType, EXCEPTION_FAMILIES, Func, banner, comment, escape_markup, setters};

pub const FILE: &str = "bindings/java/aimis/Aimis.java";

fn native_type(ty: &CType, func: &Func) -> &'static str {
    match ty {
        CType::Void => "void",
        CType::Str => "byte[]",
        CType::StaticStr => "Pointer",
        CType::StrOut | CType::HandleOut(_) => "PointerByReference",
        CType::Buffer if func.is_free() => "Pointer",
        CType::Buffer => "byte[]",
        CType::SizeOut => "SizeTByReference",
        // A `com.sun.jna.StringArray(values, "UTF-8")`.
        CType::Handle(_) | CType::StrArray => "Pointer",
        CType::Size => "SizeT",
        CType::U64 | CType::I64 => "long",
        CType::U32 | CType::I32 | CType::Enum(_) => "int",
        CType::F64 => "double",
        CType::Bool => "byte",
    }
}

/// `timeout_ms` -> `timeoutMs`; Java keywords get a trailing underscore.
fn java_name(name: &str) -> String {
    let camel = super::camel_snake(name);
    let mut chars = camel.chars();
    let lower = chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default();
    match lower.as_str() {
        "out" | "default" | "class" | "new" | "char" | "int" | "long" | "package" => {
            format!("{lower}_")
        }
        _ => lower,
    }
}

fn javadoc(lines: &[String], indent: &str) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let escaped: Vec<String> = lines
        .iter()
        .map(|l| {
            escape_markup(l)
                .replace("*/", "*&#47;")
                .replace('@', "&#64;")
        })
        .collect();
    format!(
        "{indent}/**\n{}{indent} */\n",
        comment(&escaped, &format!("{indent} * "))
    )
}

pub fn render(api: &Api) -> String {
    let mut out = String::new();
    out.push_str(&banner("// "));
    let _ = write!(
        out,
        "// libaimis {version} for Java 8+ through JNA 5 (jna.jar on the class path). libaimis.so\n\
         // or aimis.dll is found on jna.library.path; -Daimis.library=NAME_OR_PATH overrides it.\n\
         package aimis;\n\n\
         import com.sun.jna.IntegerType;\n\
         import com.sun.jna.Library;\n\
         import com.sun.jna.Native;\n\
         import com.sun.jna.Platform;\n\
         import com.sun.jna.Pointer;\n\
         import com.sun.jna.ptr.ByReference;\n\
         import com.sun.jna.ptr.PointerByReference;\n\
         import com.sun.jna.win32.StdCallLibrary;\n\
         import java.nio.charset.StandardCharsets;\n\
         import java.util.HashMap;\n\
         import java.util.Map;\n\n\
         /** libaimis: the AIMIS medical imaging cloud client. */\n\
         public final class Aimis {{\n\
         \x20   private Aimis() {{}}\n\n\
         \x20   /** The version of aimis.h these bindings were generated from. */\n\
         \x20   public static final String BINDINGS_VERSION = \"{version}\";\n\n\
         \x20   /** The options libaimis is loaded with: on 32-bit Windows the exports of aimis.dll are\n\
         \x20    * stdcall (JNA's StdCallLibrary convention), elsewhere the platform's C convention. */\n\
         \x20   public static Map<String, Object> libraryOptions(boolean windows, boolean is64Bit) {{\n\
         \x20       Map<String, Object> options = new HashMap<String, Object>();\n\
         \x20       if (windows && !is64Bit) {{\n\
         \x20           options.put(Library.OPTION_CALLING_CONVENTION, StdCallLibrary.STDCALL_CONVENTION);\n\
         \x20       }}\n\
         \x20       return options;\n\
         \x20   }}\n\n",
        version = api.version
    );
    for e in &api.enums {
        out.push_str(&javadoc(&e.doc, "    "));
        let class = super::camel_snake(e.name.trim_start_matches("aimis_"));
        let _ = writeln!(out, "    public static final class {class} {{");
        let _ = writeln!(out, "        private {class}() {{}}\n");
        for v in &e.variants {
            out.push_str(&javadoc(&v.doc, "        "));
            let short = e.short_name(v);
            let _ = writeln!(
                out,
                "        public static final int {} = {};",
                shouty(&short),
                v.value
            );
        }
        out.push_str("    }\n\n");
    }
    out.push_str(
        "    /** The C functions, as aimis.h declares them (stdcall on 32-bit Windows, else cdecl). Strings are NUL-terminated byte\n\
         \x20    * arrays: UTF-8 from {@link #utf8}, or GB18030 where that encoding was chosen. Strings\n\
         \x20    * returned through a PointerByReference are freed with aimis_string_free. */\n\
         \x20   public interface AimisLibrary extends com.sun.jna.Library {\n\
         \x20       AimisLibrary INSTANCE = Native.load(System.getProperty(\"aimis.library\", \"aimis\"), AimisLibrary.class,\n\
         \x20           libraryOptions(Platform.isWindows(), Platform.is64Bit()));\n\n",
    );
    for f in &api.functions {
        out.push_str(&javadoc(&f.doc, "        "));
        let args: Vec<String> = f
            .args
            .iter()
            .map(|a| format!("{} {}", native_type(&a.ty, f), java_name(&a.name)))
            .collect();
        let _ = writeln!(
            out,
            "        {} {}({});\n",
            native_type(&f.ret, f),
            f.name,
            args.join(", ")
        );
    }
    out.push_str("    }\n\n");
    out.push_str(&exceptions(api));
    out.push_str(&options(api));
    out.push_str(&client(api));
    out.push_str(STATIC_PART);
    out.push_str("}\n");
    out
}

/// `BufferTooSmall` -> `BUFFER_TOO_SMALL`.
fn shouty(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

fn exceptions(api: &Api) -> String {
    let codes = api.result_enum();
    let mut out = String::from(
        "    /** A libaimis call failed: getResult() says how (a Result constant), getApiCode() is\n\
         \x20    * the platform's code for ApiException (else 0), the message says why (never patient\n\
         \x20    * data or the token). */\n\
         \x20   public static class AimisException extends RuntimeException {\n\
         \x20       private static final long serialVersionUID = 1L;\n\
         \x20       private final int result;\n\
         \x20       private final long apiCode;\n\
         \x20       public AimisException(int result, long apiCode, String message) {\n\
         \x20           super(message);\n\
         \x20           this.result = result;\n\
         \x20           this.apiCode = apiCode;\n\
         \x20       }\n\
         \x20       public int getResult() { return result; }\n\
         \x20       public long getApiCode() { return apiCode; }\n\
         \x20   }\n\n",
    );
    for (class, doc, _) in EXCEPTION_FAMILIES {
        let _ = write!(
            out,
            "    /** {doc} */\n\
             \x20   public static class {class} extends AimisException {{\n\
             \x20       private static final long serialVersionUID = 1L;\n\
             \x20       public {class}(int result, long apiCode, String message) {{ super(result, apiCode, message); }}\n\
             \x20   }}\n\n"
        );
    }
    out.push_str(
        "    /** The exception for a failed call on this thread, of the class its code belongs to. */\n\
         \x20   public static AimisException lastError(int result) {\n\
         \x20       AimisLibrary lib = AimisLibrary.INSTANCE;\n\
         \x20       String message = lib.aimis_result_name(result).getString(0, \"UTF-8\") + \": \"\n\
         \x20           + lib.aimis_last_error_message().getString(0, \"UTF-8\");\n\
         \x20       long apiCode = lib.aimis_last_api_code();\n\
         \x20       switch (result) {\n",
    );
    for (class, _, members) in EXCEPTION_FAMILIES {
        for member in *members {
            if let Some(v) = codes.variants.iter().find(|v| v.name == *member) {
                let _ = writeln!(
                    out,
                    "            case Result.{}:",
                    shouty(&codes.short_name(v))
                );
            }
        }
        let _ = writeln!(
            out,
            "                return new {class}(result, apiCode, message);"
        );
    }
    out.push_str(
        "            default:\n\
         \x20               return new AimisException(result, apiCode, message);\n\
         \x20       }\n\
         \x20   }\n\n\
         \x20   /** Throws for any result but Result.OK. */\n\
         \x20   public static void check(int result) {\n\
         \x20       if (result != Result.OK) throw lastError(result);\n\
         \x20   }\n\n",
    );
    out
}

fn options(api: &Api) -> String {
    let mut out = String::from(
        "    /** Client options; every setter checks its value at once (throws if refused). */\n\
         \x20   public static final class Options implements AutoCloseable {\n\
         \x20       private Pointer handle;\n\
         \x20       public Options() {\n\
         \x20           PointerByReference out = new PointerByReference();\n\
         \x20           check(AimisLibrary.INSTANCE.aimis_options_new(out));\n\
         \x20           handle = out.getValue();\n\
         \x20       }\n\
         \x20       /** The native aimis_options *, for the raw AimisLibrary functions. */\n\
         \x20       public synchronized Pointer handle() {\n\
         \x20           if (handle == null) throw new IllegalStateException(\"the options are closed\");\n\
         \x20           return handle;\n\
         \x20       }\n\
         \x20       @Override public synchronized void close() {\n\
         \x20           if (handle != null) { AimisLibrary.INSTANCE.aimis_options_free(handle); handle = null; }\n\
         \x20       }\n\n",
    );
    for (method, f) in setters(api, "aimis_options") {
        let mut params = Vec::new();
        let mut pass = vec!["handle()".to_owned()];
        for a in &f.args[1..] {
            let name = java_name(&a.name);
            let (ty, expr) = match &a.ty {
                CType::Str => ("String", format!("utf8({name})")),
                CType::Bool => ("boolean", format!("(byte) ({name} ? 1 : 0)")),
                CType::Size => ("long", format!("new SizeT({name})")),
                other => (native_type(other, f), name.clone()),
            };
            params.push(format!("{ty} {name}"));
            pass.push(expr);
        }
        let mut chars = method.chars();
        let method = chars
            .next()
            .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
            .unwrap_or_default();
        out.push_str(&javadoc(&f.doc, "        "));
        let _ = write!(
            out,
            "        public Options {method}({}) {{\n\
             \x20           check(AimisLibrary.INSTANCE.{}({}));\n\
             \x20           return this;\n        }}\n\n",
            params.join(", "),
            f.name,
            pass.join(", ")
        );
    }
    out.push_str("    }\n\n");
    out
}

fn client(api: &Api) -> String {
    let mut out = String::from(
        "    /** A client of the AIMIS platform; thread-safe: share one between threads. Requests\n\
         \x20    * and answers are JSON text with the vendor's camelCase names; patient data goes in\n\
         \x20    * as plaintext (libaimis encrypts and signs). */\n\
         \x20   public static final class AimisClient implements AutoCloseable {\n\
         \x20       private Pointer handle;\n\n\
         \x20       /** baseUrl null: production. */\n\
         \x20       public AimisClient(String appId, String token, String baseUrl) { this(appId, token, baseUrl, null); }\n\n\
         \x20       /** options null: the defaults; they may be closed once the client is made. */\n\
         \x20       public AimisClient(String appId, String token, String baseUrl, Options options) {\n\
         \x20           PointerByReference out = new PointerByReference();\n\
         \x20           check(AimisLibrary.INSTANCE.aimis_client_new_with_options(utf8(appId), utf8(token), utf8(baseUrl),\n\
         \x20               options == null ? null : options.handle(), out));\n\
         \x20           handle = out.getValue();\n\
         \x20       }\n\n\
         \x20       /** The native aimis_client *, for the raw AimisLibrary functions (such as the\n\
         \x20        * _into ones); it stays the client's. */\n\
         \x20       public synchronized Pointer handle() {\n\
         \x20           if (handle == null) throw new IllegalStateException(\"the client is closed\");\n\
         \x20           return handle;\n\
         \x20       }\n\n\
         \x20       /** Calls an endpoint by name (patientStudies, patient_studies or patient-studies)\n\
         \x20        * with a JSON request; returns the response data as JSON. */\n\
         \x20       public String call(String endpoint, String requestJson) {\n\
         \x20           PointerByReference response = new PointerByReference();\n\
         \x20           check(AimisLibrary.INSTANCE.aimis_client_call(handle(), utf8(endpoint), utf8(requestJson), response));\n\
         \x20           return takeString(response.getValue());\n\
         \x20       }\n\n",
    );
    for e in &api.endpoints {
        out.push_str(&javadoc(&e.doc, "        "));
        let _ = write!(
            out,
            "        public String {name}(String requestJson) {{ return call(\"{name}\", requestJson); }}\n\n",
            name = e.name
        );
    }
    out.push_str(
        "        /** Frees the client; calls still running on other threads must have returned. */\n\
         \x20       @Override public synchronized void close() {\n\
         \x20           if (handle != null) { AimisLibrary.INSTANCE.aimis_client_free(handle); handle = null; }\n\
         \x20       }\n\
         \x20   }\n\n",
    );
    out
}

const STATIC_PART: &str = r#"    /** The libaimis version, such as "0.1.0". */
    public static String version() {
        return AimisLibrary.INSTANCE.aimis_version().getString(0, "UTF-8");
    }

    /** Verifies a status callback (headers appId, timestamp, signature; null if absent) and
     * returns it as JSON with phoneNum and idNum decrypted; throws CallbackException if it is
     * rejected or malformed. */
    public static String verifyCallback(String appId, String token, String headerAppId,
            String headerTimestamp, String headerSignature, byte[] body) {
        byte[] raw = body == null ? new byte[0] : body;
        PointerByReference json = new PointerByReference();
        check(AimisLibrary.INSTANCE.aimis_callback_verify(utf8(appId), utf8(token), utf8(headerAppId),
            utf8(headerTimestamp), utf8(headerSignature), raw, new SizeT(raw.length), json));
        return takeString(json.getValue());
    }

    /** AES-256-ECB, PKCS#7, lowercase hex, as the platform expects. */
    public static String encryptField(String token, String plaintext) {
        PointerByReference hex = new PointerByReference();
        check(AimisLibrary.INSTANCE.aimis_encrypt_field(utf8(token), utf8(plaintext), hex));
        return takeString(hex.getValue());
    }

    public static String decryptField(String token, String hex) {
        PointerByReference text = new PointerByReference();
        check(AimisLibrary.INSTANCE.aimis_decrypt_field(utf8(token), utf8(hex), text));
        return takeString(text.getValue());
    }

    /** The signature header for appId and timestamp (ms since the epoch). */
    public static String sign(String appId, String token, String timestampMs) {
        PointerByReference signature = new PointerByReference();
        check(AimisLibrary.INSTANCE.aimis_sign(utf8(appId), utf8(token), utf8(timestampMs), signature));
        return takeString(signature.getValue());
    }

    /** The NUL-terminated UTF-8 bytes of s; null stays null; a NUL character is refused. */
    public static byte[] utf8(String s) {
        if (s == null) return null;
        if (s.indexOf('\0') >= 0) throw new IllegalArgumentException("a string passed to libaimis contains a NUL character");
        byte[] text = s.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[text.length + 1];
        System.arraycopy(text, 0, z, 0, text.length);
        return z;
    }

    /** A string libaimis handed over, as UTF-8: read, then freed (and wiped). */
    public static String takeString(Pointer p) {
        try {
            return p.getString(0, "UTF-8");
        } finally {
            AimisLibrary.INSTANCE.aimis_string_free(p);
        }
    }

    /** C's size_t. */
    public static final class SizeT extends IntegerType {
        private static final long serialVersionUID = 1L;
        public SizeT() { this(0); }
        public SizeT(long value) { super(Native.SIZE_T_SIZE, value, true); }
    }

    /** A size_t the library writes (the needed size of the _into functions). */
    public static final class SizeTByReference extends ByReference {
        public SizeTByReference() { super(Native.SIZE_T_SIZE); }
        public long getValue() {
            return Native.SIZE_T_SIZE == 8 ? getPointer().getLong(0) : getPointer().getInt(0) & 0xffffffffL;
        }
    }
"#;
