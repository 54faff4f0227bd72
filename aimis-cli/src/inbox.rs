//! `aimis inbox`: receive the platform's status callbacks into a durable store, and
//! hand them out to the hospital's systems one at a time (`next`, then `ack`).

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use aimis_inbox::{
    ConfirmOptions, Confirmer, DEFAULT_STORE, DeliverOptions, Deliverer, Inbox, InboxError,
    MetricsToken, PlatformConfirm, Receiver, ServeOptions, Server, State, TlsFiles,
};
use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};
use serde_json::Value;

use crate::creds;
use crate::fail::Failure;
use crate::out::{outln, printable};

pub fn command() -> Command {
    Command::new("inbox")
        .about("Receive status callbacks durably, exactly once, in order; hand them out with next/ack")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("serve")
                .about("Receive callbacks over HTTP until SIGTERM; each is stored before it is acknowledged")
                .long_about(
                    "Receive the platform's status callbacks over HTTP until SIGTERM or SIGINT (requests in\n\
                     flight finish first, within --stop-timeout). The first line on stdout is\n\
                     `aimis inbox listening on http://ADDR`\n\
                     (https with --tls-cert and --tls-key); logs are JSON lines on stderr, without patient\n\
                     data. Each callback is verified (appId, freshness, signature, decryption, the spec's\n\
                     field rules), stored, and only then acknowledged. The same callback again is\n\
                     acknowledged and not stored twice; a header set seen before with another body is refused\n\
                     as a replay. Two genuine callbacks sent in the same millisecond share a header set: the\n\
                     second is refused too (the platform sends it again with a fresh timestamp) and counted\n\
                     as `same_millisecond`, apart from replays. Refusals are counted in memory and written\n\
                     (and logged) once a second. `GET /healthz` answers 200 while the store can take a\n\
                     callback, 503 when it cannot.\n\
                     \n\
                     With --confirm, no callback is handed out before the platform (--base-url) confirms it:\n\
                     asked with patientReportUrl for the report, patient and hospital the callback names, it\n\
                     must answer for the same study, and its links are delivered in place of the body's (a\n\
                     body's links differing from the platform's count as `links_mismatched`). With\n\
                     --union-id it is also asked with patientStudies for the patient's studies of the body's\n\
                     type on its date: the study must be listed, and its hisId, studyType, studyDate,\n\
                     studyName and bodyPart are delivered (differences count as `fields_mismatched`);\n\
                     without it those fields are left out. patientId, which the platform never vouches for,\n\
                     is left out; status is delivered but listed in the item's \"unconfirmed\", and never\n\
                     supersedes another callback. A report the platform does not know goes dead as\n\
                     `not_confirmed` (`retry` asks again); while the platform cannot be reached callbacks\n\
                     wait, asked again with back-off. A same-millisecond header set is then stored too: a\n\
                     forged body is never confirmed.",
                )
                .arg(crate::sim::listen_arg())
                .arg(store_arg())
                .arg(
                    Arg::new("path")
                        .long("path")
                        .value_name("PATH")
                        .default_value("/")
                        .help("The path callbacks are posted to"),
                )
                .arg(
                    Arg::new("max-skew")
                        .long("max-skew")
                        .value_name("SECONDS")
                        .value_parser(value_parser!(u64).range(1..=3600))
                        .help("How far a callback's timestamp may be from now, and how long nonces are kept [default: the spec's 300]"),
                )
                .arg(
                    Arg::new("max-body")
                        .long("max-body")
                        .value_name("BYTES")
                        .value_parser(value_parser!(usize))
                        .default_value("65536")
                        .help("The largest callback body accepted"),
                )
                .args(crate::serve_limits::args())
                .arg(
                    Arg::new("metrics-token")
                        .long("metrics-token")
                        .value_name("TOKEN")
                        .env("AIMIS_INBOX_METRICS_TOKEN")
                        .hide_env_values(true)
                        .help("The bearer token GET /metrics asks for; without one, /metrics is served on a loopback --listen only"),
                )
                .arg(Arg::new("tls-cert").long("tls-cert").value_name("FILE").requires("tls-key").value_parser(value_parser!(PathBuf)).help("Serve HTTPS with this certificate chain (PEM)"))
                .arg(Arg::new("tls-key").long("tls-key").value_name("FILE").requires("tls-cert").value_parser(value_parser!(PathBuf)).help("The certificate's private key (PEM)"))
                .arg(Arg::new("deliver-url").long("deliver-url").value_name("URL").help("Also push each callback, decrypted, as a JSON POST to this URL (2xx accepts it); retried with back-off, dead after 10 tries. Reached with --proxy (or the environment's, unless --no-env-proxy; never for loopback), --ca-file and --timeout (one POST)"))
                .arg(Arg::new("confirm").long("confirm").action(ArgAction::SetTrue).help("Hand out no callback before the platform (--base-url) confirms it with patientReportUrl; deliver the platform's links"))
                .arg(Arg::new("union-id").long("union-id").value_name("ID").requires("confirm").value_parser(clap::builder::NonEmptyStringValueParser::new()).help("With --confirm: the medical alliance's id, to confirm the study's fields with patientStudies too")),
        )
        .subcommand(
            Command::new("next")
                .about("Claim the oldest pending callback and print it as one JSON line (nothing when none is pending)")
                .long_about(
                    "Claim the oldest pending callback for --lease seconds and print one JSON line\n\
                     {\"id\", \"callback\", \"received_at\", \"attempts\"}, the callback with the vendor's names\n\
                     and phoneNum and idNum decrypted. Prints nothing (exit 0) when none is pending.\n\
                     Acknowledge it with `aimis inbox ack ID`; unacknowledged, it comes back when the lease\n\
                     ends. A study's callbacks are handed out one at a time, in the order received.",
                )
                .arg(store_arg())
                .arg(
                    Arg::new("lease")
                        .long("lease")
                        .value_name("SECONDS")
                        .value_parser(value_parser!(u64).range(1..=86_400))
                        .default_value("60")
                        .help("How long the claim lasts without an acknowledgement"),
                )
                .arg(json_arg()),
        )
        .subcommand(id_command("ack", "Mark a claimed callback delivered"))
        .subcommand(id_command("nack", "Give a claimed callback back: pending again now"))
        .subcommand(id_command("retry", "Bring a dead callback back to pending"))
        .subcommand(
            Command::new("list")
                .about("List stored callbacks, patient data masked")
                .arg(store_arg())
                .arg(
                    Arg::new("state")
                        .long("state")
                        .value_name("STATE")
                        .value_parser(["pending", "delivered", "superseded", "dead", "all"])
                        .default_value("all")
                        .help("Which callbacks"),
                )
                .arg(json_arg()),
        )
        .subcommand(
            Command::new("stats")
                .about("Counts: received, duplicates, replays_refused, same_millisecond, links_mismatched, fields_mismatched, not_confirmed, refused, and by state")
                .arg(store_arg())
                .arg(json_arg()),
        )
}

