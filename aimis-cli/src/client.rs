//! The client a command talks to the platform with.

use std::path::PathBuf;
use std::time::Duration;

use aimis::{Client, ClientBuilder, RetryPolicy};
use clap::{Arg, ArgAction, ArgMatches, value_parser};

use crate::creds;
use crate::fail::Failure;

/// The client options, global to every subcommand: one flag for each of the core's
/// builder options, with the core's defaults and rules.
pub fn args() -> Vec<Arg> {
    vec![
        creds::base_url_arg(),
        Arg::new("timeout")
            .long("timeout")
            .value_name("SECONDS")
            .global(true)
            .value_parser(value_parser!(f64))
            .help("How long one attempt may take in all [default: 10]"),
        Arg::new("connect-timeout")
            .long("connect-timeout")
            .value_name("SECONDS")
            .global(true)
            .value_parser(value_parser!(f64))
            .help("How long connecting may take [default: 5]"),
        Arg::new("retries")
            .long("retries")
            .value_name("N")
            .global(true)
            .value_parser(value_parser!(u32))
            .help("Retries of what a retry can fix: connection failures, timeouts, 429, 502-504 [default: 2]"),
        Arg::new("proxy")
            .long("proxy")
            .value_name("URL")
            .global(true)
            .env(ENV_PROXY)
            .hide_env_values(true)
            .help("An HTTP proxy such as http://proxy.hospital.local:3128 [default: HTTPS_PROXY, https_proxy or ALL_PROXY, unless NO_PROXY names the host]"),
        Arg::new("no-env-proxy")
            .long("no-env-proxy")
            .global(true)
            .action(ArgAction::SetTrue)
            .help("Ignore the proxy environment variables"),
        Arg::new("ca-file")
            .long("ca-file")
            .value_name("FILE")
            .global(true)
            .env(ENV_CA_FILE)
            .hide_env_values(true)
            .value_parser(value_parser!(PathBuf))
            .help("Also trust the CA certificates in this PEM file (a TLS-inspecting proxy, a test platform)"),
    ]
}

/// Where `--proxy` and `--ca-file` are read from when they are not given.
pub const ENV_PROXY: &str = "AIMIS_PROXY";
pub const ENV_CA_FILE: &str = "AIMIS_CA_FILE";

/// Seconds as given, for the core to check (more than zero, at most an hour).
fn seconds(matches: &ArgMatches, name: &str) -> Result<Option<Duration>, Failure> {
    match matches.get_one::<f64>(name) {
        None => Ok(None),
        Some(&s) => Duration::try_from_secs_f64(s).map(Some).map_err(|_| {
            Failure::config(format!(
                "--{name} must be a number of seconds, more than zero"
            ))
        }),
    }
}

pub fn build(matches: &ArgMatches) -> Result<Client, Failure> {
    Ok(builder(matches)?.build()?)
}

/// The client's builder with every option given: also what the inbox's pusher connects
/// with.
pub fn builder(matches: &ArgMatches) -> Result<ClientBuilder<Client>, Failure> {
    let credentials = creds::credentials(matches)?;
    let mut builder = Client::builder(credentials)
        .base_url(creds::base_url(matches))
        .user_agent_product(concat!("aimis-cli/", env!("CARGO_PKG_VERSION")))
        .proxy_from_env(!matches.get_flag("no-env-proxy"));
    if let Some(timeout) = seconds(matches, "timeout")? {
        builder = builder.timeout(timeout);
    }
    if let Some(timeout) = seconds(matches, "connect-timeout")? {
        builder = builder.connect_timeout(timeout);
    }
    if let Some(&retries) = matches.get_one::<u32>("retries") {
        builder = builder.retry(RetryPolicy {
            max_retries: retries,
            ..RetryPolicy::default()
        });
    }
    if let Some(proxy) = matches.get_one::<String>("proxy") {
        builder = builder.proxy(proxy);
    }
    if let Some(path) = matches.get_one::<PathBuf>("ca-file") {
        builder = builder.add_root_certificates_file(path);
    }
    Ok(builder)
}
