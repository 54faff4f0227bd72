//! `bindings/pascal/aimis.pas`: a Delphi / Free Pascal unit with `external` declarations
//! of every function (`stdcall` on Win32, as the x86 aimis.dll exports them, else `cdecl`), the result codes as constants, and `TAimisClient`,
//! a wrapper class that raises `EAimisError`.

use std::fmt::Write;

use super::{Api, CType, Func, banner, comment, setters};

pub const FILE: &str = "bindings/pascal/aimis.pas";

fn native_type(ty: &CType) -> String {
    match ty {
        CType::Void => String::new(),
        CType::Str | CType::StaticStr | CType::Buffer => "PAnsiChar".into(),
        CType::StrOut | CType::StrArray => "PPAnsiChar".into(),
        CType::SizeOut => "PNativeUInt".into(),
        CType::Handle(h) => format!("P{h}"),
        CType::HandleOut(h) => format!("PP{h}"),
        CType::Size => "NativeUInt".into(),
        CType::U64 => "UInt64".into(),
        CType::U32 => "Cardinal".into(),
        CType::F64 => "Double".into(),
        CType::I64 => "Int64".into(),
        CType::I32 => "Integer".into(),
        CType::Bool => "Boolean".into(),
        CType::Enum(name) => format!("T{name}"),
    }
}

/// Argument names that are Pascal keywords (or `Result`) get a trailing underscore.
fn pascal_name(name: &str) -> String {
    const RESERVED: &[&str] = &[
        "out",
        "result",
        "type",
        "string",
        "begin",
        "end",
        "set",
        "file",
        "label",
        "object",
        "var",
        "const",
        "function",
        "procedure",
        "unit",
        "program",
        "array",
        "record",
        "in",
        "to",
        "do",
        "as",
        "is",
        "of",
        "options",
    ];
    if RESERVED.contains(&name.to_ascii_lowercase().as_str()) {
        format!("{name}_")
    } else {
        name.to_owned()
    }
}

fn declaration(f: &Func) -> String {
    let args: Vec<String> = f
        .args
        .iter()
        .map(|a| format!("{}: {}", pascal_name(&a.name), native_type(&a.ty)))
        .collect();
    let args = if args.is_empty() {
        String::new()
    } else {
        format!("({})", args.join("; "))
    };
    match &f.ret {
        CType::Void => format!("procedure {}{args}", f.name),
        ret => format!("function {}{args}: {}", f.name, native_type(ret)),
    }
}

pub fn render(api: &Api) -> String {
    let mut out = String::new();
    out.push_str(&banner("// "));
    let _ = write!(
        out,
        "// libaimis {version} for Delphi (2009+) and Free Pascal ({{$mode delphi}}). Strings are\n\
         // PAnsiChar: pass UTF8String (or GB18030 bytes after choosing that encoding).\n\
         unit aimis;\n\n\
         {{$IFDEF FPC}}{{$mode delphi}}{{$H+}}{{$ENDIF}}\n\n\
         interface\n\n\
         uses SysUtils;\n\n\
         const\n\
         \x20 {{$IFDEF MSWINDOWS}}AIMIS_LIB = 'aimis.dll';{{$ELSE}}AIMIS_LIB = 'aimis';{{$ENDIF}}\n\
         \x20 AIMIS_BINDINGS_VERSION = '{version}';\n\n",
        version = api.version
    );
    for e in &api.enums {
        let _ = writeln!(out, "  {{ {} }}", e.name);
        for v in &e.variants {
            let _ = writeln!(out, "  {} = {};", v.name, v.value);
        }
        out.push('\n');
    }
    out.push_str("type\n");
    out.push_str("  PNativeUInt = ^NativeUInt;\n  PPAnsiChar = ^PAnsiChar;\n");
    for e in &api.enums {
        let _ = writeln!(out, "  T{} = Integer;", e.name);
    }
    for h in &api.handles {
        let _ = writeln!(out, "  P{h} = Pointer;\n  PP{h} = ^P{h};");
    }
    out.push('\n');
    for f in &api.functions {
        out.push_str(&comment(&f.doc, "// "));
        let _ = writeln!(
            out,
            "{}; {{$IFDEF WIN32}}stdcall{{$ELSE}}cdecl{{$ENDIF}}; external AIMIS_LIB name '{}';\n",
            declaration(f),
            f.name
        );
    }
    out.push_str(&classes(api));
    out
}