fn store_arg() -> Arg {
    Arg::new("store")
        .long("store")
        .value_name("URL")
        .default_value(DEFAULT_STORE)
        .help("Where callbacks are kept: sqlite:PATH or postgres://USER@HOST/DATABASE")
}

fn json_arg() -> Arg {
    Arg::new("json")
        .long("json")
        .action(ArgAction::SetTrue)
        .help("Print JSON")
}

fn id_command(name: &'static str, about: &'static str) -> Command {
    Command::new(name).about(about).arg(store_arg()).arg(
        Arg::new("id")
            .value_name("ID")
            .required(true)
            .value_parser(value_parser!(i64))
            .help("The callback's id, as `next` and `list` print it"),
    )
}

pub fn run(matches: &ArgMatches) -> Result<(), Failure> {
    match matches.subcommand() {
        Some(("serve", m)) => serve(m),
        Some(("next", m)) => next(m),
        Some(("ack", m)) => open_store(m)?.ack(id(m)).map_err(failure),
        Some(("nack", m)) => open_store(m)?.nack(id(m)).map_err(failure),
        Some(("retry", m)) => open_store(m)?.retry(id(m)).map_err(failure),
        Some(("list", m)) => list(m),
        Some(("stats", m)) => stats(m),
        _ => Err(Failure::usage(
            "unknown inbox command; see `aimis inbox --help`",
        )),
    }
}

fn store_url(matches: &ArgMatches) -> &str {
    matches
        .get_one::<String>("store")
        .map_or(DEFAULT_STORE, String::as_str)
}

fn id(matches: &ArgMatches) -> i64 {
    matches.get_one::<i64>("id").copied().unwrap_or_default()
}

fn open_store(matches: &ArgMatches) -> Result<Inbox, Failure> {
    Inbox::open_store(store_url(matches)).map_err(failure)
}

/// Each inbox error with its exit code: bad input is usage (2), the store or the
/// credentials configuration (5).
fn failure(error: InboxError) -> Failure {
    match error {
        InboxError::BadStoreUrl { .. }
        | InboxError::BadOption { .. }
        | InboxError::NotFound(_)
        | InboxError::WrongState { .. } => Failure::usage(error.naming_store("--store")),
        InboxError::Connection(error) => error.into(),
        _ => Failure::config(error.to_string()),
    }
}

