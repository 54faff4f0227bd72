//! Property tests of the entry points that take untrusted input: callback verification
//! on arbitrary headers and bodies, decryption of arbitrary text, and the JSON entry
//! point on arbitrary JSON. Each ends in a result or a typed error, never a panic, and
//! no refusal shows the patient data it was given. The properties themselves live in
//! `fuzz/src/oracle.rs`, which the fuzz targets check too.

use aimis::SERVICE;
use aimis::registry::{EndpointDef, FieldDef, TypeRef};
use aimis_fuzz::oracle;
use oracle::{APP_ID, NOW_MS, TOKEN};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use serde_json::Value;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        // A failure is kept as a named test below, not as a file beside this one.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---- text and JSON ----

/// Patient data no fixed message can contain (see `oracle::assert_hidden`).
fn canary() -> impl Strategy<Value = String> {
    "[a-z0-9]{4,12}".prop_map(|tail| format!("患者{tail}"))
}

fn nonblank_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => canary(),
        1 => "[ -~]{0,8}[!-~][ -~]{0,8}",
        1 => "\\PC{0,6}[^\\s\\p{C}]\\PC{0,6}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => nonblank_text(),
        2 => any::<String>(),
        1 => select(&["", " ", "\t\r\n", "\u{3000}", "0", "null", "\"", "\\u0000"][..])
            .prop_map(String::from),
    ]
}

/// Every wire name in the spec.
fn field_names() -> Vec<&'static str> {
    let endpoints = SERVICE.endpoints.iter().flat_map(|e| e.request);
    let callbacks = SERVICE.callbacks.iter().flat_map(|c| c.fields);
    let mut names: Vec<_> = endpoints.chain(callbacks).map(|f| f.name).collect();
    names.sort_unstable();
    names.dedup();
    names
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(field_names()).prop_map(String::from),
        1 => any::<String>(),
    ]
}

/// Any JSON value, of every type, a few levels deep.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 24, 5, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..5).prop_map(Value::Array),
            vec((key(), inner), 0..5)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// A value nested `depth` arrays or objects deep.
fn nested(depth: usize, objects: bool) -> Value {
    (0..depth).fold(Value::from(1), |inner, _| {
        if objects {
            Value::Object([("a".to_owned(), inner)].into_iter().collect())
        } else {
            Value::Array(vec![inner])
        }
    })
}

/// JSON texts a field should not hold: any value, deep nesting past serde_json's
/// recursion limit, numbers beyond every range, a lone surrogate.
fn odd_json() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => json().prop_map(|v| v.to_string()),
        1 => (0usize..300, any::<bool>()).prop_map(|(depth, objects)| nested(depth, objects).to_string()),
        1 => select(
            &[
                "1e400", "-1e400", "18446744073709551616", "-9223372036854775809",
                "123456789012345678901234567890", "1.0", "-0", "0.5", "\"\\ud800\"",
                "\"\"", "\"   \"", "[]", "{}",
            ][..]
        )
        .prop_map(String::from),
    ]
}

fn json_string(text: &str) -> String {
    Value::from(text).to_string()
}

// ---- callbacks ----

fn callback_fields() -> &'static [FieldDef] {
    SERVICE.callback("studyStatus").unwrap().fields
}

fn enum_values(field: &FieldDef) -> Vec<i64> {
    match field.ty {
        TypeRef::Enum(def) => def.values.iter().map(|v| v.value).collect(),
        _ => Vec::new(),
    }
}

/// A wire value (JSON text) the callback accepts for this field: ciphertext for an
/// encrypted one, any number for an enum (unknown ones are kept), text otherwise.
fn good_wire_value(field: &'static FieldDef) -> BoxedStrategy<String> {
    match field.ty {
        _ if field.encrypted => nonblank_text()
            .prop_map(|plain| json_string(&aimis::encrypt_field(TOKEN, &plain).unwrap()))
            .boxed(),
        TypeRef::Enum(_) => prop_oneof![select(enum_values(field)), any::<i64>()]
            .prop_map(|v| v.to_string())
            .boxed(),
        TypeRef::Int => any::<i64>().prop_map(|v| v.to_string()).boxed(),
        _ if field.required => nonblank_text().prop_map(|t| json_string(&t)).boxed(),
        _ => text().prop_map(|t| json_string(&t)).boxed(),
    }
}

