//! `aimis sim`: the local AIMIS platform, until the process is killed; `aimis sim
//! callback` sends one status callback as it would.

mod callback;

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use aimis::Credentials;
use aimis_sim::{CallbackRetry, Fault, Fixtures, Simulator, SimulatorBuilder};
use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};

use crate::creds;
use crate::fail::Failure;

/// The credentials the demo, the tests and `aimis sim` without credentials use.
pub const DEMO_APP_ID: &str = "demo-app";
pub const DEMO_TOKEN: &str = "0123456789abcdef0123456789abcdef";
/// Where `--admin-token` is read from when it is not given.
pub const ENV_ADMIN_TOKEN: &str = "AIMIS_SIM_ADMIN_TOKEN";

pub fn command() -> Command {
    Command::new("sim")
        .about("Run a local AIMIS platform: signed, encrypted requests against fixtures, status callbacks, faults")
        .long_about(
            "Run a local AIMIS platform on loopback until killed. The first line on stdout is\n\
             `aimis sim listening on http://ADDR` (https with --tls). Without credentials it uses\n\
             the demo app `demo-app` and token `0123456789abcdef0123456789abcdef`.\n\
             Admin routes under /__admin drive faults, study status and callbacks; they need\n\
             `Authorization: Bearer <admin token>`. Without --admin-token a random token is made\n\
             and printed on the second line, `aimis sim admin token: TOKEN`. Listening on an\n\
             address other than loopback needs --admin-token.",
        )
        .arg(listen_arg())
        .arg(
            Arg::new("admin-token")
                .long("admin-token")
                .value_name("TOKEN")
                .env(ENV_ADMIN_TOKEN)
                .hide_env_values(true)
                .help("The token the admin routes require [default: a random one, printed at start]"),
        )
        .arg(fixtures_arg())
        .arg(Arg::new("callback-url").long("callback-url").value_name("URL").help("Where status callbacks are sent"))
        .arg(callback_retries_arg())
        .arg(
            Arg::new("fault")
                .long("fault")
                .value_name("FAULT")
                .action(ArgAction::Append)
                .value_parser(|s: &str| s.parse::<Fault>().map_err(|e| e.to_string()))
                .help(
                    "Misbehave: latency=MS, status=CODE, reset, truncate, html[=CODE] or content-type=TYPE, \
                     then optionally ,times=N ,probability=P ,endpoint=NAME (repeatable)",
                ),
        )
        .arg(Arg::new("tls").long("tls").action(ArgAction::SetTrue).help("Serve HTTPS with a certificate from a throwaway CA"))
        .arg(
            Arg::new("ca-out")
                .long("ca-out")
                .value_name("FILE")
                .value_parser(value_parser!(PathBuf))
                .requires("tls")
                .help("With --tls: write the CA certificate (PEM) here, for clients to trust"),
        )
        // `aimis sim callback` takes its own options, never the server's.
        .args_conflicts_with_subcommands(true)
        .subcommand(callback::command())
}

fn fixtures_arg() -> Arg {
    Arg::new("fixtures")
        .long("fixtures")
        .value_name("FILE")
        .value_parser(value_parser!(PathBuf))
        .help("Patients, studies and consultations as JSON [default: the embedded demo set]")
}

fn callback_retries_arg() -> Arg {
    Arg::new("callback-retries")
        .long("callback-retries")
        .value_name("N")
        .value_parser(value_parser!(u32))
        .default_value("3")
        .help("Retries of a refused or failed callback, from 500 ms doubling")
}

/// `--listen ADDR`, loopback on a free port unless told: the simulator's and the inbox
/// receiver's.
pub fn listen_arg() -> Arg {
    Arg::new("listen")
        .long("listen")
        .value_name("ADDR")
        .default_value("127.0.0.1:0")
        .help("Address to listen on; port 0 picks a free one")
}

