//! `aimis batch`: many requests of one endpoint from a CSV or JSON Lines file, at the
//! platform's pace (`--concurrency`, `--rate`, back-off when asked to slow down), with
//! progress on stderr, each outcome written as it completes, and `--resume` after a
//! crash or a kill.

mod input;
mod output;
mod progress;
mod resume;

use std::collections::BTreeMap;
use std::time::Instant;

use aimis::{BatchOptions, Error, SERVICE};
use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};

use crate::client;
use crate::fail::Failure;
use input::Format;
use output::Output;
use progress::Progress;

pub fn command() -> Command {
    Command::new("batch")
        .about("Run many requests of one endpoint from CSV or JSON Lines, with progress, rate limits and resume")
        .long_about(
            "Run one request per input row: CSV with a header row of field names (the vendor's, or\n\
             their snake or kebab forms) or JSON Lines of requests, patient data in plaintext.\n\
             Each row's outcome is written to --output (readable by its owner only) as soon as it\n\
             completes: a JSON line {\"row\": N, \"ok\": true, \"data\": ..., \"fingerprint\": F} or\n\
             {\"row\": N, \"ok\": false, \"error\": {\"kind\", \"code\", \"message\"}, \"fingerprint\": F}, rows\n\
             numbered from 1 (or CSV, list results one line per item, cells a spreadsheet would run\n\
             as a formula prefixed with '). A row's failure is its outcome; the exit status is 0\n\
             once every row has one, and 2 if a row could not be read (not UTF-8, not JSON, a\n\
             broken CSV record). --resume goes on with an output left by a killed run: rows that\n\
             succeeded are kept and not sent again, the others are done again; it refuses, before\n\
             sending anything, an input whose kept rows are not the requests their outcomes\n\
             answered (rows deleted or inserted).",
        )
        .after_help(crate::fail::exit_codes_help(&[
            "A row's failure (the platform's error, the network's) is that row's outcome, not the exit status:",
            "the batch exits 0 once every row has one, 2 when a row could not be read or --resume refused the input.",
        ]))
        .arg(Arg::new("endpoint").required(true).value_name("ENDPOINT").help("patient-studies, patientStudies, ..."))
        .arg(
            Arg::new("input")
                .long("input")
                .value_name("FILE")
                .required(true)
                .help("The requests: a .csv or .jsonl file, or `-` for stdin (JSON Lines unless --input-format)"),
        )
        .arg(Arg::new("output").long("output").value_name("FILE").required(true).help("Where the outcomes go"))
        .arg(
            Arg::new("concurrency")
                .long("concurrency")
                .value_name("N")
                .value_parser(value_parser!(usize))
                .default_value("8")
                .help("At most this many requests in flight"),
        )
        .arg(
            Arg::new("rate")
                .long("rate")
                .value_name("PER_SECOND")
                .value_parser(value_parser!(f64))
                .help("At most this many requests started per second"),
        )
        .arg(
            Arg::new("resume")
                .long("resume")
                .action(ArgAction::SetTrue)
                .help("Go on with an existing output: keep the rows that succeeded, redo the rest"),
        )
        .arg(
            Arg::new("input-format")
                .long("input-format")
                .value_parser(["csv", "jsonl"])
                .help("csv or jsonl [default: by the file's extension]"),
        )
        .arg(
            Arg::new("output-format")
                .long("output-format")
                .value_parser(["jsonl", "csv"])
                .help("jsonl or csv [default: by the file's extension, else jsonl]"),
        )
}

