//! `aimis-py/python/aimis/_generated.py`: the spec as ordinary Python source, so that
//! IDEs, `help()`, debuggers and type checkers see plain classes and methods, fully
//! annotated (the package ships `py.typed`; no stub repeats it).
//!
//! Per enum an `IntEnum`; per struct and callback a frozen record class (on
//! `aimis._model.Record`) with a keyword-only `__init__` and one read-only property per
//! field; `Client` with one keyword-only method per endpoint, and `AsyncClient` with the
//! same methods as coroutines (`async def`). The docstrings are the
//! spec's. The native module builds the records of answers and callbacks itself, from
//! the classes this module hands it by the spec's names (`_native.use_classes`). What
//! is not per-spec (the record base, the client's settings, callback verification, the
//! errors) is written by hand in the package and imported here. The names are the
//! spellings the registry's JSON gives (`Service::to_json`, the native module's
//! `service()`): snake_case methods and fields, SHOUTY enum members, `<Name>Callback`
//! callback classes; the pytest suite compares the two.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use aimis_spec::{Field, Spec, Type, names};

const SPEC: &str = "spec/aimis.toml";
const MODULE: &str = "aimis-py/python/aimis/_generated.py";

pub fn generate(root: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    let source = std::fs::read_to_string(root.join(SPEC)).map_err(|e| format!("{SPEC}: {e}"))?;
    let spec = aimis_spec::parse(&source, SPEC).map_err(|e| e.to_string())?;
    Ok(vec![(PathBuf::from(MODULE), render(&spec))])
}

fn render(spec: &Spec) -> String {
    let mut out = String::new();
    out.push_str(
        "# Generated from spec/aimis.toml by `cargo run -p xtask -- generate`; do not edit.\n",
    );
    out.push_str(&docstring("", &spec.service.doc));
    out.push_str(
        "\nfrom __future__ import annotations\n\n\
         import datetime\nimport enum\nfrom typing import Dict, Type, Union\n\n\
         from aimis import _native\n\
         from aimis._async import AsyncClientBase\n\
         from aimis._client import ClientBase\n\
         from aimis._model import Field, Record\n",
    );
    out.push_str(&exports(spec));
    for e in &spec.enums {
        let _ = write!(
            out,
            "\n\nclass {}(enum.IntEnum):\n{}",
            e.name,
            docstring("    ", &e.doc)
        );
        for v in &e.values {
            let _ = write!(
                out,
                "\n    {} = {}\n{}",
                names::shouty(&v.name),
                v.value,
                docstring("    ", &v.doc)
            );
        }
    }
    for s in &spec.structs {
        out.push_str(&record(&s.name, &s.doc, &s.fields));
    }
    for c in &spec.callbacks {
        out.push_str(&record(&names::callback_type(&c.name), &c.doc, &c.fields));
    }
    out.push_str(&client(spec, Flavour::Blocking));
    out.push_str(&client(spec, Flavour::Async));
    out.push_str(&callbacks(spec));
    out
}

/// `__all__`: what the package re-exports from here. A tuple, so that the package's
/// `from aimis._generated import __all__` (which type checkers follow) and its
/// `__all__ += (...)` make a new tuple rather than extend this one.
fn exports(spec: &Spec) -> String {
    let mut all = vec!["Client".to_owned(), "AsyncClient".to_owned()];
    all.extend(spec.enums.iter().map(|e| e.name.clone()));
    all.extend(spec.structs.iter().map(|s| s.name.clone()));
    all.extend(spec.callbacks.iter().map(|c| names::callback_type(&c.name)));
    let lines: String = all
        .iter()
        .map(|name| format!("    \"{name}\",\n"))
        .collect();
    format!("\n__all__: tuple[str, ...] = (\n{lines})\n")
}

