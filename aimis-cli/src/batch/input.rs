//! Batch input, streamed: CSV with a header row of field names (the vendor's, or their
//! snake or kebab forms) or JSON Lines, one request per row, rows numbered from 1.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use aimis::names::fold;
use aimis::registry::{EndpointDef, FieldDef, TypeRef};
use serde_json::{Map, Value};

use crate::fail::Failure;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
}

impl Format {
    /// `--input-format`/`--output-format`, else the file's extension, else `default`.
    pub fn choose(given: Option<&str>, path: &str, default: Format) -> Result<Format, Failure> {
        let by_extension = Path::new(path)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match given.or(by_extension.as_deref()) {
            Some("csv") => Ok(Format::Csv),
            Some("jsonl" | "ndjson" | "json") => Ok(Format::Jsonl),
            None => Ok(default),
            Some(_) if given.is_none() => Ok(default),
            Some(other) => Err(Failure::usage(format!(
                "format `{other}`: expected csv or jsonl"
            ))),
        }
    }
}

/// A row: its number (from 1) and its request, or why it cannot be one.
pub type Row = (usize, Result<Value, String>);

/// Opens `source` (a path, or `-` for stdin).
pub fn open(source: &str) -> Result<Box<dyn Read + Send>, Failure> {
    if source == "-" {
        return Ok(Box::new(std::io::stdin()));
    }
    let file = File::open(source)
        .map_err(|e| Failure::usage(format!("cannot read the input {source}: {e}")))?;
    Ok(Box::new(file))
}

/// The rows of `reader`, lazily.
pub fn rows(
    reader: Box<dyn Read + Send>,
    format: Format,
    endpoint: &'static EndpointDef,
) -> Result<Box<dyn Iterator<Item = Row> + Send>, Failure> {
    match format {
        Format::Jsonl => Ok(Box::new(jsonl(reader))),
        Format::Csv => csv_rows(reader, endpoint),
    }
}

fn jsonl(reader: Box<dyn Read + Send>) -> impl Iterator<Item = Row> + Send {
    JsonLines {
        reader: BufReader::new(reader),
        line: 0,
        row: 0,
        failed: false,
    }
}

/// JSON Lines, one row per line that is not blank. A line that is not UTF-8 or not
/// JSON is its row's failure and the rows go on; a read error is the failure of the
/// row it interrupted, and the last row.
struct JsonLines {
    reader: BufReader<Box<dyn Read + Send>>,
    /// The line read last, from 1.
    line: usize,
    /// The row read last, from 1.
    row: usize,
    failed: bool,
}

impl Iterator for JsonLines {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        if self.failed {
            return None;
        }
        let mut bytes = Vec::new();
        loop {
            bytes.clear();
            self.line += 1;
            match self.reader.read_until(b'\n', &mut bytes) {
                Ok(0) => return None,
                Ok(_) if bytes.trim_ascii().is_empty() => continue,
                Ok(_) => break,
                Err(e) => {
                    self.failed = true;
                    self.row += 1;
                    let why = format!("line {} cannot be read: {}", self.line, e.kind());
                    return Some((self.row, Err(why)));
                }
            }
        }
        self.row += 1;
        let request = match std::str::from_utf8(&bytes) {
            Ok(text) => serde_json::from_str::<Value>(text)
                .map_err(|_| format!("line {} is not JSON", self.line)),
            Err(e) => Err(not_utf8(self.line, e)),
        };
        Some((self.row, request))
    }
}

/// Why a line that is not UTF-8 cannot be read.
fn not_utf8(line: usize, error: std::str::Utf8Error) -> String {
    format!(
        "line {line} is not UTF-8 text (byte {}; a GBK or ANSI export? save the file as UTF-8)",
        error.valid_up_to() + 1
    )
}

fn csv_rows(
    reader: Box<dyn Read + Send>,
    endpoint: &'static EndpointDef,
) -> Result<Box<dyn Iterator<Item = Row> + Send>, Failure> {
    let mut csv = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(reader);
    let headers = csv
        .headers()
        .map_err(|e| Failure::usage(format!("the CSV header row cannot be read: {e}")))?;
    let columns: Vec<&'static FieldDef> = headers
        .iter()
        .map(|name| column(endpoint, name))
        .collect::<Result<_, _>>()?;
    for (n, field) in columns.iter().enumerate() {
        if let Some(first) = columns[..n].iter().position(|f| f.name == field.name) {
            return Err(Failure::usage(format!(
                "CSV columns `{}` and `{}` are both the field {}; keep one",
                headers[first].trim(),
                headers[n].trim(),
                field.name
            )));
        }
    }
    // Read as bytes: a record that is not UTF-8 is reported as that, not as bad quoting.
    // A read error is the failure of the record it interrupted, and the last.
    let mut ended = false;
    Ok(Box::new(csv.into_byte_records().enumerate().map_while(
        move |(n, record)| {
            if ended {
                return None;
            }
            ended = record.as_ref().is_err_and(csv::Error::is_io_error);
            let request = match record {
                Ok(record) => {
                    let place = record_place(n + 1, record.position());
                    match csv::StringRecord::from_byte_record(record) {
                        Ok(record) => Ok(request(&columns, &record)),
                        Err(e) => Err(format!(
                            "{place} is not UTF-8 text (column {}, byte {}; a GBK or ANSI export? save the file as UTF-8)",
                            e.utf8_error().field() + 1,
                            e.utf8_error().valid_up_to() + 1
                        )),
                    }
                }
                Err(e) => Err(format!(
                    "{} cannot be read (quoting or number of columns)",
                    record_place(n + 1, e.position())
                )),
            };
            Some((n + 1, request))
        },
    )))
}

/// "CSV record N (line L)", for messages about a record.
fn record_place(record: usize, position: Option<&csv::Position>) -> String {
    match position {
        Some(p) => format!("CSV record {record} (line {})", p.line()),
        None => format!("CSV record {record}"),
    }
}

/// The field a header names: the vendor's name, or its snake or kebab form.
fn column(endpoint: &EndpointDef, header: &str) -> Result<&'static FieldDef, Failure> {
    let fields: &'static [FieldDef] = endpoint.request;
    fields
        .iter()
        .find(|f| fold(f.name) == fold(header.trim()))
        .ok_or_else(|| {
            let expected: Vec<_> = fields.iter().map(|f| f.name).collect();
            Failure::usage(format!(
                "CSV column `{}` is not a field of {}; expected some of {}",
                header.trim(),
                endpoint.name,
                expected.join(", ")
            ))
        })
}

/// A CSV record as a request: empty cells left out, whole numbers for int fields
/// (enum fields take a number or a name, as text).
fn request(columns: &[&FieldDef], record: &csv::StringRecord) -> Value {
    let mut object = Map::new();
    for (field, cell) in columns.iter().zip(record.iter()) {
        if cell.is_empty() {
            continue;
        }
        let value = match field.ty {
            TypeRef::Int => cell
                .trim()
                .parse::<i64>()
                .map_or_else(|_| Value::from(cell), Value::from),
            _ => Value::from(cell),
        };
        object.insert(field.name.to_owned(), value);
    }
    Value::Object(object)
}
