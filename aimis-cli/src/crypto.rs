//! `aimis crypto`: the field cipher and the signature by hand, for support cases.

use std::io::Read;

use clap::{Arg, ArgMatches, Command};

use crate::creds;
use crate::fail::Failure;
use crate::out::outln;

pub fn command() -> Command {
    Command::new("crypto")
        .about("Encrypt, decrypt or sign by hand, as the platform does; one line on stdout")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("encrypt")
                .about("Encrypt a field value (AES-256-ECB with the token, hex)")
                .arg(value_arg(
                    "VALUE",
                    "The plaintext; omit it to read stdin, which keeps it out of shell history",
                )),
        )
        .subcommand(
            Command::new("decrypt")
                .about("Decrypt a field value (hex in either case)")
                .arg(value_arg("HEX", "The ciphertext; omit it to read stdin")),
        )
        .subcommand(
            Command::new("sign")
                .about("The `signature` header for an app id and a timestamp")
                .arg(
                    Arg::new("timestamp")
                        .long("timestamp")
                        .value_name("MS")
                        .required(true)
                        .help("The `timestamp` header: milliseconds since the epoch"),
                ),
        )
}

fn value_arg(name: &'static str, help: &'static str) -> Arg {
    Arg::new("value").value_name(name).help(help)
}

/// The positional value, or stdin without its trailing newline.
fn value(matches: &ArgMatches) -> Result<String, Failure> {
    if let Some(value) = matches.get_one::<String>("value") {
        return Ok(value.clone());
    }
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| Failure::usage(format!("cannot read stdin: {e}")))?;
    Ok(text.trim_end_matches(['\r', '\n']).to_owned())
}

pub fn run(matches: &ArgMatches) -> Result<(), Failure> {
    let line = match matches.subcommand() {
        Some(("encrypt", m)) => aimis::encrypt_field(&creds::required_token(m)?, &value(m)?)?,
        Some(("decrypt", m)) => aimis::decrypt_field(&creds::required_token(m)?, value(m)?.trim())?,
        Some(("sign", m)) => {
            let timestamp = m.get_one::<String>("timestamp").map_or("", String::as_str);
            aimis::sign(
                &creds::required_app_id(m)?,
                &creds::required_token(m)?,
                timestamp,
            )?
        }
        _ => {
            return Err(Failure::usage(
                "expected encrypt, decrypt or sign; see `aimis crypto --help`",
            ));
        }
    };
    outln!("{line}");
    Ok(())
}
