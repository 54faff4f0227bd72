//! `bindings/csharp/Aimis.cs`: P/Invoke declarations (Winapi: stdcall on x86 Windows, strings as explicit UTF-8
//! byte arrays), SafeHandles for the handles, and `AimisClient : IDisposable`.

use std::fmt::Write;

use super::{Api, CType, Func, banner, camel_snake, comment, escape_markup, setters};

pub const FILE: &str = "bindings/csharp/Aimis.cs";

fn handle_class(handle: &str) -> String {
    format!("{}Handle", camel_snake(handle))
}

fn enum_type(name: &str) -> String {
    camel_snake(name)
}

/// The P/Invoke type of an argument or return value.
fn native_type(ty: &CType, func: &Func) -> String {
    match ty {
        CType::Void => "void".into(),
        CType::Str => "byte[]".into(),
        CType::StaticStr => "IntPtr".into(),
        CType::StrOut => "out IntPtr".into(),
        // Each element a NUL-terminated string the caller allocated (Marshal.AllocHGlobal).
        CType::StrArray => "IntPtr[]".into(),
        CType::Buffer | CType::Handle(_) if func.is_free() => "IntPtr".into(),
        CType::Buffer => "byte[]".into(),
        CType::SizeOut => "out UIntPtr".into(),
        CType::Handle(h) => handle_class(h),
        CType::HandleOut(h) => format!("out {}", handle_class(h)),
        CType::Size => "UIntPtr".into(),
        CType::U64 => "ulong".into(),
        CType::U32 => "uint".into(),
        CType::I64 => "long".into(),
        CType::I32 => "int".into(),
        CType::F64 => "double".into(),
        CType::Bool => "[MarshalAs(UnmanagedType.I1)] bool".into(),
        CType::Enum(name) => enum_type(name),
    }
}

/// The idiomatic type of a setter argument, and how it is passed on.
fn wrapper_arg(ty: &CType, name: &str) -> (String, String) {
    match ty {
        CType::Str => ("string".into(), format!("Utf8.Encode({name})")),
        CType::Bool => ("bool".into(), name.into()),
        other => (native_type(other, &NO_FUNC), name.into()),
    }
}

const NO_FUNC: Func = Func {
    name: String::new(),
    ret: CType::Void,
    args: Vec::new(),
    doc: Vec::new(),
};

fn xml_doc(lines: &[String], indent: &str) -> String {
    let escaped: Vec<String> = lines.iter().map(|l| escape_markup(l)).collect();
    format!(
        "{indent}/// <summary>\n{}{indent}/// </summary>\n",
        comment(&escaped, &format!("{indent}/// "))
    )
}

