//! The client a command talks to the platform with.

use std::path::PathBuf;
use std::time::Duration;

use aimis::Client;
use clap::{Arg, ArgMatches, value_parser};

use crate::creds;
use crate::fail::Failure;

/// `--timeout` and `--ca-file`, beside the credentials and `--base-url`.
pub fn args() -> Vec<Arg> {
    vec![
        creds::base_url_arg(),
        Arg::new("timeout")
            .long("timeout")
            .value_name("SECONDS")
            .global(true)
            .value_parser(value_parser!(u64).range(1..=600))
            .default_value("10")
            .help("How long one attempt may take"),
        Arg::new("ca-file")
            .long("ca-file")
            .value_name("FILE")
            .global(true)
            .value_parser(value_parser!(PathBuf))
            .help("Also trust the CA certificates in this PEM file (a TLS-inspecting proxy, a test platform)"),
    ]
}

pub fn build(matches: &ArgMatches) -> Result<Client, Failure> {
    let credentials = creds::credentials(matches)?;
    let timeout = Duration::from_secs(matches.get_one::<u64>("timeout").copied().unwrap_or(10));
    let mut builder = Client::builder(credentials)
        .base_url(creds::base_url(matches))
        .timeout(timeout)
        .user_agent_product(concat!("aimis-cli/", env!("CARGO_PKG_VERSION")));
    if let Some(path) = matches.get_one::<PathBuf>("ca-file") {
        let pem = std::fs::read(path).map_err(|e| {
            Failure::config(format!(
                "cannot read the CA file {}: {e}; check the path",
                path.display()
            ))
        })?;
        builder = builder.add_root_certificates_pem(pem);
    }
    Ok(builder.build()?)
}
