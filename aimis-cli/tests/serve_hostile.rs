//! `aimis inbox serve` (and `aimis sim`) as their own processes under what a careless
//! operator or an attacker does to them: a stderr nobody reads or nobody holds, SIGTERM
//! while a client holds half a request, a descriptor limit and a crowd of slow clients.
//! Every wait on the server has a generous upper bound only as a hang guard.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::fd::AsRawFd;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const APP_ID: &str = "demo-app";
const TOKEN: &str = "0123456789abcdef0123456789abcdef";
const HANG_GUARD: Duration = Duration::from_secs(60);

/// `aimis inbox serve` on a fresh store, with `stderr`; the child and its address.
fn serve(store: &tempfile::TempDir, extra: &[&str], stderr: Stdio) -> (Child, SocketAddr) {
    serve_under(None, store, extra, stderr)
}

/// As [`serve`], through `sh -c 'ulimit -n LIMIT'` when a descriptor limit is given.
fn serve_under(
    fd_limit: Option<u32>,
    store: &tempfile::TempDir,
    extra: &[&str],
    stderr: Stdio,
) -> (Child, SocketAddr) {
    let aimis = env!("CARGO_BIN_EXE_aimis");
    let mut command = match fd_limit {
        None => Command::new(aimis),
        Some(limit) => {
            let mut sh = Command::new("sh");
            sh.args([
                "-c",
                &format!("ulimit -n {limit} && exec \"$0\" \"$@\""),
                aimis,
            ]);
            sh
        }
    };
    let store = format!("sqlite:{}", store.path().join("inbox.db").display());
    let mut child = command
        .args([
            "inbox",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--store",
            &store,
        ])
        .args(extra)
        .env("AIMIS_APP_ID", APP_ID)
        .env("AIMIS_TOKEN", TOKEN)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let Some(addr) = line.trim().strip_prefix("aimis inbox listening on http://") else {
        let _ = child.kill();
        panic!("no listening line: {line:?}, {:?}", child.wait());
    };
    (child, addr.parse().unwrap())
}

