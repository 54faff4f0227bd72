//! `GET /metrics` over real loopback HTTP: the receiver's counts in the Prometheus text
//! format, accepted by `promtool check metrics` (tests/promtool.sh installs it and makes
//! it required), no patient data in it, and the bearer token that guards it.

mod common;

use std::io::Write as _;
use std::net::TcpListener;
use std::process::{Command, Stdio};

use aimis_inbox::{Inbox, MetricsToken, Receiver, ServeOptions, Server};
use common::over_http::{agent, now, post, start};
use common::*;

fn get(server: &Server, authorization: Option<&str>) -> (u16, String) {
    let url = format!("http://127.0.0.1:{}/metrics", server.addr().port());
    let mut request = agent().get(url);
    if let Some(value) = authorization {
        request = request.header("Authorization", value);
    }
    let mut response = request.call().unwrap();
    let status = response.status().as_u16();
    (status, response.body_mut().read_to_string().unwrap())
}

/// `promtool check metrics` on `text`: its complaints, if any. `None` when promtool is
/// not installed and not required.
fn promtool(text: &str) -> Option<Result<(), String>> {
    let spawned = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(_) if std::env::var_os("AIMIS_REQUIRE_PROMTOOL").is_none() => return None,
        Err(e) => panic!("promtool: {e}; tests/promtool.sh installs it"),
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    Some(if output.status.success() && said.trim().is_empty() {
        Ok(())
    } else {
        Err(said)
    })
}

#[test]
fn metrics_count_what_the_receiver_did_and_pass_promtool() {
    let (_dir, url, _) = store();
    let server = start(&url, ServeOptions::default());
    let agent = agent();
    let t = now();
    assert_eq!(post(&agent, &server.url(), t, &body("S1", 0)), Ok((200, 0)));
    assert_eq!(post(&agent, &server.url(), t, &body("S1", 0)), Ok((200, 0)));
    let forged = body_for("S2", 0, "13999999999");
    let mut headers = headers(t + 1);
    headers.retain(|(name, _)| name != "signature");
    headers.push(("signature".into(), "0".repeat(64)));
    let _ = common::over_http::post_with(&agent, &server.url(), &headers, &forged);

    let (status, text) = get(&server, None);
    assert_eq!(status, 200, "{text}");
    for expected in [
        "aimis_inbox_callbacks_received_total 1\n",
        "aimis_inbox_callbacks_duplicate_total 1\n",
        "aimis_inbox_callbacks_refused_total{reason=\"bad_signature\"} 1\n",
        "aimis_inbox_callbacks{state=\"pending\"} 1\n",
        "aimis_inbox_callbacks_leased 0\n",
        "aimis_inbox_store_up 1\n",
        "aimis_inbox_ack_duration_seconds_count 3\n",
        "aimis_inbox_ack_duration_seconds_bucket{le=\"+Inf\"} 3\n",
        "# TYPE aimis_inbox_ack_duration_seconds histogram\n",
    ] {
        assert!(text.contains(expected), "no {expected:?} in:\n{text}");
    }
    for secret in [TOKEN, PHONE, ID_NUM, PATIENT_ID, "13999999999", "https://"] {
        assert!(!text.contains(secret), "{secret} in:\n{text}");
    }
    if let Some(verdict) = promtool(&text) {
        verdict.unwrap_or_else(|said| panic!("promtool check metrics: {said}\n{text}"));
    }
    server.shutdown();
}

#[test]
fn metrics_need_the_token_when_given_and_off_loopback() {
    let (_dir, url, _) = store();
    let server = start(
        &url,
        ServeOptions {
            metrics_token: MetricsToken::new("metrics-secret"),
            ..ServeOptions::default()
        },
    );
    assert_eq!(get(&server, None).0, 401);
    assert_eq!(get(&server, Some("Bearer wrong")).0, 401);
    assert_eq!(get(&server, Some("Bearer metrics-secret")).0, 200);
    assert!(format!("{:?}", MetricsToken::new("metrics-secret")).contains("hidden"));
    assert!(MetricsToken::new("  ").is_none());
    server.shutdown();

    // Listening on every address, without a token: refused, even from loopback.
    let inbox = Inbox::open(&url, credentials()).unwrap();
    let listener = TcpListener::bind("0.0.0.0:0").unwrap();
    let server = Server::start(
        Receiver::new(inbox, credentials()),
        listener,
        ServeOptions::default(),
    )
    .unwrap();
    let (status, text) = get(&server, None);
    assert_eq!(status, 403);
    assert!(text.contains("--metrics-token"), "{text}");
    server.shutdown();
}
