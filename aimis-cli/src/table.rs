//! Response data as a readable table, laid out from the spec's response type. The
//! platform's text is shown, never obeyed: control characters are escaped.

use aimis::registry::{FieldDef, StructDef, TypeRef};
use serde_json::Value;

use crate::out::printable;

/// Wider than this, a list is shown as one block of `field value` lines per item.
const MAX_WIDTH: usize = 120;

pub fn render(ty: &TypeRef, data: &Value) -> String {
    match (ty, data) {
        (TypeRef::List(TypeRef::Struct(def)), Value::Array(items)) => list(def, items),
        (TypeRef::Struct(def), Value::Object(_)) => record(def.fields, data),
        (_, Value::String(text)) => printable(text).into_owned(),
        _ => serde_json::to_string_pretty(data).unwrap_or_default(),
    }
}

fn list(def: &StructDef, items: &[Value]) -> String {
    let noun = if items.len() == 1 {
        "result"
    } else {
        "results"
    };
    if items.is_empty() {
        return format!("0 {noun}");
    }
    // Only the columns some item has a value for.
    let columns: Vec<&FieldDef> = def
        .fields
        .iter()
        .filter(|f| items.iter().any(|item| !item[f.name].is_null()))
        .collect();
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|item| columns.iter().map(|f| cell(f, &item[f.name])).collect())
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, f)| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([f.name.len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let total: usize = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
    let mut out = String::new();
    if total <= MAX_WIDTH {
        let header: Vec<String> = columns.iter().map(|f| f.name.to_owned()).collect();
        for row in std::iter::once(&header).chain(&rows) {
            let line: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(c, w)| format!("{c:<w$}"))
                .collect();
            out.push_str(line.join("  ").trim_end());
            out.push('\n');
        }
    } else {
        let label = columns.iter().map(|f| f.name.len()).max().unwrap_or(0);
        for (n, row) in rows.iter().enumerate() {
            out.push_str(&format!("[{}]\n", n + 1));
            for (f, c) in columns.iter().zip(row) {
                if !c.is_empty() {
                    out.push_str(&format!("  {:<label$}  {c}\n", f.name));
                }
            }
        }
    }
    out.push_str(&format!("{} {noun}", items.len()));
    out
}

fn record(fields: &[FieldDef], data: &Value) -> String {
    let label = fields.iter().map(|f| f.name.len()).max().unwrap_or(0);
    let lines: Vec<String> = fields
        .iter()
        .filter(|f| !data[f.name].is_null())
        .map(|f| format!("{:<label$}  {}", f.name, cell(f, &data[f.name])))
        .collect();
    lines.join("\n")
}

fn cell(field: &FieldDef, value: &Value) -> String {
    match (field.ty, value) {
        (_, Value::Null) => String::new(),
        (TypeRef::Enum(def), Value::Number(n)) => match n.as_i64().and_then(|v| def.by_value(v)) {
            Some(v) => format!("{} {}", v.value, v.name),
            None => n.to_string(),
        },
        (_, Value::String(text)) => printable(text).into_owned(),
        (_, other) => other.to_string(),
    }
}