fn classes(api: &Api) -> String {
    let mut interface = String::from(
        "type\n\
         \x20 { A libaimis call failed: ResultCode (an AIMIS_ constant), ApiCode (the platform's\n\
         \x20   code for AIMIS_API, else 0) and the message (never patient data or the token). }\n\
         \x20 EAimisError = class(Exception)\n\
         \x20 public\n\
         \x20   ResultCode: Integer;\n\
         \x20   ApiCode: Int64;\n\
         \x20   constructor CreateResult(AResult: Integer; AApiCode: Int64; const AMessage: string);\n\
         \x20 end;\n\n\
         \x20 { Client options; every setter checks its value at once (raises EAimisError). }\n\
         \x20 TAimisOptions = class\n\
         \x20 private\n\
         \x20   FHandle: Paimis_options;\n\
         \x20 public\n\
         \x20   constructor Create;\n\
         \x20   destructor Destroy; override;\n\
         \x20   property Handle: Paimis_options read FHandle;\n",
    );
    let mut implementation = String::from(
        "implementation\n\n\
         constructor EAimisError.CreateResult(AResult: Integer; AApiCode: Int64; const AMessage: string);\n\
         begin\n\
         \x20 inherited Create(AMessage);\n\
         \x20 ResultCode := AResult;\n\
         \x20 ApiCode := AApiCode;\n\
         end;\n\n\
         { A C string as a Pascal string, UTF-8 decoded. }\n\
         function FromUtf8(P: PAnsiChar): string;\n\
         var\n\
         \x20 S: UTF8String;\n\
         begin\n\
         \x20 S := UTF8String(P);\n\
         \x20 Result := string(S);\n\
         end;\n\n\
         procedure Check(R: Integer);\n\
         begin\n\
         \x20 if R <> AIMIS_OK then\n\
         \x20   raise EAimisError.CreateResult(R, aimis_last_api_code(),\n\
         \x20     FromUtf8(aimis_result_name(R)) + ': ' + FromUtf8(aimis_last_error_message()));\n\
         end;\n\n\
         { A string libaimis handed over: copied, then freed (and wiped). }\n\
         function Take(P: PAnsiChar): UTF8String;\n\
         begin\n\
         \x20 try\n\
         \x20   Result := UTF8String(P);\n\
         \x20 finally\n\
         \x20   aimis_string_free(P);\n\
         \x20 end;\n\
         end;\n\n\
         { NULL for an empty string: the optional arguments (base URL) are NULL when absent. }\n\
         function OptionalArg(const S: UTF8String): PAnsiChar;\n\
         begin\n\
         \x20 if S = '' then Result := nil else Result := PAnsiChar(S);\n\
         end;\n\n\
         constructor TAimisOptions.Create;\n\
         begin\n\
         \x20 inherited Create;\n\
         \x20 Check(aimis_options_new(@FHandle));\n\
         end;\n\n\
         destructor TAimisOptions.Destroy;\n\
         begin\n\
         \x20 aimis_options_free(FHandle);\n\
         \x20 inherited Destroy;\n\
         end;\n\n",
    );
    for (method, f) in setters(api, "aimis_options") {
        let mut params = Vec::new();
        let mut pass = vec!["FHandle".to_owned()];
        for a in &f.args[1..] {
            let name = format!("A{}", super::camel_snake(&a.name));
            let (ty, expr) = match &a.ty {
                CType::Str => ("UTF8String".to_owned(), format!("PAnsiChar({name})")),
                other => (native_type(other), name.clone()),
            };
            let modifier = if a.ty == CType::Str { "const " } else { "" };
            params.push(format!("{modifier}{name}: {ty}"));
            pass.push(expr);
        }
        let _ = writeln!(
            interface,
            "    function {method}({}): TAimisOptions;",
            params.join("; ")
        );
        let _ = write!(
            implementation,
            "function TAimisOptions.{method}({}): TAimisOptions;\n\
             begin\n\
             \x20 Check({}({}));\n\
             \x20 Result := Self;\n\
             end;\n\n",
            params.join("; "),
            f.name,
            pass.join(", ")
        );
    }
    interface.push_str(
        "  end;\n\n\
         \x20 { A client of the AIMIS platform; thread-safe. Requests and answers are JSON text\n\
         \x20   (UTF8String) with the vendor's camelCase names; patient data goes in as plaintext. }\n\
         \x20 TAimisClient = class\n\
         \x20 private\n\
         \x20   FHandle: Paimis_client;\n\
         \x20 public\n\
         \x20   { BaseUrl '': production. Options nil: the defaults; free them when you like. }\n\
         \x20   constructor Create(const AppId, Token, BaseUrl: UTF8String; Options: TAimisOptions = nil);\n\
         \x20   destructor Destroy; override;\n\
         \x20   { The native aimis_client *, for the raw functions (such as the _into ones). }\n\
         \x20   property Handle: Paimis_client read FHandle;\n\
         \x20   { Calls an endpoint by name with a JSON request; returns the response data as JSON. }\n\
         \x20   function Call(const Endpoint, RequestJson: UTF8String): UTF8String;\n",
    );
    implementation.push_str(
        "constructor TAimisClient.Create(const AppId, Token, BaseUrl: UTF8String; Options: TAimisOptions);\n\
         var\n\
         \x20 OptionsHandle: Paimis_options;\n\
         begin\n\
         \x20 inherited Create;\n\
         \x20 OptionsHandle := nil;\n\
         \x20 if Options <> nil then OptionsHandle := Options.Handle;\n\
         \x20 Check(aimis_client_new_with_options(PAnsiChar(AppId), PAnsiChar(Token), OptionalArg(BaseUrl),\n\
         \x20   OptionsHandle, @FHandle));\n\
         end;\n\n\
         destructor TAimisClient.Destroy;\n\
         begin\n\
         \x20 aimis_client_free(FHandle);\n\
         \x20 inherited Destroy;\n\
         end;\n\n\
         function TAimisClient.Call(const Endpoint, RequestJson: UTF8String): UTF8String;\n\
         var\n\
         \x20 Response: PAnsiChar;\n\
         begin\n\
         \x20 Check(aimis_client_call(FHandle, PAnsiChar(Endpoint), PAnsiChar(RequestJson), @Response));\n\
         \x20 Result := Take(Response);\n\
         end;\n\n",
    );
    for e in &api.endpoints {
        interface.push_str(&comment(&e.doc, "    // "));
        let _ = writeln!(
            interface,
            "    function {}(const RequestJson: UTF8String): UTF8String;",
            e.method
        );
        let _ = write!(
            implementation,
            "function TAimisClient.{}(const RequestJson: UTF8String): UTF8String;\n\
             begin\n\
             \x20 Result := Call('{}', RequestJson);\n\
             end;\n\n",
            e.method, e.name
        );
    }
    interface.push_str(
        "  end;\n\n\
         { Verifies a status callback (header values; '' when absent) and returns it as JSON\n\
         \x20 with phoneNum and idNum decrypted; raises EAimisError if rejected or malformed. }\n\
         function AimisVerifyCallback(const AppId, Token, HeaderAppId, HeaderTimestamp,\n\
         \x20 HeaderSignature: UTF8String; const Body: RawByteString): UTF8String;\n\
         function AimisEncryptField(const Token, Plaintext: UTF8String): UTF8String;\n\
         function AimisDecryptField(const Token, Hex: UTF8String): UTF8String;\n\
         function AimisSign(const AppId, Token, TimestampMs: UTF8String): UTF8String;\n\
         { Raises EAimisError for any result but AIMIS_OK, with this thread's last error. }\n\
         procedure AimisCheck(R: Integer);\n\n",
    );
    implementation.push_str(
        "function AimisVerifyCallback(const AppId, Token, HeaderAppId, HeaderTimestamp,\n\
         \x20 HeaderSignature: UTF8String; const Body: RawByteString): UTF8String;\n\
         var\n\
         \x20 Json: PAnsiChar;\n\
         begin\n\
         \x20 Check(aimis_callback_verify(PAnsiChar(AppId), PAnsiChar(Token), OptionalArg(HeaderAppId),\n\
         \x20   OptionalArg(HeaderTimestamp), OptionalArg(HeaderSignature), PAnsiChar(Body), Length(Body), @Json));\n\
         \x20 Result := Take(Json);\n\
         end;\n\n\
         function AimisEncryptField(const Token, Plaintext: UTF8String): UTF8String;\n\
         var\n\
         \x20 Hex: PAnsiChar;\n\
         begin\n\
         \x20 Check(aimis_encrypt_field(PAnsiChar(Token), PAnsiChar(Plaintext), @Hex));\n\
         \x20 Result := Take(Hex);\n\
         end;\n\n\
         function AimisDecryptField(const Token, Hex: UTF8String): UTF8String;\n\
         var\n\
         \x20 Text: PAnsiChar;\n\
         begin\n\
         \x20 Check(aimis_decrypt_field(PAnsiChar(Token), PAnsiChar(Hex), @Text));\n\
         \x20 Result := Take(Text);\n\
         end;\n\n\
         function AimisSign(const AppId, Token, TimestampMs: UTF8String): UTF8String;\n\
         var\n\
         \x20 Signature: PAnsiChar;\n\
         begin\n\
         \x20 Check(aimis_sign(PAnsiChar(AppId), PAnsiChar(Token), PAnsiChar(TimestampMs), @Signature));\n\
         \x20 Result := Take(Signature);\n\
         end;\n\n\
         procedure AimisCheck(R: Integer);\n\
         begin\n\
         \x20 Check(R);\n\
         end;\n\n\
         end.\n",
    );
    interface + &implementation
}
