//! Validation: the raw spec in, the resolved [`Spec`] or every mistake out.

use std::collections::HashSet;

use toml::Spanned;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir::*;
use crate::model::*;
use crate::names;

const PRIMITIVES: &[&str] = &["string", "int", "datetime", "list<T>"];

struct Resolver<'a> {
    source: &'a str,
    file: &'a str,
    diagnostics: Vec<(usize, Diagnostic)>,
    enums: Vec<String>,
    structs: Vec<String>,
}

/// Where a field list lives, which decides what its fields may be.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    /// A request or callback: flat, may hold encrypted fields.
    Message,
    /// A response struct: decoded, never encrypted.
    Data,
}

pub fn resolve(raw: RawSpec, source: &str, file: &str) -> Result<Spec, Diagnostics> {
    let mut r = Resolver {
        source,
        file,
        diagnostics: Vec::new(),
        enums: raw
            .enums
            .iter()
            .map(|e| e.get_ref().name.get_ref().clone())
            .collect(),
        structs: raw
            .structs
            .iter()
            .map(|s| s.get_ref().name.get_ref().clone())
            .collect(),
    };
    let service = r.service(raw.service);
    let auth = r.auth(raw.auth);
    let cipher = Cipher {
        algorithm: raw.field_cipher.algorithm,
        padding: raw.field_cipher.padding,
        encoding: raw.field_cipher.encoding,
    };
    let envelope = Envelope {
        code: raw.envelope.code,
        message: raw.envelope.message,
        data: raw.envelope.data,
        success: raw.envelope.success,
        success_message: raw.envelope.success_message,
    };
    let errors = r.errors(raw.errors, envelope.success);
    let enums = r.enums(raw.enums);
    let structs = r.structs(raw.structs);
    let endpoints = r.endpoints(raw.endpoints);
    let callbacks = r.callbacks(raw.callbacks);
    if !r.diagnostics.is_empty() {
        r.diagnostics.sort_by_key(|(at, _)| *at);
        return Err(Diagnostics(
            r.diagnostics.into_iter().map(|(_, d)| d).collect(),
        ));
    }
    Ok(Spec {
        service,
        auth,
        cipher,
        envelope,
        errors,
        enums,
        structs,
        endpoints,
        callbacks,
    })
}