fn record(name: &str, doc: &str, fields: &[Field]) -> String {
    let mut out = format!(
        "\n\nclass {name}(Record):\n{}\n    __slots__ = ()\n    _fields = (\n",
        docstring("    ", doc)
    );
    for f in fields {
        let _ = writeln!(
            out,
            "        Field({}, {}, required={}, sensitive={}),",
            quote(&f.name),
            quote(&f.snake),
            python_bool(f.required),
            python_bool(f.sensitive || f.encrypted),
        );
    }
    out.push_str("    )\n\n");
    // Keyword-only, so required and optional fields keep the spec's order.
    let params: Vec<String> = fields
        .iter()
        .map(|f| match f.required {
            true => format!("{}: {}", f.snake, value_type(&f.ty, false)),
            false => format!("{}: {} | None = None", f.snake, value_type(&f.ty, false)),
        })
        .collect();
    let snakes: String = fields
        .iter()
        .map(|f| format!("            {},\n", f.snake))
        .collect();
    let _ = writeln!(
        out,
        "{}:\n        self._init(\n{snakes}        )",
        method("def", "__init__", &params, "None"),
    );
    for (i, f) in fields.iter().enumerate() {
        let optional = if f.required { "" } else { " | None" };
        let ty = format!("{}{optional}", value_type(&f.ty, false));
        // Through a typed local: `_values` holds Any, which mypy --strict will not
        // return as is.
        let _ = write!(
            out,
            "\n    @property\n    def {}(self) -> {ty}:\n{}        value: {ty} = self._values[{i}]\n        return value\n",
            f.snake,
            docstring("        ", &format!("`{}`: {}", f.name, f.doc)),
        );
    }
    out
}

/// The two clients: the same methods, blocking or coroutines.
#[derive(Clone, Copy, PartialEq)]
enum Flavour {
    Blocking,
    Async,
}

fn client(spec: &Spec, flavour: Flavour) -> String {
    let (class, base, def, call) = match flavour {
        Flavour::Blocking => ("Client", "ClientBase", "def", "self._native.call_fields"),
        Flavour::Async => (
            "AsyncClient",
            "AsyncClientBase",
            "async def",
            "await self._call_fields",
        ),
    };
    let mut out =
        format!("\n\nclass {class}({base}):\n    __doc__ = {base}.__doc__\n    __slots__ = ()\n");
    for e in &spec.endpoints {
        // Required arguments first, each group in the spec's order: all are keyword-only.
        let (required, optional): (Vec<&Field>, Vec<&Field>) =
            e.request.iter().partition(|f| f.required);
        let mut params: Vec<String> = required
            .iter()
            .map(|f| format!("{}: {}", f.snake, argument_type(&f.ty)))
            .collect();
        params.extend(
            optional
                .iter()
                .map(|f| format!("{}: {} | None = None", f.snake, argument_type(&f.ty))),
        );
        let returns = value_type(&e.response, true);
        let mut doc = format!(
            "{}: {}\n\n{} {}\n\nArguments:",
            e.title, e.doc, e.method, e.path
        );
        for f in required.iter().chain(&optional) {
            let flag = if f.required { "required" } else { "optional" };
            let _ = write!(doc, "\n    {} ({}, {flag}): {}", f.snake, f.name, f.doc);
        }
        // The values in the order of the endpoint's fields, as the native module reads
        // them. The answer (records already) goes through a typed local: the native
        // call returns Any, which mypy --strict will not return as is.
        let values: String = e
            .request
            .iter()
            .map(|f| format!("                {},\n", f.snake))
            .collect();
        let _ = write!(
            out,
            "\n{}:\n{}        data: {returns} = {call}(\n            {},\n            (\n{values}            ),\n        )\n        return data\n",
            method(def, &names::snake(&e.name), &params, &returns),
            docstring("        ", &doc),
            quote(&e.name),
        );
    }
    out
}

/// What `aimis._callback.verify_callback` needs of the spec (each callback's class by
/// the spec's name, the class it returns, the default freshness window), and the
/// classes handed to the native module, which builds the records.
fn callbacks(spec: &Spec) -> String {
    let classes: Vec<String> = spec
        .callbacks
        .iter()
        .map(|c| names::callback_type(&c.name))
        .collect();
    let alias = match classes.len() {
        0 => "Record".to_owned(),
        1 => classes[0].clone(),
        _ => format!("Union[{}]", classes.join(", ")),
    };
    // `name: class` lines of a dict literal at this indentation.
    let by_name = |indent: &str, pairs: &[(&str, &str)]| -> String {
        pairs
            .iter()
            .map(|(name, class)| format!("{indent}{}: {class},\n", quote(name)))
            .collect()
    };
    let callbacks: Vec<(&str, &str)> = spec
        .callbacks
        .iter()
        .zip(&classes)
        .map(|(c, class)| (c.name.as_str(), class.as_str()))
        .collect();
    let structs: Vec<(&str, &str)> = spec.structs.iter().map(|s| (&*s.name, &*s.name)).collect();
    let enums: Vec<(&str, &str)> = spec.enums.iter().map(|e| (&*e.name, &*e.name)).collect();
    format!(
        "\n\nCallback = {alias}\nCALLBACKS: Dict[str, Type[Callback]] = {{\n{}}}\nMAX_SKEW_SECONDS = {:.1}\n\n\
         _native.use_classes(\n    {{\n{}    }},\n    {{\n{}    }},\n    {{\n{}    }},\n)\n",
        by_name("    ", &callbacks),
        spec.auth.max_skew_seconds as f64,
        by_name("        ", &structs),
        by_name("        ", &callbacks),
        by_name("        ", &enums),
    )
}

