//! `aimis sim callback`: one study status callback, built, encrypted, signed and retried
//! exactly as the simulator sends them, to any URL (an inbox, a HIS's endpoint), without a
//! running simulator or its admin token.

use std::io::Write;

use aimis::StudyStatus;
use aimis_sim::AdvanceError;
use clap::{Arg, ArgMatches, Command};

use crate::fail::{Failure, exit_codes_help};

pub fn command() -> Command {
    Command::new("callback")
        .about("Send one study status callback to a URL, as the platform does, and print what became of it")
        .long_about(
            "Send the status callback of one of the fixtures' studies (S0001 to S0007 and S0101,\n\
             S0102 in the demo set) to --to, signed and encrypted with the command line's\n\
             credentials (the demo app's without any), retried as `aimis sim` retries. Prints the\n\
             delivery as one JSON line: {\"studyId\", \"status\", \"url\", \"delivered\", \"attempts\"}.",
        )
        .arg(
            Arg::new("to")
                .long("to")
                .value_name("URL")
                .required(true)
                .help("Where to post the callback, such as an inbox: http://127.0.0.1:8700/"),
        )
        .arg(
            Arg::new("study")
                .long("study")
                .value_name("STUDY_ID")
                .required(true)
                .help("The study whose status changes (its studyId in the fixtures)"),
        )
        .arg(
            Arg::new("status")
                .long("status")
                .value_name("STATUS")
                .required(true)
                .value_parser(|text: &str| {
                    StudyStatus::DEF
                        .parse(text)
                        .map(|value| StudyStatus::from_code(value.value))
                        .ok_or_else(|| format!("must be one of {}", StudyStatus::DEF.choices()))
                })
                .help(format!("The study's new status, by number or name: {}", StudyStatus::DEF.choices())),
        )
        .arg(super::fixtures_arg())
        .arg(super::callback_retries_arg())
        .after_help(exit_codes_help(&[
            "The receiver not acknowledging the callback after the retries is a transport failure (4).",
        ]))
}

pub fn run(matches: &ArgMatches) -> Result<(), Failure> {
    let url = matches.get_one::<String>("to").expect("required");
    let study = matches.get_one::<String>("study").expect("required");
    let status = *matches.get_one::<StudyStatus>("status").expect("required");
    // Serves nothing anyone asks: only its callback sender is used.
    let sim = super::builder(matches)?
        .callback_url(url)
        .spawn("127.0.0.1:0")
        .map_err(|e| Failure::config(format!("cannot start the simulator on loopback: {e}")))?;
    let delivery = sim.advance_study(study, status).map_err(|e| match e {
        AdvanceError::UnknownStudy => Failure::usage(
            "--study: no study of the fixtures has this studyId; see `aimis sim callback --help`",
        ),
        other => Failure::config(format!("cannot send the callback: {other}")),
    })?;
    let line = serde_json::to_string(&delivery).expect("a delivery is JSON");
    writeln!(std::io::stdout(), "{line}")
        .map_err(|e| Failure::transport(format!("cannot write to stdout: {e}")))?;
    if delivery.delivered {
        return Ok(());
    }
    let last = delivery
        .attempts
        .last()
        .map(|a| {
            a.error
                .clone()
                .or_else(|| a.message.clone())
                .unwrap_or_else(|| "no reason given".to_owned())
        })
        .unwrap_or_default();
    Err(Failure::transport(format!(
        "--to {url} did not acknowledge the callback (attempts: {}, the last: {last}); \
         check that the receiver runs there with the same app id and token",
        delivery.attempts.len()
    )))
}
