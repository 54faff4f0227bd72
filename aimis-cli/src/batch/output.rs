//! Batch output: one JSON line per row (`{"row", "ok", "data"}` or `{"row", "ok",
//! "error"}`), or CSV with list results flattened to one line per item; each row is
//! written and flushed as it completes, so that a killed run loses nothing written.
//! `--resume` keeps the rows that succeeded and forgets the rest, to be done again.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use aimis::registry::{EndpointDef, TypeRef};
use serde_json::Value;

use super::input::Format;
use crate::fail::Failure;

/// The columns before the data's own in CSV output.
const CSV_HEAD: [&str; 5] = ["row", "ok", "error_kind", "error_code", "error_message"];

pub struct Output {
    file: File,
    format: Format,
    /// CSV: the data's columns (the response struct's fields).
    columns: Vec<&'static str>,
}

impl Output {
    /// Opens `path` for writing; with `resume`, keeps the lines of rows that succeeded
    /// and returns their numbers. Without it, an output that exists is refused, so that
    /// a second run never mixes with a first.
    pub fn open(
        path: &str,
        format: Format,
        endpoint: &EndpointDef,
        resume: bool,
    ) -> Result<(Output, HashSet<usize>), Failure> {
        let cannot =
            |e: std::io::Error| Failure::config(format!("cannot write the output {path}: {e}"));
        let columns = data_columns(endpoint);
        let exists = Path::new(path).metadata().is_ok_and(|m| m.len() > 0);
        let mut done = HashSet::new();
        if exists && !resume {
            return Err(Failure::usage(format!(
                "the output {path} exists; pass --resume to go on with it, or choose another file"
            )));
        }
        if exists {
            let kept = succeeded(path, format).map_err(cannot)?;
            let staging = format!("{path}.resume");
            let mut file = File::create(&staging).map_err(cannot)?;
            for (row, line) in &kept {
                done.insert(*row);
                file.write_all(line.as_bytes()).map_err(cannot)?;
            }
            file.sync_all().map_err(cannot)?;
            std::fs::rename(&staging, path).map_err(cannot)?;
        }
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(cannot)?;
        if format == Format::Csv && done.is_empty() {
            let mut header = csv::Writer::from_writer(Vec::new());
            let _ = header.write_record(CSV_HEAD.iter().chain(&columns));
            file.write_all(&header.into_inner().unwrap_or_default())
                .map_err(cannot)?;
        }
        Ok((
            Output {
                file,
                format,
                columns,
            },
            done,
        ))
    }

    /// Writes one row's outcome line (or lines) and flushes it.
    pub fn write(
        &mut self,
        row: usize,
        result: &Result<Value, aimis::Error>,
    ) -> Result<(), Failure> {
        let text = match self.format {
            Format::Jsonl => format!("{}\n", aimis::batch::outcome_line(row, result)).into_bytes(),
            Format::Csv => self.csv_lines(&aimis::batch::outcome_json(row, result)),
        };
        self.file
            .write_all(&text)
            .and_then(|()| self.file.flush())
            .map_err(|e| Failure::config(format!("cannot write the output: {e}")))
    }

    fn csv_lines(&self, line: &Value) -> Vec<u8> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let error = &line["error"];
        let head = [
            line["row"].to_string(),
            line["ok"].to_string(),
            text(&error["kind"]),
            text(&error["code"]),
            text(&error["message"]),
        ];
        let items: Vec<&Value> = match &line["data"] {
            Value::Array(items) if !items.is_empty() => items.iter().collect(),
            Value::Array(_) | Value::Null => vec![&Value::Null],
            data => vec![data],
        };
        for item in items {
            let cells = self.columns.iter().map(|c| text(&item[*c]));
            let _ = writer.write_record(head.iter().cloned().chain(cells));
        }
        writer.into_inner().unwrap_or_default()
    }
}

/// A cell's text: strings as they are, other values as JSON, null as empty.
fn text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The response's fields, for CSV columns: a struct's (or a list's items'), else `data`.
fn data_columns(endpoint: &EndpointDef) -> Vec<&'static str> {
    let mut ty = &endpoint.response;
    while let TypeRef::List(inner) = ty {
        ty = inner;
    }
    match ty {
        TypeRef::Struct(def) => def.fields.iter().map(|f| f.name).collect(),
        _ => vec!["data"],
    }
}

/// The lines (with their row numbers) of rows that succeeded in an earlier run.
fn succeeded(path: &str, format: Format) -> std::io::Result<Vec<(usize, String)>> {
    let mut kept = Vec::new();
    let lines = BufReader::new(File::open(path)?)
        .lines()
        .map_while(Result::ok);
    for (n, line) in lines.enumerate() {
        let row_ok = match format {
            Format::Jsonl => serde_json::from_str::<Value>(&line).ok().and_then(|v| {
                let ok = v["ok"].as_bool()?;
                Some((usize::try_from(v["row"].as_u64()?).ok()?, ok))
            }),
            Format::Csv if n == 0 => {
                kept.push((0, format!("{line}\n")));
                continue;
            }
            Format::Csv => {
                let mut cells = line.splitn(3, ',');
                let row = cells.next().and_then(|r| r.parse().ok());
                row.zip(cells.next().map(|ok| ok == "true"))
            }
        };
        // A half-written last line of a killed run does not parse: it is redone.
        if let Some((row, true)) = row_ok {
            kept.push((row, format!("{line}\n")));
        }
    }
    Ok(kept)
}
