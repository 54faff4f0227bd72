//! `aimis endpoints`: what the spec offers, as a list or as JSON.

use aimis::SERVICE;
use clap::{Arg, ArgAction, ArgMatches, Command};
use serde_json::{Value, json};

use aimis::names::kebab;

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
        println!(
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
        println!("{name:<w0$}  {route:<w1$}  {title}");
    }
    println!("\nFields and flags: aimis call <endpoint> --help");
}

fn as_json() -> Value {
    let endpoints: Vec<Value> = SERVICE
        .endpoints
        .iter()
        .map(|e| {
            let fields: Vec<Value> = e
                .request
                .iter()
                .map(|f| {
                    json!({
                        "name": f.name,
                        "flag": format!("--{}", f.snake.replace('_', "-")),
                        "type": f.ty.name(),
                        "required": f.required,
                        "encrypted": f.encrypted,
                        "doc": f.doc,
                    })
                })
                .collect();
            json!({
                "name": e.name,
                "command": kebab(e.name),
                "title": e.title,
                "doc": e.doc,
                "method": e.method,
                "path": e.path,
                "request": fields,
                "response": e.response.name(),
            })
        })
        .collect();
    Value::Array(endpoints)
}
