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
    BufReader::new(reader)
        .lines()
        .map_while(Result::ok)
        .filter(|line| !line.trim().is_empty())
        .enumerate()
        .map(|(n, line)| {
            let request =
                serde_json::from_str::<Value>(&line).map_err(|_| "the line is not JSON".to_owned());
            (n + 1, request)
        })
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
    Ok(Box::new(csv.into_records().enumerate().map(
        move |(n, record)| {
            let request = match record {
                Ok(record) => Ok(request(&columns, &record)),
                Err(_) => {
                    Err("the CSV line cannot be read (quoting or number of columns)".to_owned())
                }
            };
            (n + 1, request)
        },
    )))
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