pub fn render(api: &Api) -> String {
    let mut out = String::new();
    out.push_str(&banner("// "));
    let _ = write!(
        out,
        "// libaimis {version} for C# (.NET Framework 4+, .NET 6+, Mono). Needs aimis.dll\n\
         // (Windows) or libaimis.so (Linux) where the runtime finds native libraries.\n\
         using System;\n\
         using System.Runtime.InteropServices;\n\
         using System.Text;\n\n\
         namespace Aimis\n{{\n",
        version = api.version
    );
    for e in &api.enums {
        out.push_str(&xml_doc(&e.doc, "    "));
        let _ = writeln!(out, "    public enum {}\n    {{", enum_type(&e.name));
        for v in &e.variants {
            out.push_str(&xml_doc(&v.doc, "        "));
            let _ = writeln!(out, "        {} = {},", e.short_name(v), v.value);
        }
        out.push_str("    }\n\n");
    }
    for h in &api.handles {
        let class = handle_class(h);
        let _ = write!(
            out,
            "    /// <summary>An owned <c>{h} *</c>, freed with <c>{h}_free</c> when disposed.</summary>\n\
             \x20   public sealed class {class} : SafeHandle\n    {{\n\
             \x20       public {class}() : base(IntPtr.Zero, true) {{ }}\n\
             \x20       public override bool IsInvalid {{ get {{ return handle == IntPtr.Zero; }} }}\n\
             \x20       protected override bool ReleaseHandle() {{ NativeMethods.{h}_free(handle); return true; }}\n\
             \x20   }}\n\n"
        );
    }
    out.push_str(
        "    /// <summary>The C functions of libaimis, as aimis.h declares them. Winapi is the\n\
         \x20   /// convention of AIMIS_CALL: stdcall in the x86 aimis.dll, the platform's only one\n\
         \x20   /// elsewhere (x64 Windows, Linux). <c>Library</c> \"aimis\" is aimis.dll on Windows,\n\
         \x20   /// libaimis.so elsewhere. Strings\n\
         \x20   /// are NUL-terminated byte arrays: UTF-8 from <see cref=\"Utf8.Encode\"/>, or GB18030\n\
         \x20   /// bytes where a GB18030 encoding was chosen. Strings returned through <c>out IntPtr</c>\n\
         \x20   /// are freed with <c>aimis_string_free</c>.</summary>\n\
         \x20   public static class NativeMethods\n    {\n\
         \x20       public const string Library = \"aimis\";\n\n",
    );
    for f in &api.functions {
        out.push_str(&xml_doc(&f.doc, "        "));
        let args: Vec<String> = f
            .args
            .iter()
            .map(|a| format!("{} @{}", native_type(&a.ty, f), a.name))
            .collect();
        let ret = native_type(&f.ret, f);
        let ret_attr = if f.ret == CType::Bool {
            "        [return: MarshalAs(UnmanagedType.I1)]\n"
        } else {
            ""
        };
        let ret = ret.trim_start_matches("[MarshalAs(UnmanagedType.I1)] ");
        let _ = write!(
            out,
            "        [DllImport(Library, CallingConvention = CallingConvention.Winapi, ExactSpelling = true)]\n\
             {ret_attr}        public static extern {ret} {name}({args});\n\n",
            name = f.name,
            args = args.join(", ")
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

fn exceptions(api: &Api) -> String {
    let codes = api.result_enum();
    let mut out = String::from(
        "    /// <summary>A libaimis call failed: <see cref=\"Result\"/> says how, <see cref=\"ApiCode\"/>\n\
         \x20   /// is the platform's code for <c>AimisResult.Api</c> (else 0), the message says why\n\
         \x20   /// (never patient data or the token).</summary>\n\
         \x20   public class AimisException : Exception\n    {\n\
         \x20       public AimisResult Result { get; private set; }\n\
         \x20       public long ApiCode { get; private set; }\n\
         \x20       public AimisException(AimisResult result, long apiCode, string message)\n\
         \x20           : base(message) { Result = result; ApiCode = apiCode; }\n\n\
         \x20       /// <summary>The exception for a failed call on this thread: its code, the last API\n\
         \x20       /// code and the last error message.</summary>\n\
         \x20       public static AimisException FromLastError(AimisResult result)\n        {\n\
         \x20           string message = Utf8.Read(NativeMethods.aimis_last_error_message());\n\
         \x20           long apiCode = NativeMethods.aimis_last_api_code();\n\
         \x20           return new AimisException(result, apiCode, Utf8.Read(NativeMethods.aimis_result_name((int)result)) + \": \" + message);\n\
         \x20       }\n\n\
         \x20       /// <summary>Throws for any result but Ok.</summary>\n\
         \x20       public static void Check(AimisResult result)\n        {\n\
         \x20           if (result != AimisResult.Ok) throw FromLastError(result);\n\
         \x20       }\n",
    );
    let _ = writeln!(
        out,
        "        /// <summary>The codes this version knows: {}.</summary>\n    }}\n",
        codes.variants.len()
    );
    out
}

fn options(api: &Api) -> String {
    let mut out = String::from(
        "    /// <summary>Client options (timeouts, retries, proxy, CA certificates, text encoding...);\n\
         \x20   /// every setter checks its value at once and throws AimisException if refused.</summary>\n\
         \x20   public sealed class AimisOptions : IDisposable\n    {\n\
         \x20       /// <summary>The native handle, for the NativeMethods functions.</summary>\n\
         \x20       public readonly AimisOptionsHandle Handle;\n\
         \x20       public AimisOptions() { AimisException.Check(NativeMethods.aimis_options_new(out Handle)); }\n\
         \x20       public void Dispose() { Handle.Dispose(); }\n\n",
    );
    for (method, f) in setters(api, "aimis_options") {
        let mut params = Vec::new();
        let mut pass = vec!["Handle".to_owned()];
        for a in &f.args[1..] {
            let (ty, expr) = wrapper_arg(&a.ty, &format!("@{}", a.name));
            params.push(format!("{ty} @{}", a.name));
            pass.push(expr);
        }
        out.push_str(&xml_doc(&f.doc, "        "));
        let _ = write!(
            out,
            "        public AimisOptions {method}({})\n        {{\n\
             \x20           AimisException.Check(NativeMethods.{}({}));\n\
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
        "    /// <summary>A client of the AIMIS platform. Thread-safe: share one between threads.\n\
         \x20   /// Requests and answers are JSON text with the vendor's camelCase names; patient data\n\
         \x20   /// goes in as plaintext (libaimis encrypts and signs).</summary>\n\
         \x20   public sealed class AimisClient : IDisposable\n    {\n\
         \x20       private readonly AimisClientHandle handle;\n\n\
         \x20       /// <summary>The native handle, for the NativeMethods functions (such as the _into\n\
         \x20       /// ones); it stays the client's.</summary>\n\
         \x20       public AimisClientHandle Handle { get { return handle; } }\n\n\
         \x20       /// <summary>baseUrl null: production. options: null for the defaults; it may be\n\
         \x20       /// disposed once the client is made.</summary>\n\
         \x20       public AimisClient(string appId, string token, string baseUrl = null, AimisOptions options = null)\n        {\n\
         \x20           AimisException.Check(options == null\n\
         \x20               ? NativeMethods.aimis_client_new(Utf8.Encode(appId), Utf8.Encode(token), Utf8.Encode(baseUrl), out handle)\n\
         \x20               : NativeMethods.aimis_client_new_with_options(Utf8.Encode(appId), Utf8.Encode(token),\n\
         \x20                   Utf8.Encode(baseUrl), options.Handle, out handle));\n\
         \x20       }\n\n\
         \x20       /// <summary>Calls an endpoint by name (patientStudies, patient_studies or\n\
         \x20       /// patient-studies) with a JSON request; returns the response data as JSON.</summary>\n\
         \x20       public string Call(string endpoint, string requestJson)\n        {\n\
         \x20           IntPtr response;\n\
         \x20           AimisException.Check(NativeMethods.aimis_client_call(handle, Utf8.Encode(endpoint), Utf8.Encode(requestJson), out response));\n\
         \x20           return Utf8.TakeString(response);\n\
         \x20       }\n\n",
    );
    for e in &api.endpoints {
        out.push_str(&xml_doc(&e.doc, "        "));
        let _ = write!(
            out,
            "        public string {}(string requestJson) {{ return Call(\"{}\", requestJson); }}\n\n",
            e.method, e.name
        );
    }
    out.push_str("        public void Dispose() { handle.Dispose(); }\n    }\n\n");
    out
}

const STATIC_PART: &str = r#"    /// <summary>The stateless functions: callback verification, the field cipher, signing.</summary>
    public static class AimisFunctions
    {
        /// <summary>The libaimis version, such as "0.1.0".</summary>
        public static string Version { get { return Utf8.Read(NativeMethods.aimis_version()); } }

        /// <summary>Verifies a status callback (headers appId, timestamp, signature; null if
        /// absent) and returns it as JSON with phoneNum and idNum decrypted. Throws
        /// AimisException with CallbackRejected or CallbackMalformed otherwise.</summary>
        public static string VerifyCallback(string appId, string token, string headerAppId,
            string headerTimestamp, string headerSignature, byte[] body)
        {
            IntPtr json;
            byte[] raw = body ?? new byte[0];
            AimisException.Check(NativeMethods.aimis_callback_verify(Utf8.Encode(appId), Utf8.Encode(token),
                Utf8.Encode(headerAppId), Utf8.Encode(headerTimestamp), Utf8.Encode(headerSignature),
                raw, (UIntPtr)raw.Length, out json));
            return Utf8.TakeString(json);
        }

        /// <summary>AES-256-ECB, PKCS#7, lowercase hex, as the platform expects.</summary>
        public static string EncryptField(string token, string plaintext)
        {
            IntPtr hex;
            AimisException.Check(NativeMethods.aimis_encrypt_field(Utf8.Encode(token), Utf8.Encode(plaintext), out hex));
            return Utf8.TakeString(hex);
        }

        public static string DecryptField(string token, string hex)
        {
            IntPtr text;
            AimisException.Check(NativeMethods.aimis_decrypt_field(Utf8.Encode(token), Utf8.Encode(hex), out text));
            return Utf8.TakeString(text);
        }

        /// <summary>The signature header for appId and timestamp (ms since the epoch).</summary>
        public static string Sign(string appId, string token, string timestampMs)
        {
            IntPtr signature;
            AimisException.Check(NativeMethods.aimis_sign(Utf8.Encode(appId), Utf8.Encode(token), Utf8.Encode(timestampMs), out signature));
            return Utf8.TakeString(signature);
        }
    }

    /// <summary>Explicit UTF-8 marshalling of strings to and from libaimis.</summary>
    public static class Utf8
    {
        /// <summary>The NUL-terminated UTF-8 bytes of s; null stays null. A string holding
        /// a NUL character is refused (C would see it cut short).</summary>
        public static byte[] Encode(string s)
        {
            if (s == null) return null;
            if (s.IndexOf('\0') >= 0) throw new ArgumentException("a string passed to libaimis contains a NUL character");
            byte[] text = Encoding.UTF8.GetBytes(s);
            byte[] z = new byte[text.Length + 1];
            Buffer.BlockCopy(text, 0, z, 0, text.Length);
            return z;
        }

        /// <summary>The bytes of a NUL-terminated C string, without the NUL.</summary>
        public static byte[] ReadBytes(IntPtr p)
        {
            if (p == IntPtr.Zero) return null;
            int n = 0;
            while (Marshal.ReadByte(p, n) != 0) n++;
            byte[] bytes = new byte[n];
            Marshal.Copy(p, bytes, 0, n);
            return bytes;
        }

        /// <summary>A NUL-terminated UTF-8 string libaimis owns.</summary>
        public static string Read(IntPtr p)
        {
            byte[] bytes = ReadBytes(p);
            return bytes == null ? null : Encoding.UTF8.GetString(bytes);
        }

        /// <summary>A string libaimis handed over: read, then freed (and wiped).</summary>
        public static string TakeString(IntPtr p)
        {
            try { return Read(p); } finally { NativeMethods.aimis_string_free(p); }
        }
    }
"#;