fn serve(matches: &ArgMatches) -> Result<(), Failure> {
    let _logging = crate::logging::to_stderr();
    let credentials = creds::credentials(matches)?;
    let inbox = Inbox::open(store_url(matches), credentials.clone()).map_err(failure)?;
    let confirm = matches.get_flag("confirm");
    let mut receiver = Receiver::new(inbox, credentials.clone()).confirming(confirm);
    let confirmer = if confirm {
        let client = crate::client::build(matches)?;
        let inbox = Inbox::open(store_url(matches), credentials).map_err(failure)?;
        let mut platform = PlatformConfirm::new(client);
        if let Some(union_id) = matches.get_one::<String>("union-id") {
            platform = platform.union_id(union_id);
        }
        let confirm = Box::new(platform);
        Some(Confirmer::start(inbox, confirm, ConfirmOptions::default()).map_err(failure)?)
    } else {
        None
    };
    if let Some(&skew) = matches.get_one::<u64>("max-skew") {
        receiver = receiver.max_skew(Duration::from_secs(skew));
    }
    let listen = matches
        .get_one::<String>("listen")
        .map_or("127.0.0.1:0", String::as_str);
    let listener = std::net::TcpListener::bind(listen).map_err(|e| {
        Failure::config(format!(
            "--listen {listen}: cannot listen: {e}; pick another address or port"
        ))
    })?;
    let mut options = ServeOptions {
        path: matches
            .get_one::<String>("path")
            .cloned()
            .unwrap_or_else(|| "/".into()),
        max_body: matches
            .get_one::<usize>("max-body")
            .copied()
            .unwrap_or(64 * 1024),
        stop_on_signals: true,
        tls: match (
            matches.get_one::<PathBuf>("tls-cert"),
            matches.get_one::<PathBuf>("tls-key"),
        ) {
            (Some(cert), Some(key)) => Some(TlsFiles {
                cert: cert.clone(),
                key: key.clone(),
            }),
            _ => None,
        },
        ..ServeOptions::default()
    };
    crate::serve_limits::apply(matches, &mut options);
    if let Some(token) = matches.get_one::<String>("metrics-token") {
        options.metrics_token = Some(MetricsToken::new(token.as_str()).ok_or_else(|| {
            Failure::usage("--metrics-token is empty; give a token or leave it out")
        })?);
    }
    let deliverer = match matches.get_one::<String>("deliver-url") {
        Some(url) => {
            let inbox =
                Inbox::open(store_url(matches), creds::credentials(matches)?).map_err(failure)?;
            // The client's connection options: --proxy, --no-env-proxy, --ca-file, --timeout.
            let connection = crate::client::builder(matches)?;
            Some(Deliverer::start(inbox, DeliverOptions::new(url), &connection).map_err(failure)?)
        }
        None => None,
    };
    let server = Server::start(receiver, listener, options).map_err(failure)?;
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "aimis inbox listening on {}://{}",
        server.scheme(),
        server.addr()
    )
    .and_then(|()| stdout.flush())
    .map_err(|e| Failure::transport(format!("cannot write to stdout: {e}")))?;
    drop(stdout);
    server.wait();
    // The push and the question in hand finish (their outcome stored) before the end.
    if let Some(deliverer) = deliverer {
        deliverer.shutdown();
    }
    if let Some(confirmer) = confirmer {
        confirmer.shutdown();
    }
    Ok(())
}

fn next(matches: &ArgMatches) -> Result<(), Failure> {
    let credentials = creds::credentials(matches)?;
    let inbox = Inbox::open(store_url(matches), credentials).map_err(failure)?;
    let lease = Duration::from_secs(matches.get_one::<u64>("lease").copied().unwrap_or(60));
    if let Some(item) = inbox.next(lease).map_err(failure)? {
        // One JSON line with or without --json: it is what a script reads.
        let mut json = item.to_json();
        outln!("{json}");
        aimis::message::wipe(&mut json);
    }
    Ok(())
}

fn list(matches: &ArgMatches) -> Result<(), Failure> {
    let state = State::parse_filter(
        matches
            .get_one::<String>("state")
            .map_or("all", String::as_str),
    )
    .map_err(failure)?;
    let listed = open_store(matches)?.list(state).map_err(failure)?;
    if matches.get_flag("json") {
        let json = serde_json::to_string(&listed).unwrap_or_else(|_| "[]".into());
        outln!("{json}");
        return Ok(());
    }
    outln!(
        "{:>6}  {:<10}  {:<24}  {:>8}  {:<16}  STATUS",
        "ID",
        "STATE",
        "RECEIVED",
        "ATTEMPTS",
        "STUDY"
    );
    for item in &listed {
        // The callback's text is shown, never obeyed: it came unsigned.
        let text = |name: &str| match &item.callback[name] {
            Value::String(s) => printable(s).into_owned(),
            Value::Null => "-".into(),
            other => other.to_string(),
        };
        outln!(
            "{:>6}  {:<10}  {:<24}  {:>8}  {:<16}  {}",
            item.id,
            match (item.leased, item.confirmation) {
                (true, _) => "leased",
                (false, Some("awaiting")) => "awaiting",
                _ => &item.state,
            },
            item.received_at,
            item.attempts,
            text("studyId"),
            text("status"),
        );
    }
    Ok(())
}

fn stats(matches: &ArgMatches) -> Result<(), Failure> {
    let stats = open_store(matches)?.stats().map_err(failure)?;
    let json = serde_json::to_value(&stats).unwrap_or(Value::Null);
    if matches.get_flag("json") {
        outln!("{json}");
        return Ok(());
    }
    if let Value::Object(counts) = json {
        for (name, value) in counts {
            outln!("{name}: {value}");
        }
    }
    Ok(())
}