/// `(key, JSON text)` of a body the callback accepts: every required field, some
/// optional ones, in any order.
fn good_entries() -> impl Strategy<Value = Vec<(String, String)>> {
    let fields: Vec<_> = callback_fields()
        .iter()
        .map(|f| (Just(f), good_wire_value(f), any::<bool>()))
        .collect();
    fields
        .prop_map(|fields| {
            fields
                .into_iter()
                .filter(|(f, _, keep)| f.required || *keep)
                .map(|(f, value, _)| (f.name.to_owned(), value))
                .collect::<Vec<_>>()
        })
        .prop_shuffle()
}

fn body_text(entries: &[(String, String)]) -> String {
    let members: Vec<String> = entries
        .iter()
        .map(|(key, value)| format!("{}:{value}", json_string(key)))
        .collect();
    format!("{{{}}}", members.join(","))
}

/// A good body changed in one place, or an object of random entries.
fn structured_body() -> impl Strategy<Value = Vec<u8>> {
    let mutated = (good_entries(), 0..8u8, any::<Index>(), odd_json(), key()).prop_map(
        |(mut entries, how, at, odd, key)| {
            let i = at.index(entries.len());
            match how {
                0 => {}
                1 => drop(entries.remove(i)),
                2 => entries[i].1 = odd,
                3 => entries.push(entries[i].clone()),
                4 => entries.push((entries[i].0.clone(), odd)),
                5 => entries.push((key, odd)),
                6 => return format!("[{}]", body_text(&entries)).into_bytes(),
                _ => {
                    let mut body = body_text(&entries).into_bytes();
                    body.truncate(at.index(body.len()));
                    return body;
                }
            }
            body_text(&entries).into_bytes()
        },
    );
    let random =
        vec((key(), odd_json()), 0..8).prop_map(|entries| body_text(&entries).into_bytes());
    prop_oneof![3 => mutated, 1 => random]
}

fn cased(name: &str, flips: u64) -> String {
    name.chars()
        .enumerate()
        .map(|(i, c)| match flips >> (i % 64) & 1 {
            1 if c.is_ascii_lowercase() => c.to_ascii_uppercase(),
            1 => c.to_ascii_lowercase(),
            _ => c,
        })
        .collect()
}

/// A security header's name in any case, maybe padded.
fn security_name(name: &'static str) -> impl Strategy<Value = String> {
    (any::<u64>(), select(&["", " ", "\t"][..]))
        .prop_map(move |(flips, pad)| format!("{pad}{}{pad}", cased(name, flips)))
}

/// Genuine headers for APP_ID at a time inside the window, names in any case, maybe
/// repeated with the same value, among other headers.
fn signed_headers() -> impl Strategy<Value = Vec<(String, String)>> {
    let auth = &SERVICE.auth;
    let window = auth.max_skew_seconds as i64 * 1000;
    (
        security_name(auth.app_id_header),
        security_name(auth.timestamp_header),
        security_name(auth.signature_header),
        -window..=window,
        vec(("x-[a-z]{1,8}", text()), 0..3),
        any::<Index>(),
    )
        .prop_map(|(app_id, timestamp, signature, offset, others, repeat)| {
            let sent = NOW_MS.saturating_add_signed(offset).to_string();
            let mut headers = vec![
                (app_id, APP_ID.to_owned()),
                (signature, aimis::sign(APP_ID, TOKEN, &sent).unwrap()),
                (timestamp, sent),
            ];
            headers.push(headers[repeat.index(3)].clone());
            headers.extend(others);
            headers
        })
        .prop_shuffle()
}

