//! `aimis`: call AIMIS endpoints, encrypt and sign for support cases, run the local
//! simulator, the callback inbox and the demo. Everything endpoint-specific comes from
//! the spec's registry.

mod batch;
mod call;
mod client;
mod creds;
mod crypto;
mod demo;
mod endpoints;
mod fail;
mod inbox;
mod logging;
mod out;
mod serve_limits;
mod sim;
mod table;

use std::process::ExitCode;

use clap::Command;

use crate::fail::{Failure, Kind};

fn command() -> Command {
    Command::new("aimis")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Tencent AIMIS (Internet Hospital APIs) from the command line")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .after_help(fail::exit_codes_help(&[]))
        // Global: accepted before or after the subcommand; given twice, the last wins.
        .args_override_self(true)
        .args(creds::args())
        .args(client::args())
        .arg(logging::arg())
        .subcommand(endpoints::command())
        .subcommand(call::command())
        .subcommand(batch::command())
        .subcommand(crypto::command())
        .subcommand(sim::command())
        .subcommand(inbox::command())
        .subcommand(demo::command())
}

fn main() -> ExitCode {
    let matches = match command().try_get_matches() {
        Ok(matches) => matches,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                Kind::Usage.exit_code()
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let serves = match matches.subcommand() {
        Some(("sim", m)) => m.subcommand_name().is_none(),
        Some(("inbox", m)) => m.subcommand_name() == Some("serve"),
        _ => false,
    };
    let logging = logging::from_command_line(matches.get_count("verbose"), serves);
    let outcome = match matches.subcommand() {
        Some(("endpoints", m)) => {
            endpoints::run(m);
            Ok(())
        }
        Some(("call", m)) => call::run(m),
        Some(("batch", m)) => batch::run(m),
        Some(("crypto", m)) => crypto::run(m),
        Some(("sim", m)) => sim::run(m),
        Some(("inbox", m)) => inbox::run(m),
        Some(("demo", m)) => demo::run(m),
        _ => Err(Failure::usage("unknown command; see `aimis --help`")),
    };
    // What was logged comes out before the failure it led to.
    drop(logging);
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            // Failures can quote the platform's messages: shown as text, never obeyed.
            eprintln!("aimis: {}", out::printable(&failure.to_string()));
            failure.kind.exit_code()
        }
    }
}
