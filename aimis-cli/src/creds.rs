//! Credentials from flags, a token file or the environment. The token is never echoed.

use std::path::PathBuf;

use aimis::Credentials;
use clap::{Arg, ArgAction, ArgMatches, value_parser};

use crate::fail::Failure;

pub const ENV_APP_ID: &str = "AIMIS_APP_ID";
pub const ENV_TOKEN: &str = "AIMIS_TOKEN";
pub const ENV_BASE_URL: &str = "AIMIS_BASE_URL";

/// `--app-id`, `--token`, `--token-file`, global to every subcommand.
pub fn args() -> Vec<Arg> {
    let mut args = vec![
        Arg::new("app-id")
            .long("app-id")
            .value_name("APP_ID")
            .global(true)
            .help(format!(
                "The app id the platform assigned [env: {ENV_APP_ID}]"
            )),
    ];
    args.push(
        Arg::new("token")
            .long("token")
            .value_name("TOKEN")
            .global(true)
            .conflicts_with("token-file")
            .help(format!("The 32-character token; prefer --token-file or {ENV_TOKEN}, which stay out of shell history")),
    );
    args.push(
        Arg::new("token-file")
            .long("token-file")
            .value_name("FILE")
            .global(true)
            .value_parser(value_parser!(PathBuf))
            .action(ArgAction::Set)
            .help("Read the token from this file (a trailing newline is ignored)"),
    );
    args
}

/// `--base-url`.
pub fn base_url_arg() -> Arg {
    Arg::new("base-url")
        .long("base-url")
        .value_name("URL")
        .global(true)
        .help(format!(
            "The platform's address [env: {ENV_BASE_URL}] [default: {}]",
            aimis::SERVICE.default_base_url()
        ))
}

/// The token: `--token`, else `--token-file`, else `AIMIS_TOKEN`.
pub fn token(matches: &ArgMatches) -> Result<Option<String>, Failure> {
    if let Some(token) = matches.get_one::<String>("token") {
        return Ok(Some(token.clone()));
    }
    if let Some(path) = matches.get_one::<PathBuf>("token-file") {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Failure::config(format!(
                "cannot read the token file {}: {e}; check the path and its permissions",
                path.display()
            ))
        })?;
        return Ok(Some(text.trim_end_matches(['\r', '\n']).to_owned()));
    }
    Ok(std::env::var(ENV_TOKEN).ok())
}

/// The token, which this command cannot do without.
pub fn required_token(matches: &ArgMatches) -> Result<String, Failure> {
    token(matches)?.ok_or_else(|| {
        Failure::config(format!(
            "no token: pass --token-file FILE, set {ENV_TOKEN}, or pass --token"
        ))
    })
}

pub fn app_id(matches: &ArgMatches) -> Option<String> {
    matches
        .get_one::<String>("app-id")
        .cloned()
        .or_else(|| std::env::var(ENV_APP_ID).ok())
}

pub fn required_app_id(matches: &ArgMatches) -> Result<String, Failure> {
    app_id(matches)
        .ok_or_else(|| Failure::config(format!("no app id: pass --app-id or set {ENV_APP_ID}")))
}

pub fn base_url(matches: &ArgMatches) -> String {
    matches
        .get_one::<String>("base-url")
        .cloned()
        .or_else(|| std::env::var(ENV_BASE_URL).ok())
        .unwrap_or_else(|| aimis::SERVICE.default_base_url().to_owned())
}

/// App id and token, checked.
pub fn credentials(matches: &ArgMatches) -> Result<Credentials, Failure> {
    let app_id = required_app_id(matches)?;
    let token = required_token(matches)?;
    Ok(Credentials::new(app_id, token)?)
}
