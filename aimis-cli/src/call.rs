//! `aimis call <endpoint>`: one subcommand per endpoint of the spec, one flag per
//! request field, all built at run time from the registry.

use std::io::Read;
use std::path::Path;

use aimis::SERVICE;
use aimis::registry::{EndpointDef, FieldDef, TypeRef};
use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};
use serde_json::{Map, Value};

use crate::fail::Failure;
use crate::out::outln;
use crate::{client, table};
use aimis::names::{kebab, snake};

pub fn command() -> Command {
    Command::new("call")
        .about("Call an endpoint: fields as flags or --input JSON; prints the response data")
        .long_about(
            "Call an endpoint of the AIMIS API. Each request field is a flag (the kebab-case of its\n\
             wire name); enum fields take a number or a name. `--input FILE` (or `-` for stdin) takes\n\
             the request as JSON with the vendor's names and plaintext patient data; flags override it.\n\
             Patient fields are encrypted and the request is signed before it is sent.",
        )
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            Arg::new("input")
                .long("input")
                .value_name("FILE")
                .global(true)
                .help("The request as JSON (vendor names, plaintext patient data); `-` reads stdin"),
        )
        .arg(
            Arg::new("json")
                .long("json")
                .global(true)
                .action(ArgAction::SetTrue)
                .help("Print the response data as JSON with the vendor's names, instead of a table"),
        )
        .subcommands(SERVICE.endpoints.iter().map(endpoint_command))
}

fn endpoint_command(endpoint: &'static EndpointDef) -> Command {
    let name = kebab(endpoint.name);
    let mut aliases = vec![snake(endpoint.name), endpoint.name.to_owned()];
    aliases.retain(|a| *a != name);
    aliases.dedup();
    Command::new(name)
        .about(format!("{}: {}", endpoint.title, endpoint.doc))
        .long_about(format!(
            "{}: {}\n\n{} {} -> {}",
            endpoint.title,
            endpoint.doc,
            endpoint.method,
            endpoint.path,
            endpoint.response.name()
        ))
        .aliases(aliases)
        .args(endpoint.request.iter().map(field_arg))
}

fn field_arg(field: &'static FieldDef) -> Arg {
    let mut help = field.doc.trim_end_matches('.').to_owned();
    match field.ty {
        TypeRef::Enum(def) => help.push_str(&format!("; one of {}", def.choices())),
        TypeRef::DateTime => help.push_str("; yyyy-MM-dd HH:mm:ss"),
        _ => {}
    }
    let mut notes = Vec::new();
    if field.required {
        notes.push("required");
    }
    if field.encrypted {
        notes.push("encrypted before sending");
    }
    if !notes.is_empty() {
        help.push_str(&format!(" [{}]", notes.join(", ")));
    }
    let arg = Arg::new(field.name)
        .help_heading("Request fields")
        .long(field.snake.replace('_', "-"))
        .value_name(field.snake.to_ascii_uppercase())
        .help(help);
    match field.ty {
        TypeRef::Enum(def) => arg.value_parser(move |text: &str| {
            def.parse(text)
                .map(|v| v.value)
                .ok_or_else(|| format!("expected one of {}", def.choices()))
        }),
        TypeRef::Int => arg.value_parser(value_parser!(i64)),
        _ => arg,
    }
}

pub fn run(matches: &ArgMatches) -> Result<(), Failure> {
    let Some((name, fields)) = matches.subcommand() else {
        return Err(Failure::usage(
            "no endpoint given; `aimis endpoints` lists them",
        ));
    };
    let endpoint = SERVICE.endpoint(name).ok_or_else(|| {
        Failure::usage(format!(
            "unknown endpoint `{name}`; `aimis endpoints` lists them"
        ))
    })?;
    let mut request = match fields.get_one::<String>("input") {
        Some(source) => read_input(source)?,
        None => Map::new(),
    };
    for field in endpoint.request {
        let value = match field.ty {
            TypeRef::Enum(_) | TypeRef::Int => {
                fields.get_one::<i64>(field.name).map(|v| Value::from(*v))
            }
            _ => fields
                .get_one::<String>(field.name)
                .map(|v| Value::from(v.as_str())),
        };
        if let Some(value) = value {
            request.insert(field.name.to_owned(), value);
        }
    }
    let client = client::build(fields)?;
    let data = client.call_json(endpoint.name, &Value::Object(request))?;
    let out = if fields.get_flag("json") {
        serde_json::to_string_pretty(&data).unwrap_or_default()
    } else {
        table::render(&endpoint.response, &data)
    };
    outln!("{out}");
    Ok(())
}

/// The request from a file or stdin: a JSON object.
fn read_input(source: &str) -> Result<Map<String, Value>, Failure> {
    let text = if source == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::usage(format!("cannot read the request from stdin: {e}")))?;
        text
    } else {
        std::fs::read_to_string(Path::new(source)).map_err(|e| {
            Failure::usage(format!(
                "cannot read the request file {source}: {e}; check the path"
            ))
        })?
    };
    // serde_json's message can quote the input, which holds patient data: keep the place.
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(Failure::usage(
            "--input must hold a JSON object of request fields",
        )),
        Err(e) => Err(Failure::usage(format!(
            "--input is not valid JSON (line {}, column {}); fix the file",
            e.line(),
            e.column()
        ))),
    }
}
