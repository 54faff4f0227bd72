//! `--resume`: what an earlier run of the same batch left in the output. A row is done
//! when its outcome succeeded, was written to the end (its line break included), and
//! carries the fingerprint of its request; every other row is done again. Before
//! anything is sent, the input is checked against the fingerprints: a row whose
//! request is not the one its outcome answered (rows edited, deleted or inserted, or
//! another token) refuses the resume, naming the row.

use std::collections::HashMap;

use aimis::Token;
use serde_json::Value;

use super::input::{Format, Row};
use crate::fail::Failure;

/// The outcomes kept from an earlier run.
pub struct Previous {
    /// The kept output, as it is to be written again: the CSV header (if any) and
    /// each done row's line or lines.
    pub text: Vec<u8>,
    /// Each done row's number and its request's fingerprint.
    pub done: HashMap<usize, String>,
}

/// Reads the output `text` an earlier run wrote in `format`, with the CSV `header`
/// this run would write.
pub fn read(text: &[u8], format: Format, header: &[&str]) -> Result<Previous, Failure> {
    match format {
        Format::Jsonl => Ok(read_jsonl(text)),
        Format::Csv => read_csv(text, header),
    }
}

fn read_jsonl(text: &[u8]) -> Previous {
    let mut previous = Previous {
        text: Vec::new(),
        done: HashMap::new(),
    };
    // A last line without its line break is half-written (a killed run): not done.
    for line in text.split_inclusive(|b| *b == b'\n') {
        if !line.ends_with(b"\n") {
            continue;
        }
        let Ok(outcome) = serde_json::from_slice::<Value>(line) else {
            continue;
        };
        let row = outcome["row"]
            .as_u64()
            .and_then(|r| usize::try_from(r).ok());
        let fingerprint = outcome["fingerprint"].as_str();
        if let (Some(row), Some(true), Some(fingerprint)) =
            (row, outcome["ok"].as_bool(), fingerprint)
        {
            previous.done.insert(row, fingerprint.to_owned());
            previous.text.extend_from_slice(line);
        }
    }
    previous
}

/// CSV, read as CSV (a cell may hold a quoted line break). The `row` and `ok` columns
/// come first and `fingerprint` last; a row's lines are consecutive.
fn read_csv(text: &[u8], header: &[&str]) -> Result<Previous, Failure> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text);
    let found = reader
        .byte_headers()
        .map_err(|e| Failure::usage(format!("the output's CSV header cannot be read: {e}")))?
        .clone();
    if found.iter().ne(header.iter().map(|h| h.as_bytes())) {
        return Err(Failure::usage(
            "the output's CSV header is not the one this batch writes (another endpoint, or not written by aimis batch); choose another --output",
        ));
    }
    let mut records: Vec<csv::ByteRecord> = reader.byte_records().filter_map(Result::ok).collect();
    if !text.ends_with(b"\n") {
        // The last record was cut short by a killed run, and the record before it may
        // be an earlier line of the same row: neither row is done.
        let cut = records.pop();
        let rows: Vec<Vec<u8>> = [cut.as_ref(), records.last()]
            .into_iter()
            .flatten()
            .map(|record| record.get(0).unwrap_or_default().to_vec())
            .collect();
        records.retain(|record| {
            !rows
                .iter()
                .any(|row| row == record.get(0).unwrap_or_default())
        });
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(header);
    let mut done = HashMap::new();
    for record in &records {
        // Only whole records (the header's width) of rows that succeeded count.
        if record.len() != header.len() || &record[1] != b"true" {
            continue;
        }
        let row = std::str::from_utf8(&record[0])
            .ok()
            .and_then(|r| r.parse().ok());
        let fingerprint = std::str::from_utf8(&record[header.len() - 1]).ok();
        if let (Some(row), Some(fingerprint)) = (row, fingerprint)
            && !fingerprint.is_empty()
        {
            done.insert(row, fingerprint.to_owned());
            let _ = writer.write_byte_record(record);
        }
    }
    Ok(Previous {
        text: writer.into_inner().unwrap_or_default(),
        done,
    })
}

/// Checks every row of `rows` that `done` holds against its fingerprint, and counts
/// the rows.
pub fn check(
    rows: impl Iterator<Item = Row>,
    done: &HashMap<usize, String>,
    token: &Token,
    endpoint: &str,
) -> Result<usize, Failure> {
    let mut count = 0;
    for (row, request) in rows {
        count = row;
        let Some(expected) = done.get(&row) else {
            continue;
        };
        let same = request
            .as_ref()
            .is_ok_and(|r| aimis::batch::fingerprint(token, endpoint, r) == *expected);
        if !same {
            return Err(changed(format!(
                "row {row} is not the request whose outcome the output holds"
            )));
        }
    }
    if let Some(beyond) = done.keys().filter(|row| **row > count).min() {
        return Err(changed(format!(
            "the output holds an outcome of row {beyond}, and the input has {count} rows"
        )));
    }
    Ok(count)
}

fn changed(what: String) -> Failure {
    Failure::usage(format!(
        "--resume: the input is not the one the output was written for: {what} (rows edited, deleted or inserted, or another token). Nothing was sent; run the edited input with a new --output"
    ))
}
