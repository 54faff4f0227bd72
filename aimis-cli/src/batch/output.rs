//! Batch output: one JSON line per row (`{"row", "ok", "data"}` or `{"row", "ok",
//! "error"}`), or CSV with list results flattened to one line per item; each row is
//! written and flushed as it completes, so that a killed run loses nothing written.
//! `--resume` keeps the rows that succeeded and forgets the rest, to be done again.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

use aimis::registry::{EndpointDef, TypeRef};
use serde_json::Value;

use super::input::Format;
use super::resume::{self, Previous};
use crate::fail::Failure;

/// The columns before the data's own in CSV output.
const CSV_HEAD: [&str; 5] = ["row", "ok", "error_kind", "error_code", "error_message"];
/// The column after the data's own: the row's fingerprint, for `--resume`.
const CSV_TAIL: &str = "fingerprint";

pub struct Output {
    file: File,
    format: Format,
    /// CSV: the data's columns (the response struct's fields).
    columns: Vec<&'static str>,
}

impl Output {
    /// What an earlier run left in `path` when resuming, read before anything is
    /// written. Without `resume`, an output that exists is refused, so that a second
    /// run never mixes with a first.
    pub fn previous(
        path: &str,
        format: Format,
        endpoint: &EndpointDef,
        resume: bool,
    ) -> Result<Option<Previous>, Failure> {
        let exists = Path::new(path).metadata().is_ok_and(|m| m.len() > 0);
        if !exists {
            return Ok(None);
        }
        if !resume {
            return Err(Failure::usage(format!(
                "the output {path} exists; pass --resume to go on with it, or choose another file"
            )));
        }
        let text = std::fs::read(path)
            .map_err(|e| Failure::config(format!("cannot read the output {path}: {e}")))?;
        resume::read(&text, format, &csv_header(endpoint)).map(Some)
    }

    /// Opens `path` for writing, readable by its owner only: with what `previous` kept
    /// of an earlier run (written to a staging file that then replaces the output), or
    /// new.
    pub fn open(
        path: &str,
        format: Format,
        endpoint: &EndpointDef,
        previous: Option<Previous>,
    ) -> Result<Output, Failure> {
        let cannot =
            |e: std::io::Error| Failure::config(format!("cannot write the output {path}: {e}"));
        let columns = data_columns(endpoint);
        let mut start = Vec::new();
        if let Some(previous) = previous {
            let staging = format!("{path}.resume");
            let mut file = private(
                OpenOptions::new().write(true).create(true).truncate(true),
                &staging,
            )
            .map_err(cannot)?;
            file.write_all(&previous.text).map_err(cannot)?;
            file.sync_all().map_err(cannot)?;
            std::fs::rename(&staging, path).map_err(cannot)?;
        } else if format == Format::Csv {
            let mut header = csv::Writer::from_writer(Vec::new());
            let _ = header.write_record(csv_header(endpoint));
            start = header.into_inner().unwrap_or_default();
        }
        let mut file =
            private(OpenOptions::new().create(true).append(true), path).map_err(cannot)?;
        file.write_all(&start).map_err(cannot)?;
        Ok(Output {
            file,
            format,
            columns,
        })
    }

    /// Writes one row's outcome line (or lines), with its request's fingerprint (none
    /// for a row that could not be read), and flushes it.
    pub fn write(
        &mut self,
        row: usize,
        fingerprint: Option<&str>,
        result: &Result<Value, aimis::Error>,
    ) -> Result<(), Failure> {
        let text = match self.format {
            Format::Jsonl => {
                let line = aimis::batch::outcome_line(row, result);
                match fingerprint {
                    // The line is one object: the fingerprint goes in before its end.
                    Some(f) => format!("{},\"fingerprint\":\"{f}\"}}\n", &line[..line.len() - 1]),
                    None => format!("{line}\n"),
                }
                .into_bytes()
            }
            Format::Csv => self.csv_lines(&aimis::batch::outcome_json(row, result), fingerprint),
        };
        self.file
            .write_all(&text)
            .and_then(|()| self.file.flush())
            .map_err(|e| Failure::config(format!("cannot write the output: {e}")))
    }

    fn csv_lines(&self, line: &Value, fingerprint: Option<&str>) -> Vec<u8> {
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
        let tail = fingerprint.unwrap_or_default().to_owned();
        for item in items {
            let cells = self.columns.iter().map(|c| text(&item[*c]));
            let record = head.iter().cloned().chain(cells).chain([tail.clone()]);
            let _ = writer.write_record(record.map(spreadsheet_safe));
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

/// A cell that Excel or WPS would take for a formula (it begins with `=`, `+`, `-`,
/// `@`, a tab or a carriage return) gets a leading `'`, so that it is shown as text
/// (OWASP's CSV injection guidance); the CSV writer quotes whatever needs quoting.
fn spreadsheet_safe(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// The CSV output's header: the outcome's columns, the data's, and the fingerprint.
fn csv_header(endpoint: &EndpointDef) -> Vec<&'static str> {
    let mut header = CSV_HEAD.to_vec();
    header.extend(data_columns(endpoint));
    header.push(CSV_TAIL);
    header
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

/// Opens `path` with `options`, readable and writable by its owner only whatever the
/// umask: a new file is created so, and a regular file that exists (an empty output, a
/// staging file left by a killed resume) is made so.
fn private(options: &mut OpenOptions, path: &str) -> std::io::Result<File> {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(options, 0o600);
    let file = options.open(path)?;
    #[cfg(unix)]
    if file.metadata()?.is_file() {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}