pub fn run(matches: &ArgMatches) -> Result<(), Failure> {
    let name = matches
        .get_one::<String>("endpoint")
        .map_or("", String::as_str);
    let endpoint = SERVICE.endpoint(name).ok_or_else(|| {
        Failure::usage(format!(
            "unknown endpoint `{name}`; `aimis endpoints` lists them"
        ))
    })?;
    let source = matches
        .get_one::<String>("input")
        .map_or("-", String::as_str);
    let target = matches
        .get_one::<String>("output")
        .map_or("", String::as_str);
    let input_format = Format::choose(
        matches
            .get_one::<String>("input-format")
            .map(String::as_str),
        source,
        Format::Jsonl,
    )?;
    let output_format = Format::choose(
        matches
            .get_one::<String>("output-format")
            .map(String::as_str),
        target,
        Format::Jsonl,
    )?;
    let options = BatchOptions {
        concurrency: matches
            .get_one::<usize>("concurrency")
            .copied()
            .unwrap_or(8),
        rate: matches.get_one::<f64>("rate").copied(),
        ..BatchOptions::default()
    };
    // The core's messages name the option first: `--rate must be from ...`.
    options.check().map_err(|e| match e {
        Error::Config { message } => Failure::usage(format!("--{message}")),
        other => other.into(),
    })?;
    let client = client::build(matches)?;
    let token = crate::creds::credentials(matches)?.token().clone();
    let previous = Output::previous(target, output_format, endpoint, matches.get_flag("resume"))?;
    let done = previous
        .as_ref()
        .map(|p| p.done.clone())
        .unwrap_or_default();
    // Before anything is sent: the rows done are still the input's (a file is read
    // twice, once here; standard input once, so it cannot be resumed).
    let total = match source {
        "-" if !done.is_empty() => {
            return Err(Failure::usage(
                "--resume needs --input to be a file, read once to check it against the output before anything is sent",
            ));
        }
        "-" => None,
        path => Some(resume::check(
            input::rows(input::open(path)?, input_format, endpoint)?,
            &done,
            &token,
            endpoint.name,
        )?),
    };
    let rows = input::rows(input::open(source)?, input_format, endpoint)?;
    let mut output = Output::open(target, output_format, endpoint, previous)?;
    let rows = rows.filter(move |(row, _)| !done.contains_key(row));
    let mut progress = Progress::start(total);
    let mut summary = Summary::default();
    let mut unreadable = Vec::new();
    let mut write_error = None;
    let call = |(_, request): &input::Row| match request {
        Ok(request) => client.call_json(endpoint.name, request),
        Err(why) => Err(aimis::batch::unreadable_row(why.as_str())),
    };
    aimis::batch::run(&options, &SERVICE, rows, call, |outcome| {
        summary.count(&outcome.result);
        progress.update(&summary);
        let (row, request) = &outcome.input;
        let fingerprint = match request {
            Ok(request) => Some(aimis::batch::fingerprint(&token, endpoint.name, request)),
            Err(_) => {
                unreadable.push(*row);
                None
            }
        };
        if write_error.is_none()
            && let Err(e) = output.write(*row, fingerprint.as_deref(), &outcome.result)
        {
            write_error = Some(e);
        }
    })?;
    progress.finish();
    eprintln!("{}", summary.report());
    if let Some(e) = write_error {
        return Err(e);
    }
    unreadable.sort_unstable();
    match unreadable.first() {
        None => Ok(()),
        Some(first) => Err(Failure::usage(format!(
            "{} rows of the input could not be read (the first: row {first}); their outcomes say why. Fix them and run again with --resume",
            unreadable.len()
        ))),
    }
}

/// What the rows came to, for the progress line and the closing summary.
#[derive(Default)]
pub struct Summary {
    started: Option<Instant>,
    ok: usize,
    api: BTreeMap<i64, usize>,
    validation: usize,
    transport: usize,
    other: usize,
}

impl Summary {
    fn count(&mut self, result: &Result<serde_json::Value, Error>) {
        self.started.get_or_insert_with(Instant::now);
        match result {
            Ok(_) => self.ok += 1,
            Err(Error::Api { code, .. }) => *self.api.entry(*code).or_default() += 1,
            Err(Error::Validation { .. }) => self.validation += 1,
            Err(Error::Transport { .. } | Error::Timeout(_) | Error::Http { .. }) => {
                self.transport += 1
            }
            Err(_) => self.other += 1,
        }
    }

    pub fn done(&self) -> usize {
        self.ok + self.failed()
    }

    pub fn failed(&self) -> usize {
        self.api.values().sum::<usize>() + self.validation + self.transport + self.other
    }

    pub fn ok(&self) -> usize {
        self.ok
    }

    fn report(&self) -> String {
        let elapsed = self.started.map_or(0.0, |s| s.elapsed().as_secs_f64());
        let rate = if elapsed > 0.0 {
            self.done() as f64 / elapsed
        } else {
            0.0
        };
        let api: Vec<String> = self
            .api
            .iter()
            .map(|(code, n)| match SERVICE.error_name(*code) {
                Some(name) => format!("{code} {name} x{n}"),
                None => format!("{code} x{n}"),
            })
            .collect();
        let api = if api.is_empty() {
            String::new()
        } else {
            format!(" ({})", api.join(", "))
        };
        format!(
            "aimis batch: {} rows: {} ok, {} API errors{api}, {} invalid, {} transport, {} other; {elapsed:.1} s, {rate:.1} rows/s",
            self.done(),
            self.ok,
            self.api.values().sum::<usize>(),
            self.validation,
            self.transport,
            self.other,
        )
    }
}
