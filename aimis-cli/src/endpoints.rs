//! `aimis endpoints`: what the spec offers, as a list or as JSON.

use aimis::SERVICE;
use clap::{Arg, ArgAction, ArgMatches, Command};
use serde_json::Value;

use aimis::names::kebab;

use crate::out::outln;

pub fn command() -> Command {
    Command::new("endpoints")
        .about("List the API's endpoints and their fields")
        .arg(
            Arg::new("json")
                .long("json")
                .action(ArgAction::SetTrue)
                .help("Print endpoints, fields, flags and types as JSON"),
        )
}

pub fn run(matches: &ArgMatches) {
    if matches.get_flag("json") {
        outln!(
            "{}",
            serde_json::to_string_pretty(&as_json()).unwrap_or_default()
        );
        return;
    }
    let rows: Vec<[String; 3]> = SERVICE
        .endpoints
        .iter()
        .map(|e| {
            [
                kebab(e.name),
                format!("{} {}", e.method, e.path),
                e.title.to_owned(),
            ]
        })
        .collect();
    let width = |i: usize| rows.iter().map(|r| r[i].len()).max().unwrap_or(0);
    let (w0, w1) = (width(0), width(1));
    for [name, route, title] in &rows {
        outln!("{name:<w0$}  {route:<w1$}  {title}");
    }
    outln!("\nFields and flags: aimis call <endpoint> --help");
}

/// The core's description, with the CLI's spellings: each endpoint's command and each
/// field's flag.
fn as_json() -> Value {
    let mut endpoints = SERVICE.endpoints_json();
    for endpoint in endpoints.as_array_mut().into_iter().flatten() {
        let name = endpoint["name"].as_str().unwrap_or_default().to_owned();
        endpoint["command"] = kebab(&name).into();
        for field in endpoint["request"].as_array_mut().into_iter().flatten() {
            let flag = format!("--{}", kebab(field["name"].as_str().unwrap_or_default()));
            field["flag"] = flag.into();
        }
    }
    endpoints
}
