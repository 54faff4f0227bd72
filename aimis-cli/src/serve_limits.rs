//! `aimis inbox serve`'s bounds on what clients may hold: how long they may take over a
//! request's head and body, how many connections, and how long a stop waits.

use std::time::Duration;

use aimis_inbox::ServeOptions;
use clap::{Arg, ArgMatches, value_parser};

pub fn args() -> [Arg; 4] {
    let seconds = |name: &'static str, help: &'static str| {
        Arg::new(name)
            .long(name)
            .value_name("SECONDS")
            .value_parser(value_parser!(u64).range(1..=3600))
            .default_value("10")
            .help(help)
    };
    [
        seconds(
            "header-timeout",
            "How long a client may take to send a request's head, from connecting or its previous answer (so also how long an idle connection stays open)",
        ),
        seconds("body-timeout", "How long a client may take to send a request's body"),
        seconds(
            "stop-timeout",
            "On SIGTERM, how long requests in flight may take before every connection left is dropped",
        ),
        Arg::new("max-connections")
            .long("max-connections")
            .value_name("N")
            .value_parser(value_parser!(u32).range(1..=1_000_000))
            .help("Connections held at once; at the limit the oldest idle or slow one is closed for a new one [default: under the descriptor limit, at most 4096]"),
    ]
}

/// The bounds given on the command line, over the defaults.
pub fn apply(matches: &ArgMatches, options: &mut ServeOptions) {
    let seconds = |name: &str| {
        matches
            .get_one::<u64>(name)
            .copied()
            .map(Duration::from_secs)
    };
    if let Some(timeout) = seconds("header-timeout") {
        options.header_timeout = timeout;
    }
    if let Some(timeout) = seconds("body-timeout") {
        options.body_timeout = timeout;
    }
    if let Some(timeout) = seconds("stop-timeout") {
        options.stop_timeout = timeout;
    }
    if let Some(&max) = matches.get_one::<u32>("max-connections") {
        options.max_connections = max as usize;
    }
}