/// `def name(self, *, params) -> returns` (or `async def`) at class level, one
/// parameter a line.
fn method(def: &str, name: &str, params: &[String], returns: &str) -> String {
    let params: String = params.iter().map(|p| format!("        {p},\n")).collect();
    format!("    {def} {name}(\n        self,\n        *,\n{params}    ) -> {returns}")
}

/// A Python string literal of a name from the spec.
fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn python_bool(value: bool) -> &'static str {
    if value { "True" } else { "False" }
}

/// What a keyword argument accepts: enums also as plain ints, datetimes also as the
/// vendor's text.
fn argument_type(ty: &Type) -> String {
    match ty {
        Type::String => "str".into(),
        Type::Int => "int".into(),
        Type::DateTime => "datetime.datetime | str".into(),
        Type::Enum(name) => format!("{name} | int"),
        Type::Struct(_) => "Dict[str, Any]".into(),
        Type::List(item) => format!("list[{}]", argument_type(item)),
    }
}

/// What a result holds: lists at the top of a response, tuples inside records (which
/// are immutable all the way down). Decoding is as tolerant as the Rust core's: an enum
/// number the spec does not name stays an `int`, a datetime in another form the text.
fn value_type(ty: &Type, top: bool) -> String {
    match ty {
        Type::String => "str".into(),
        Type::Int => "int".into(),
        Type::DateTime => "datetime.datetime | str".into(),
        Type::Enum(name) => format!("{name} | int"),
        Type::Struct(name) => name.clone(),
        Type::List(item) if top => format!("list[{}]", value_type(item, false)),
        Type::List(item) => format!("tuple[{}, ...]", value_type(item, false)),
    }
}

/// A docstring at this indentation.
fn docstring(indent: &str, text: &str) -> String {
    let text = text
        .trim()
        .replace('\\', "\\\\")
        .replace("\"\"\"", "\\\"\\\"\\\"");
    let body = text
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{indent}{l}")
            }
        })
        .collect::<Vec<_>>();
    let body = body.join("\n");
    match text.contains('\n') {
        false => format!("{indent}\"\"\"{}\"\"\"\n", text),
        true => format!("{indent}\"\"\"{}\n{indent}\"\"\"\n", body.trim_start()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docstrings_survive_quotes_backslashes_and_lines() {
        assert_eq!(docstring("    ", "Plain."), "    \"\"\"Plain.\"\"\"\n");
        assert_eq!(
            docstring("", r#"A \d and """ quotes"#),
            "\"\"\"A \\\\d and \\\"\\\"\\\" quotes\"\"\"\n"
        );
        assert_eq!(
            docstring("  ", "One\n\nTwo"),
            "  \"\"\"One\n\n  Two\n  \"\"\"\n"
        );
    }

    #[test]
    fn the_real_spec_gives_every_endpoint_a_method() {
        let source =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(SPEC))
                .unwrap();
        let spec = aimis_spec::parse(&source, SPEC).unwrap();
        let module = render(&spec);
        for endpoint in &spec.endpoints {
            assert!(module.contains(&format!("    def {}(\n", names::snake(&endpoint.name))));
            assert!(module.contains(&format!(
                "    async def {}(\n",
                names::snake(&endpoint.name)
            )));
        }
        assert!(module.contains("class StudyStatusCallback(Record):"));
        assert!(
            module.contains("Field(\"phoneNum\", \"phone_num\", required=True, sensitive=True)")
        );
    }
}
