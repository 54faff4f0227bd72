//! How long the platform waits for an acknowledgement: callbacks posted at 500 a
//! second to `aimis inbox serve`'s receiver on SQLite (verify, commit with
//! `synchronous=FULL`, answer), beside the same load against a receiver that only
//! verifies and answers (the simulator's partner stand-in), in one run, alternating
//! second by second. Prints p50 and p99 of each.
//!
//! `cargo bench -p aimis-inbox --bench ack_latency` on an idle machine (the disk's sync
//! latency is most of the difference); `cargo test --benches` runs a short round.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aimis::Credentials;
use aimis_inbox::{Inbox, Receiver, ServeOptions, Server};
use aimis_sim::receiver::CallbackReceiver;

const APP_ID: &str = "demo-app";
const TOKEN: &str = "0123456789abcdef0123456789abcdef";
const RATE: f64 = 500.0;
const SENDERS: usize = 8;

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// A callback for `study`, as the platform sends it.
fn body(study: &str) -> Vec<u8> {
    serde_json::json!({
        "status": 1,
        "phoneNum": aimis::encrypt_field(TOKEN, "13800138000").unwrap(),
        "idNum": aimis::encrypt_field(TOKEN, "110101199003074518").unwrap(),
        "patientId": "P0001", "hospitalId": "H0001", "studyType": 0,
        "studyDate": "2025-03-01 08:30:00", "studyId": study,
        "h5Url": "https://pacs.example/r", "h5DetailUrl": "https://pacs.example/i",
        "reportId": format!("R-{study}"),
    })
    .to_string()
    .into_bytes()
}

/// Posts `count` callbacks to `url` at RATE a second from SENDERS threads; the time
/// each waited for its answer. Every header set is distinct (its own timestamp), as
/// the platform's are.
fn load(url: &str, first: u64, count: u64) -> Vec<Duration> {
    let started = Instant::now();
    let base_ms = now_ms();
    let interval = Duration::from_secs_f64(1.0 / RATE);
    let senders: Vec<_> = (0..SENDERS as u64)
        .map(|s| {
            let url = url.to_owned();
            std::thread::spawn(move || {
                let agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .build()
                    .new_agent();
                let mut waits = Vec::new();
                for k in (s..count).step_by(SENDERS) {
                    let n = first + k;
                    let due = started + interval.mul_f64(k as f64);
                    std::thread::sleep(due.saturating_duration_since(Instant::now()));
                    let timestamp = (base_ms - n % 100_000).to_string();
                    let signature = aimis::sign(APP_ID, TOKEN, &timestamp).unwrap();
                    let body = body(&format!("S{n}"));
                    let sent = Instant::now();
                    let mut answer = agent
                        .post(&url)
                        .header("appId", APP_ID)
                        .header("timestamp", &timestamp)
                        .header("signature", &signature)
                        .send(&body[..])
                        .unwrap();
                    let text = answer.body_mut().read_to_string().unwrap();
                    waits.push(sent.elapsed());
                    assert!(text.contains("\"code\":0"), "refused: {text}");
                }
                waits
            })
        })
        .collect();
    senders
        .into_iter()
        .flat_map(|s| s.join().unwrap())
        .collect()
}

fn percentile(waits: &mut [Duration], p: f64) -> Duration {
    waits.sort_unstable();
    waits[((waits.len() - 1) as f64 * p) as usize]
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    // No tracing subscriber is installed here: the receiver's log events go nowhere.
    let (rounds, per_round) = if full { (10, RATE as u64) } else { (2, 20) };
    let credentials = Credentials::new(APP_ID, TOKEN).unwrap();
    let dir = std::env::temp_dir().join(format!("aimis-inbox-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let store = format!("sqlite:{}", dir.join("inbox.db").display());
    let receiver = Receiver::new(
        Inbox::open(&store, credentials.clone()).unwrap(),
        credentials.clone(),
    );
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let inbox = Server::start(receiver, listener, ServeOptions::default()).unwrap();
    let verify_only = CallbackReceiver::start(credentials).unwrap();
    let (inbox_url, plain_url) = (inbox.url(), verify_only.url());
    let (mut stored, mut verified) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        let first = round * per_round;
        verified.extend(load(&plain_url, 1_000_000 + first, per_round));
        stored.extend(load(&inbox_url, first, per_round));
    }
    println!(
        "acknowledgement latency at {RATE} callbacks/s, {} callbacks each:",
        stored.len()
    );
    for (name, waits) in [
        ("verify only", &mut verified),
        ("inbox (SQLite)", &mut stored),
    ] {
        let (p50, p99) = (percentile(waits, 0.5), percentile(waits, 0.99));
        println!(
            "  {name:<15} p50 {:>7.2} ms   p99 {:>7.2} ms",
            p50.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3
        );
    }
    inbox.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
}