/// A timestamp header's value: inside the window, outside it either way, or no number.
fn timestamp_value() -> impl Strategy<Value = String> {
    let window = SERVICE.auth.max_skew_seconds * 1000;
    prop_oneof![
        (0..=2 * window).prop_map(move |d| (NOW_MS - window + d).to_string()),
        any::<u64>().prop_map(|t| t.to_string()),
        "[0-9]{0,25}",
        any::<String>(),
    ]
}

/// Arbitrary headers: each security header left out, right, or anything, its name in
/// any case; then more headers, with the real names or any others.
fn any_headers() -> impl Strategy<Value = Vec<(String, String)>> {
    let auth = &SERVICE.auth;
    let security = |name, right: BoxedStrategy<String>| {
        let value = prop_oneof![3 => right, 1 => any::<String>()];
        prop::option::weighted(0.9, (security_name(name), value))
    };
    let signature = timestamp_value().prop_map(|t| aimis::sign(APP_ID, TOKEN, &t).unwrap_or(t));
    let other_name = prop_oneof![
        1 => security_name(auth.app_id_header),
        1 => security_name(auth.timestamp_header),
        1 => security_name(auth.signature_header),
        6 => any::<String>(),
    ];
    (
        security(auth.app_id_header, Just(APP_ID.to_owned()).boxed()),
        security(auth.timestamp_header, timestamp_value().boxed()),
        security(auth.signature_header, signature.boxed()),
        vec(
            (other_name, prop_oneof![any::<String>(), "[0-9a-f]{64}"]),
            0..3,
        ),
    )
        .prop_map(|(app_id, timestamp, signature, others)| {
            let mut headers: Vec<_> = [app_id, timestamp, signature]
                .into_iter()
                .flatten()
                .collect();
            headers.extend(others);
            headers
        })
        .prop_shuffle()
}

fn pairs(headers: &[(String, String)]) -> Vec<(&str, &str)> {
    headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn callback_on_arbitrary_headers_and_bytes(
        headers in any_headers(),
        body in prop_oneof![vec(any::<u8>(), 0..200), structured_body()],
    ) {
        oracle::check_callback(&oracle::verifier(), &pairs(&headers), &body);
    }

    #[test]
    fn callback_signed_with_structured_bodies(headers in signed_headers(), body in structured_body()) {
        oracle::check_callback(&oracle::verifier(), &pairs(&headers), &body);
    }

    #[test]
    fn callback_well_formed_and_signed_is_accepted(headers in signed_headers(), entries in good_entries()) {
        let body = body_text(&entries);
        let accepted = oracle::check_callback(&oracle::verifier(), &pairs(&headers), body.as_bytes());
        prop_assert!(accepted.is_some(), "a genuine callback was refused");
    }

    #[test]
    fn decrypt_of_arbitrary_text(
        text in prop_oneof![
            any::<String>(),
            "[0-9a-fA-F]{0,96}",
            "\\s{0,2}([0-9a-f]{32}){1,3}\\s{0,2}",
        ],
    ) {
        oracle::check_decrypt(&text);
    }

    #[test]
    fn decrypt_of_damaged_ciphertext(plain in text(), at in any::<Index>(), how in 0..3u8) {
        let mut hex = aimis::encrypt_field(TOKEN, &plain).unwrap().into_bytes();
        let i = at.index(hex.len());
        match how {
            0 => hex[i] = if hex[i] == b'0' { b'f' } else { b'0' },
            1 => hex.truncate(i),
            _ => hex.insert(i, b'g'),
        }
        oracle::check_decrypt(std::str::from_utf8(&hex).unwrap());
    }

    #[test]
    fn encrypt_round_trips(plain in any::<String>()) {
        oracle::check_encrypt(&plain);
    }
}

// ---- the JSON entry point ----

fn endpoint_defs() -> Vec<&'static EndpointDef> {
    SERVICE.endpoints.iter().collect()
}

/// `patientStudies`, `patient_studies` or `patient-studies`.
fn spelled(name: &str, how: u8) -> String {
    let separator = match how {
        0 => return name.to_owned(),
        1 => '_',
        _ => '-',
    };
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push(separator);
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

fn endpoint_name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (select(endpoint_defs()), 0..3u8).prop_map(|(def, how)| spelled(def.name, how)),
        1 => any::<String>(),
        1 => "[a-zA-Z_-]{0,20}",
    ]
}