pub fn run(matches: &ArgMatches) -> Result<(), Failure> {
    if let Some(("callback", m)) = matches.subcommand() {
        return callback::run(m);
    }
    let _logging = crate::logging::to_stderr();
    let mut builder = builder(matches)?;
    if let Some(url) = matches.get_one::<String>("callback-url") {
        builder = builder.callback_url(url);
    }
    for fault in matches.get_many::<Fault>("fault").into_iter().flatten() {
        builder = builder.fault(fault.clone());
    }
    builder = builder.tls(matches.get_flag("tls"));
    let listen = matches
        .get_one::<String>("listen")
        .map_or("127.0.0.1:0", String::as_str);
    let admin_token = matches.get_one::<String>("admin-token");
    match admin_token {
        Some(token) => builder = builder.admin_token(token),
        None if !is_loopback(listen) => {
            return Err(Failure::config(format!(
                "--listen {listen} is not a loopback address: pass --admin-token (or set {ENV_ADMIN_TOKEN}), \
                 since the admin routes decide where the simulator sends callbacks"
            )));
        }
        None => {}
    }
    let sim = builder.spawn(listen).map_err(|e| {
        Failure::config(format!(
            "cannot listen on {listen}: {e}; pick another address or port"
        ))
    })?;
    if let (Some(path), Some(pem)) = (matches.get_one::<PathBuf>("ca-out"), sim.ca_pem()) {
        std::fs::write(path, pem).map_err(|e| {
            Failure::config(format!(
                "cannot write the CA certificate to {}: {e}",
                path.display()
            ))
        })?;
    }
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "aimis sim listening on {}", sim.base_url())
        .and_then(|()| match admin_token {
            Some(_) => Ok(()),
            None => writeln!(stdout, "aimis sim admin token: {}", sim.admin_token()),
        })
        .and_then(|()| stdout.flush())
        .map_err(|e| Failure::transport(format!("cannot write to stdout: {e}")))?;
    drop(stdout);
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}

/// A simulator of the command line's credentials (the demo app's without any), fixtures
/// and callback retries: what `aimis sim` and `aimis sim callback` share.
fn builder(matches: &ArgMatches) -> Result<SimulatorBuilder, Failure> {
    let credentials = match (creds::app_id(matches), creds::token(matches)?) {
        (None, None) => Credentials::new(DEMO_APP_ID, DEMO_TOKEN)?,
        (app_id, token) => Credentials::new(
            app_id.ok_or_else(|| {
                Failure::config(format!(
                    "a token but no app id: pass --app-id or set {}",
                    creds::ENV_APP_ID
                ))
            })?,
            token.ok_or_else(|| {
                Failure::config(format!(
                    "an app id but no token: pass --token-file, --token or set {}",
                    creds::ENV_TOKEN
                ))
            })?,
        )?,
    };
    let mut builder = Simulator::builder(credentials);
    if let Some(path) = matches.get_one::<PathBuf>("fixtures") {
        let fixtures = Fixtures::from_file(path)
            .map_err(|e| Failure::config(format!("{e}; fix the file or leave out --fixtures")))?;
        builder = builder.fixtures(fixtures);
    }
    let retries = matches
        .get_one::<u32>("callback-retries")
        .copied()
        .unwrap_or(3);
    Ok(builder.callback_retry(CallbackRetry {
        max_retries: retries,
        ..CallbackRetry::default()
    }))
}

/// Whether every address `listen` names is a loopback one (`127.0.0.1:0`, `[::1]:8600`,
/// `localhost:8600`); an unresolvable name counts as not loopback.
fn is_loopback(listen: &str) -> bool {
    use std::net::ToSocketAddrs;
    match listen.to_socket_addrs() {
        Ok(addrs) => {
            let addrs: Vec<_> = addrs.collect();
            !addrs.is_empty() && addrs.iter().all(|a| a.ip().is_loopback())
        }
        Err(_) => false,
    }
}