impl Resolver<'_> {
    fn error(&mut self, at: usize, context: Option<String>, message: impl Into<String>) {
        let diagnostic = Diagnostic::new(self.file, self.source, at, context, message);
        self.diagnostics.push((at, diagnostic));
    }

    fn service(&mut self, raw: RawService) -> Service {
        let urls = raw.base_urls;
        let at = urls.span().start;
        let mut base_urls: Vec<(String, String)> = Vec::new();
        for (name, url) in urls.into_inner() {
            if !url.get_ref().starts_with("https://") && !url.get_ref().starts_with("http://") {
                let ctx = Some(format!("base URL `{name}`"));
                self.error(url.span().start, ctx, "expected an http:// or https:// URL");
            }
            base_urls.push((name, url.into_inner().trim_end_matches('/').to_owned()));
        }
        match base_urls.iter().position(|(name, _)| name == "production") {
            Some(i) => base_urls[..=i].rotate_right(1),
            None => self.error(
                at,
                None,
                "service.base_urls needs a `production` URL: it is the default",
            ),
        }
        Service {
            name: raw.name,
            doc: raw.doc,
            base_urls,
        }
    }

    fn auth(&mut self, raw: RawAuth) -> Auth {
        for (key, header) in [
            ("app_id_header", &raw.app_id_header),
            ("timestamp_header", &raw.timestamp_header),
            ("signature_header", &raw.signature_header),
        ] {
            let valid = !header.get_ref().is_empty()
                && header
                    .get_ref()
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !valid {
                self.error(
                    header.span().start,
                    Some(format!("auth.{key}")),
                    "expected an HTTP header name (letters, digits, '-' or '_')",
                );
            }
        }
        if raw.message.is_empty() {
            self.error(
                0,
                None,
                "auth.message needs at least one part: \"appId\" or \"timestamp\"",
            );
        }
        let message = raw
            .message
            .iter()
            .filter_map(|part| match part.get_ref().as_str() {
                "appId" => Some(MessagePart::AppId),
                "timestamp" => Some(MessagePart::Timestamp),
                other => {
                    let msg = format!(
                        "unknown message part `{other}`; expected \"appId\" or \"timestamp\""
                    );
                    self.error(part.span().start, Some("auth.message".into()), msg);
                    None
                }
            })
            .collect();
        Auth {
            app_id_header: raw.app_id_header.into_inner(),
            timestamp_header: raw.timestamp_header.into_inner(),
            signature_header: raw.signature_header.into_inner(),
            message,
            algorithm: raw.algorithm,
            encoding: raw.encoding,
            timestamp: raw.timestamp,
            max_skew_seconds: raw.max_skew_seconds,
        }
    }

    fn errors(&mut self, raw: Vec<Spanned<RawErrorCode>>, success: i64) -> Vec<ErrorCode> {
        let mut codes = HashSet::new();
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for spanned in raw {
            let at = spanned.span().start;
            let e = spanned.into_inner();
            let ctx = Some(format!("error code {}", e.code));
            if e.code == success {
                self.error(
                    at,
                    ctx.clone(),
                    format!("{success} is the success code, not an error"),
                );
            }
            if !codes.insert(e.code) {
                self.error(at, ctx.clone(), "this code is listed twice");
            }
            self.pascal_name(&e.name, ctx.clone(), &mut seen);
            self.doc(&e.doc, ctx);
            out.push(ErrorCode {
                code: e.code,
                name: e.name.into_inner(),
                doc: e.doc.into_inner(),
            });
        }
        out
    }

    fn enums(&mut self, raw: Vec<Spanned<RawEnum>>) -> Vec<Enum> {
        let mut type_names = HashSet::new();
        let mut out = Vec::new();
        for spanned in raw {
            let at = spanned.span().start;
            let e = spanned.into_inner();
            let ctx = format!("enum `{}`", e.name.get_ref());
            self.pascal_name(&e.name, None, &mut type_names);
            self.doc(&e.doc, Some(ctx.clone()));
            if e.values.is_empty() {
                self.error(at, Some(ctx.clone()), "an enum needs at least one value");
            }
            let (mut numbers, mut names) = (HashSet::new(), HashSet::new());
            let mut values = Vec::new();
            for spanned in e.values {
                let at = spanned.span().start;
                let v = spanned.into_inner();
                let vctx = Some(format!("{ctx}, value `{}`", v.name.get_ref()));
                if !numbers.insert(v.value) {
                    self.error(
                        at,
                        vctx.clone(),
                        format!("the number {} is used twice", v.value),
                    );
                }
                self.pascal_name(&v.name, vctx.clone(), &mut names);
                self.doc(&v.doc, vctx);
                values.push(EnumValue {
                    value: v.value,
                    name: v.name.into_inner(),
                    doc: v.doc.into_inner(),
                });
            }
            out.push(Enum {
                name: e.name.into_inner(),
                doc: e.doc.into_inner(),
                values,
            });
        }
        out
    }

    fn structs(&mut self, raw: Vec<Spanned<RawStruct>>) -> Vec<Struct> {
        let mut type_names: HashSet<String> = self.enums.iter().cloned().collect();
        let mut out = Vec::new();
        for spanned in raw {
            let s = spanned.into_inner();
            let ctx = format!("struct `{}`", s.name.get_ref());
            if self.enums.contains(s.name.get_ref()) {
                self.error(
                    s.name.span().start,
                    None,
                    format!("`{}` is already an enum", s.name.get_ref()),
                );
            }
            self.pascal_name(&s.name, None, &mut type_names);
            self.doc(&s.doc, Some(ctx.clone()));
            let fields = self.fields(s.fields, &ctx, Place::Data);
            out.push(Struct {
                name: s.name.into_inner(),
                doc: s.doc.into_inner(),
                fields,
            });
        }
        out
    }

    fn endpoints(&mut self, raw: Vec<Spanned<RawEndpoint>>) -> Vec<Endpoint> {
        let mut names = HashSet::new();
        let mut out = Vec::new();
        for spanned in raw {
            let e = spanned.into_inner();
            let ctx = format!("endpoint `{}`", e.name.get_ref());
            self.camel_name(&e.name, None, &mut names);
            self.doc(&e.doc, Some(ctx.clone()));
            if e.method.get_ref() != "POST" {
                self.error(
                    e.method.span().start,
                    Some(ctx.clone()),
                    "unsupported method; expected \"POST\"",
                );
            }
            self.path(&e.path, &ctx);
            let response = self.data_type(&e.response, &ctx);
            let request = self.fields(e.request, &ctx, Place::Message);
            out.push(Endpoint {
                name: e.name.into_inner(),
                title: e.title,
                doc: e.doc.into_inner(),
                method: e.method.into_inner(),
                path: e.path.into_inner(),
                request,
                response: response.unwrap_or(Type::String),
            });
        }
        out
    }

    fn callbacks(&mut self, raw: Vec<Spanned<RawCallback>>) -> Vec<Callback> {
        let mut names = HashSet::new();
        let mut out = Vec::new();
        for spanned in raw {
            let c = spanned.into_inner();
            let ctx = format!("callback `{}`", c.name.get_ref());
            self.camel_name(&c.name, None, &mut names);
            self.doc(&c.doc, Some(ctx.clone()));
            let fields = self.fields(c.fields, &ctx, Place::Message);
            out.push(Callback {
                name: c.name.into_inner(),
                title: c.title,
                doc: c.doc.into_inner(),
                fields,
            });
        }
        out
    }

    fn path(&mut self, path: &Spanned<String>, ctx: &str) {
        let text = path.get_ref();
        let mut rest = text.as_str();
        let mut bad = !text.starts_with('/');
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                bad = true;
                break;
            };
            if &rest[open + 1..open + close] != "appId" {
                bad = true;
            }
            rest = &rest[open + close + 1..];
        }
        if bad || rest.contains('}') {
            let msg = "expected a path starting with '/' whose only placeholder is {appId}";
            self.error(path.span().start, Some(ctx.to_owned()), msg);
        }
    }

    fn fields(&mut self, raw: Vec<Spanned<RawField>>, owner: &str, place: Place) -> Vec<Field> {
        let mut names = HashSet::new();
        let datetimes: HashSet<String> = raw
            .iter()
            .filter(|f| f.get_ref().ty.get_ref() == "datetime")
            .map(|f| f.get_ref().name.get_ref().clone())
            .collect();
        let mut out = Vec::new();
        for spanned in raw {
            let f = spanned.into_inner();
            let ctx = format!("{owner}, field `{}`", f.name.get_ref());
            self.camel_name(&f.name, Some(owner.to_owned()), &mut names);
            self.doc(&f.doc, Some(ctx.clone()));
            let ty = self.field_type(&f.ty, &ctx, place);
            let encrypted = f.encrypted.as_ref().is_some_and(|e| *e.get_ref());
            let encrypted_at = f.encrypted.as_ref().map_or(0, |e| e.span().start);
            if encrypted && place == Place::Data {
                let msg = "encrypted fields are supported in requests and callbacks only";
                self.error(encrypted_at, Some(ctx.clone()), msg);
            } else if encrypted && ty.as_ref().is_some_and(|t| *t != Type::String) {
                self.error(
                    encrypted_at,
                    Some(ctx.clone()),
                    "only string fields can be encrypted",
                );
            }
            if f.sensitive && ty.as_ref().is_some_and(|t| *t != Type::String) {
                self.error(
                    f.ty.span().start,
                    Some(ctx.clone()),
                    "only string fields can be sensitive",
                );
            }
            if let Some(other) = &f.not_before {
                if ty != Some(Type::DateTime) {
                    self.error(
                        other.span().start,
                        Some(ctx.clone()),
                        "not_before applies to datetime fields only",
                    );
                } else if !datetimes.contains(other.get_ref())
                    || other.get_ref() == f.name.get_ref()
                {
                    let msg = format!(
                        "not_before names `{}`; expected another datetime field of {owner}",
                        other.get_ref()
                    );
                    self.error(other.span().start, Some(ctx.clone()), msg);
                }
            }
            out.push(Field {
                snake: names::snake(f.name.get_ref()),
                name: f.name.into_inner(),
                ty: ty.unwrap_or(Type::String),
                doc: f.doc.into_inner(),
                required: f.required,
                encrypted,
                sensitive: f.sensitive || encrypted,
                not_before: f.not_before.map(Spanned::into_inner),
            });
        }
        out
    }

    fn field_type(&mut self, ty: &Spanned<String>, ctx: &str, place: Place) -> Option<Type> {
        let resolved = self.parse_type(ty.get_ref());
        match (&resolved, place) {
            (None, _) => self.unknown_type(ty, ctx),
            (Some(Type::Struct(_) | Type::List(_)), Place::Message) => {
                let msg = format!(
                    "`{}` cannot be a request or callback field; expected string, int, datetime or an enum",
                    ty.get_ref()
                );
                self.error(ty.span().start, Some(ctx.to_owned()), msg);
            }
            _ => {}
        }
        resolved
    }

    fn data_type(&mut self, ty: &Spanned<String>, ctx: &str) -> Option<Type> {
        let resolved = self.parse_type(ty.get_ref());
        if resolved.is_none() {
            self.unknown_type(ty, &format!("{ctx}, response"));
        }
        resolved
    }

    fn unknown_type(&mut self, ty: &Spanned<String>, ctx: &str) {
        let mut expected: Vec<String> = PRIMITIVES.iter().map(|p| p.to_string()).collect();
        for (kind, names) in [("an enum", &self.enums), ("a struct", &self.structs)] {
            if !names.is_empty() {
                expected.push(format!("{kind} ({})", names.join(", ")));
            }
        }
        let last = expected.pop().expect("the primitives are never empty");
        let msg = format!(
            "unknown type `{}`; expected {} or {last}",
            ty.get_ref(),
            expected.join(", ")
        );
        self.error(ty.span().start, Some(ctx.to_owned()), msg);
    }

    fn parse_type(&self, text: &str) -> Option<Type> {
        let text = text.trim();
        if let Some(inner) = text.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
            return self.parse_type(inner).map(|t| Type::List(Box::new(t)));
        }
        Some(match text {
            "string" => Type::String,
            "int" => Type::Int,
            "datetime" => Type::DateTime,
            name if self.enums.iter().any(|e| e == name) => Type::Enum(name.to_owned()),
            name if self.structs.iter().any(|s| s == name) => Type::Struct(name.to_owned()),
            _ => return None,
        })
    }

    fn doc(&mut self, doc: &Spanned<String>, ctx: Option<String>) {
        if doc.get_ref().trim().is_empty() {
            self.error(
                doc.span().start,
                ctx,
                "doc is empty; say what it means for the user",
            );
        }
    }

    fn pascal_name(
        &mut self,
        name: &Spanned<String>,
        ctx: Option<String>,
        seen: &mut HashSet<String>,
    ) {
        let text = name.get_ref();
        let ok = text.starts_with(|c: char| c.is_ascii_uppercase())
            && text.chars().all(|c| c.is_ascii_alphanumeric());
        if !ok {
            self.error(
                name.span().start,
                ctx,
                format!("`{text}` is not a PascalCase name (A-Z, then letters and digits)"),
            );
        } else if !seen.insert(text.clone()) {
            self.error(name.span().start, ctx, format!("`{text}` is defined twice"));
        }
    }

    fn camel_name(
        &mut self,
        name: &Spanned<String>,
        ctx: Option<String>,
        seen: &mut HashSet<String>,
    ) {
        let text = name.get_ref();
        let ok = text.starts_with(|c: char| c.is_ascii_lowercase())
            && text.chars().all(|c| c.is_ascii_alphanumeric());
        if !ok {
            self.error(
                name.span().start,
                ctx,
                format!("`{text}` is not a camelCase name (a-z, then letters and digits)"),
            );
        } else if !seen.insert(names::fold(text)) {
            self.error(
                name.span().start,
                ctx,
                format!("`{text}` is defined twice (names are compared ignoring case)"),
            );
        }
    }
}