fn datetime() -> impl Strategy<Value = String> {
    (
        1u32..10_000,
        1u32..13,
        1u32..29,
        0u32..24,
        0u32..60,
        0u32..60,
    )
        .prop_map(|(y, mo, d, h, mi, s)| format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}"))
}

/// A plain value the endpoint accepts for this field (plaintext, enums by number or name).
fn good_plain_value(field: &'static FieldDef) -> BoxedStrategy<Value> {
    match field.ty {
        TypeRef::Enum(def) => (select(def.values.iter().collect::<Vec<_>>()), any::<bool>())
            .prop_map(|(v, by_name)| {
                if by_name {
                    Value::from(v.name)
                } else {
                    Value::from(v.value)
                }
            })
            .boxed(),
        TypeRef::DateTime => datetime().prop_map(Value::String).boxed(),
        TypeRef::Int => any::<i64>().prop_map(Value::from).boxed(),
        _ => nonblank_text().prop_map(Value::String).boxed(),
    }
}

/// A request to `def` of the spec's field names, each left out, good, or of any type.
fn mixed_request(def: &'static EndpointDef) -> impl Strategy<Value = Value> {
    let fields: Vec<_> = def
        .request
        .iter()
        .map(|f| (Just(f.name), good_plain_value(f), json(), 0..8u8))
        .collect();
    (fields, vec((key(), json()), 0..2), any::<bool>()).prop_map(|(fields, extra, with_extra)| {
        let mut object = serde_json::Map::new();
        for (name, good, any, how) in fields {
            match how {
                0 => {}
                1 => drop(object.insert(name.to_owned(), any)),
                _ => drop(object.insert(name.to_owned(), good)),
            }
        }
        if with_extra {
            object.extend(extra);
        }
        Value::Object(object)
    })
}

/// A request to `def` that passes every rule: required fields good, dates in order.
fn good_request(def: &'static EndpointDef) -> impl Strategy<Value = Value> {
    let fields: Vec<_> = def
        .request
        .iter()
        .map(|f| (Just(f), good_plain_value(f), any::<bool>()))
        .collect();
    fields.prop_map(|fields| {
        let mut object = serde_json::Map::new();
        for (field, value, keep) in fields {
            if field.required || keep {
                object.insert(field.name.to_owned(), value);
            }
        }
        // Dates that must not precede another one are put in order.
        for field in def.request {
            let Some(earlier) = field.not_before else {
                continue;
            };
            let pair = (object.get(earlier), object.get(field.name));
            if let (Some(Value::String(a)), Some(Value::String(b))) = pair {
                if b < a {
                    let (a, b) = (a.clone(), b.clone());
                    object.insert(earlier.to_owned(), b.into());
                    object.insert(field.name.to_owned(), a.into());
                }
            }
        }
        Value::Object(object)
    })
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn call_json_on_arbitrary_json(
        name in endpoint_name(),
        request in prop_oneof![
            3 => json(),
            1 => (0usize..300, any::<bool>()).prop_map(|(depth, objects)| nested(depth, objects)),
        ],
    ) {
        oracle::check_call_json(&name, &request);
    }

    #[test]
    fn call_json_on_real_field_names(
        (name, request) in select(endpoint_defs())
            .prop_flat_map(|def| (Just(def.name), mixed_request(def))),
    ) {
        oracle::check_call_json(name, &request);
    }

    #[test]
    fn call_json_good_requests_reach_the_transport(
        (name, request) in select(endpoint_defs())
            .prop_flat_map(|def| (Just(def.name), good_request(def))),
    ) {
        let error = oracle::check_call_json(name, &request);
        prop_assert!(
            matches!(error, aimis::Error::Transport { .. } | aimis::Error::Timeout(_)),
            "a good request was stopped before sending: {}", error
        );
    }
}