fn sigterm(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Waits for `child` to exit; `None` (and the child killed) past the hang guard.
fn exits(child: &mut Child) -> Option<ExitStatus> {
    let deadline = Instant::now() + HANG_GUARD;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .proxy(None)
        .build()
        .new_agent()
}

/// Posts a callback for `study`, signed with the token (or forged); the envelope's code.
fn post(agent: &ureq::Agent, addr: SocketAddr, study: &str, signed: bool) -> Result<i64, String> {
    let body = json!({
        "status": 0,
        "phoneNum": aimis::encrypt_field(TOKEN, "13800138000").unwrap(),
        "idNum": aimis::encrypt_field(TOKEN, "110101199003074518").unwrap(),
        "patientId": "P1",
        "hospitalId": "H0001",
        "studyType": 1,
        "studyDate": "2025-03-01 08:30:00",
        "studyId": study,
        "h5Url": "https://h5.example/r",
        "h5DetailUrl": "https://h5.example/i",
        "reportId": "R1",
    })
    .to_string();
    let ts = aimis::Clock::now_millis(&aimis::SystemClock).to_string();
    let signature = if signed {
        aimis::sign(APP_ID, TOKEN, &ts).unwrap()
    } else {
        "0".repeat(64)
    };
    let mut response = agent
        .post(format!("http://{addr}/"))
        .header("appId", APP_ID)
        .header("timestamp", &ts)
        .header("signature", signature)
        .header("Content-Type", "application/json")
        .send(body.as_bytes())
        .map_err(|e| e.to_string())?;
    let text = response
        .body_mut()
        .read_to_string()
        .map_err(|e| e.to_string())?;
    let envelope: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    envelope["code"].as_i64().ok_or(text)
}

/// Every one of `count` callbacks acknowledged.
fn all_acknowledged(addr: SocketAddr, count: usize) {
    let agent = agent();
    for i in 0..count {
        assert_eq!(
            post(&agent, addr, &format!("S{i}"), true),
            Ok(0),
            "callback {i}"
        );
    }
}

/// A connection that sends the start of a request head, and never the rest.
fn half_head(addr: SocketAddr) -> TcpStream {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: inbox\r\nContent-Type: appl")
        .unwrap();
    stream
}

#[test]
fn sigterm_stops_serve_within_its_deadline_while_a_client_holds_half_a_request() {
    let store = tempfile::tempdir().unwrap();
    let (mut child, addr) = serve(
        &store,
        // The head deadline far away: the stop's own deadline is what ends it.
        &["--header-timeout", "3600", "--stop-timeout", "1"],
        Stdio::null(),
    );
    all_acknowledged(addr, 1);
    let _held = half_head(addr);
    // The server has read the half head before it is asked to stop.
    std::thread::sleep(Duration::from_millis(200));
    sigterm(&child);
    let status = exits(&mut child).expect("still running after SIGTERM");
    assert!(status.success(), "{status}");
}

#[test]
fn a_closed_stderr_never_stops_callbacks_being_answered() {
    let store = tempfile::tempdir().unwrap();
    let (reader, writer) = std::io::pipe().unwrap();
    // Nobody will ever read: writing to it fails (EPIPE).
    drop(reader);
    let (mut child, addr) = serve(&store, &[], Stdio::from(writer));
    all_acknowledged(addr, 20);
    sigterm(&child);
    let status = exits(&mut child).expect("still running after SIGTERM");
    assert!(status.success(), "{status}");
}

#[test]
fn a_full_stderr_never_stalls_callbacks() {
    let store = tempfile::tempdir().unwrap();
    let (reader, writer) = std::io::pipe().unwrap();
    // One page of pipe, never read: full after a few dozen lines.
    // SAFETY: F_SETPIPE_SZ on a pipe this test owns.
    unsafe { libc::fcntl(writer.as_raw_fd(), libc::F_SETPIPE_SZ, 4096) };
    let (mut child, addr) = serve(&store, &[], Stdio::from(writer));
    all_acknowledged(addr, 150);
    sigterm(&child);
    let status = exits(&mut child).expect("still running after SIGTERM");
    assert!(status.success(), "{status}");
    drop(reader);
}

/// Refusals are logged as one line a second with their counts, not one line each; the
/// counts in the lines add up to every refusal.
#[test]
fn a_junk_flood_is_logged_in_a_few_lines_with_exact_counts() {
    let store = tempfile::tempdir().unwrap();
    let (mut child, addr) = serve(&store, &[], Stdio::piped());
    let mut stderr = child.stderr.take().unwrap();
    let logs = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let agent = agent();
    for i in 0..200 {
        assert_eq!(post(&agent, addr, &format!("J{i}"), false), Ok(90002));
    }
    sigterm(&child);
    assert!(exits(&mut child).is_some_and(|s| s.success()));
    let logs = logs.join().unwrap();
    let refused: Vec<Value> = logs
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|line| line["event"] == "refused")
        .collect();
    assert!(refused.len() < 20, "{} lines:\n{logs}", refused.len());
    let total: u64 = refused.iter().filter_map(|l| l["refused"].as_u64()).sum();
    assert_eq!(total, 200, "{logs}");
}

/// Under a low descriptor limit, more slow clients than descriptors: the receiver sheds
/// the oldest for new connections and a genuine callback is still answered.
#[test]
fn slow_clients_beyond_the_descriptor_limit_never_lock_out_a_callback() {
    let store = tempfile::tempdir().unwrap();
    let (mut child, addr) = serve_under(Some(128), &store, &[], Stdio::null());
    let _slow: Vec<TcpStream> = (0..200).map(|_| half_head(addr)).collect();
    all_acknowledged(addr, 3);
    sigterm(&child);
    assert!(exits(&mut child).is_some());
}

/// The simulator logs each request (endpoint and fault only) the same way.
#[test]
fn the_simulator_keeps_answering_with_a_closed_stderr() {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut child = Command::new(env!("CARGO_BIN_EXE_aimis"))
        .args(["sim", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::from(writer))
        .spawn()
        .unwrap();
    // Kept open: the simulator prints its admin token next.
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let base = line
        .trim()
        .strip_prefix("aimis sim listening on ")
        .unwrap_or_else(|| panic!("{line:?}"))
        .to_owned();
    let output = Command::new(env!("CARGO_BIN_EXE_aimis"))
        .args(["call", "patient-studies", "--phone-num", "13800138000"])
        .args(["--id-num", "110101199003074518", "--hospital-id", "H0001"])
        .args([
            "--union-id",
            "U0001",
            "--study-type",
            "1",
            "--data-flag",
            "1",
        ])
        .args(["--usage", "doctor-view", "--json"])
        .args(["--study-date-begin", "2025-01-01 00:00:00"])
        .args(["--study-date-end", "2025-12-31 23:59:59"])
        .args(["--base-url", &base, "--app-id", APP_ID, "--token", TOKEN])
        .output()
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(output.status.success(), "{output:?}");
}
