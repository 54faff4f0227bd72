//! `aimis inbox` end to end: the receiver as its own process on loopback, callbacks
//! from the simulator and from concurrent senders that retry until acknowledged, the
//! pull commands, SIGTERM, and `kill -9` in the middle of a burst.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aimis::Credentials;
use aimis_sim::Simulator;
use serde_json::{Value, json};

const APP_ID: &str = "demo-app";
const TOKEN: &str = "0123456789abcdef0123456789abcdef";
const PHONE: &str = "13800138000";
const ID_NUM: &str = "110101199003074518";

fn aimis() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_aimis"));
    command
        .env_remove("AIMIS_BASE_URL")
        .env_remove("AIMIS_PROXY")
        .env_remove("AIMIS_CA_FILE")
        .env("AIMIS_APP_ID", APP_ID)
        .env("AIMIS_TOKEN", TOKEN);
    command
}

/// `aimis inbox ARGS --store STORE`.
fn inbox(store: &str, args: &[&str]) -> Output {
    aimis()
        .arg("inbox")
        .args(args)
        .args(["--store", store])
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// A running `aimis inbox serve` and the URL it prints.
struct Serving {
    child: Child,
    url: String,
    stderr: Option<std::thread::JoinHandle<String>>,
}

impl Serving {
    /// Its stderr, once it has exited.
    fn logs(&mut self) -> String {
        self.stderr
            .take()
            .map(|t| t.join().unwrap())
            .unwrap_or_default()
    }
}

/// A failed test leaves no receiver running.
impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(store: &str) -> Serving {
    serve_with(store, &[])
}

fn serve_with(store: &str, extra: &[&str]) -> Serving {
    spawn_serving(serve_command(store, extra))
}

fn serve_command(store: &str, extra: &[&str]) -> Command {
    let mut command = aimis();
    command
        .args([
            "inbox",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--store",
            store,
        ])
        .args(extra);
    command
}

/// `command` run under umask 022, the usual default, which leaves a file created with
/// the default mode readable by every local user.
fn under_umask_022(command: &Command) -> Command {
    let mut sh = Command::new("sh");
    sh.args(["-c", "umask 022 && exec \"$@\"", "sh"])
        .arg(command.get_program())
        .args(command.get_args());
    for (name, value) in command.get_envs() {
        match value {
            Some(value) => sh.env(name, value),
            None => sh.env_remove(name),
        };
    }
    sh
}

fn spawn_serving(mut command: Command) -> Serving {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("aimis inbox listening on http://")
        .unwrap_or_else(|| panic!("first line: {line:?}"))
        .to_owned();
    let mut err = child.stderr.take().unwrap();
    let stderr = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut text);
        text
    });
    Serving {
        child,
        url: format!("http://{addr}/"),
        stderr: Some(stderr),
    }
}

fn store() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("inbox.db").display());
    (dir, url)
}

fn sigterm(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn pull_the_simulator_s_callbacks_with_next_and_ack() {
    let (_dir, store) = store();
    let mut serving = serve(&store);
    let sim = Simulator::builder(Credentials::new(APP_ID, TOKEN).unwrap())
        .callback_url(serving.url.clone())
        .spawn("127.0.0.1:0")
        .unwrap();
    for status in [
        aimis::StudyStatus::ReportReady,
        aimis::StudyStatus::ReportAndImagesReady,
    ] {
        assert!(sim.advance_study("S0001", status).unwrap().delivered);
    }
    // Late and out of order: superseded, never handed out.
    assert!(
        sim.advance_study("S0001", aimis::StudyStatus::ImagesReady)
            .unwrap()
            .delivered
    );

    let first = inbox(&store, &["next", "--lease", "30", "--json"]);
    assert!(first.status.success(), "{first:?}");
    let line: Value = serde_json::from_str(stdout(&first).trim()).unwrap();
    assert_eq!(line["callback"]["studyId"], "S0001");
    assert_eq!(line["callback"]["status"], 1);
    assert_eq!(line["callback"]["phoneNum"], PHONE);
    assert_eq!(line["callback"]["idNum"], ID_NUM);
    assert_eq!(line["attempts"], 1);
    assert!(line["received_at"].as_str().unwrap().ends_with('Z'));
    let id = line["id"].to_string();
    // The study's next callback waits for this one: nothing else is pending.
    let nothing = inbox(&store, &["next", "--json"]);
    assert!(
        nothing.status.success() && nothing.stdout.is_empty(),
        "{nothing:?}"
    );
    assert!(inbox(&store, &["ack", &id]).status.success());
    let second: Value =
        serde_json::from_str(stdout(&inbox(&store, &["next", "--json"])).trim()).unwrap();
    assert_eq!(second["callback"]["status"], 3);
    let second_id = second["id"].to_string();
    assert!(inbox(&store, &["nack", &second_id]).status.success());
    let again: Value =
        serde_json::from_str(stdout(&inbox(&store, &["next", "--json"])).trim()).unwrap();
    assert_eq!(
        (again["id"].to_string(), again["attempts"].as_i64()),
        (second_id.clone(), Some(2))
    );
    assert!(inbox(&store, &["ack", &second_id]).status.success());
    assert!(inbox(&store, &["next", "--json"]).stdout.is_empty());

    let listed = stdout(&inbox(&store, &["list", "--state", "all", "--json"]));
    let listed_json: Value = serde_json::from_str(&listed).unwrap();
    let states: Vec<&str> = listed_json
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["delivered", "delivered", "superseded"]);
    let table = stdout(&inbox(&store, &["list", "--state", "superseded"]));
    assert!(
        table.contains("superseded") && table.contains("S0001"),
        "{table}"
    );
    let stats: Value = serde_json::from_str(&stdout(&inbox(&store, &["stats", "--json"]))).unwrap();
    for (name, value) in [
        ("received", 3),
        ("duplicates", 0),
        ("replays_refused", 0),
        ("refused", 0),
        ("pending", 0),
        ("delivered", 2),
        ("superseded", 1),
        ("dead", 0),
        ("same_millisecond", 0),
    ] {
        assert_eq!(stats[name], value, "{name} in {stats}");
    }

    // Bad input names the option or the rule, with exit code 2.
    let wrong = inbox(&store, &["ack", "999"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("no callback has id 999"));
    let bad_store = aimis()
        .args(["inbox", "stats", "--store", "mysql://h/db"])
        .output()
        .unwrap();
    assert_eq!(bad_store.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad_store.stderr)
            .contains("--store mysql://h/db: must be sqlite:PATH")
    );

    sigterm(&serving.child);
    assert!(serving.child.wait().unwrap().success());
    let logs = serving.logs();
    assert!(
        logs.contains("\"event\":\"stored\"") && logs.contains("SIGTERM"),
        "{logs}"
    );
    for text in [&logs, &listed, &table] {
        for secret in [PHONE, ID_NUM, TOKEN, "HIS0001"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}

/// The wire body of a status callback, patient fields encrypted.
fn body(study: &str) -> Vec<u8> {
    json!({
        "status": 0,
        "phoneNum": aimis::encrypt_field(TOKEN, PHONE).unwrap(),
        "idNum": aimis::encrypt_field(TOKEN, ID_NUM).unwrap(),
        "patientId": "P1",
        "hospitalId": "H0001",
        "studyType": 1,
        "studyDate": "2025-03-01 08:30:00",
        "studyId": study,
        "h5Url": "https://h5.example/r",
        "h5DetailUrl": "https://h5.example/i",
        "reportId": "R1",
    })
    .to_string()
    .into_bytes()
}

/// Sends one callback as the platform does: fresh signed headers each try, again and
/// again until the receiver answers with the success code.
fn send_until_acknowledged(target: &Mutex<String>, study: &str, deadline: Instant) -> bool {
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(5)))
        .proxy(None)
        .build()
        .new_agent();
    let body = body(study);
    while Instant::now() < deadline {
        let url = target.lock().unwrap().clone();
        let ts = aimis::Clock::now_millis(&aimis::SystemClock).to_string();
        let sent = agent
            .post(&url)
            .header("appId", APP_ID)
            .header("timestamp", &ts)
            .header("signature", aimis::sign(APP_ID, TOKEN, &ts).unwrap())
            .header("Content-Type", "application/json")
            .send(&body[..]);
        if let Ok(mut response) = sent {
            let answer = response.body_mut().read_to_string().unwrap_or_default();
            if serde_json::from_str::<Value>(&answer).is_ok_and(|v| v["code"] == 0) {
                return true;
            }
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

#[test]
fn kill_9_in_the_middle_of_a_burst_loses_nothing_and_stores_nothing_twice() {
    let (_dir, store) = store();
    burst_with_kill_9(&store);
}

/// The same on PostgreSQL: `aimis-inbox/tests/postgres.sh` runs it on a throwaway
/// cluster, the URL of a database this user may create databases on in
/// `AIMIS_INBOX_TEST_POSTGRES`.
#[test]
#[ignore = "needs PostgreSQL: aimis-inbox/tests/postgres.sh runs it"]
fn kill_9_on_postgres() {
    let admin = std::env::var("AIMIS_INBOX_TEST_POSTGRES")
        .expect("AIMIS_INBOX_TEST_POSTGRES is not set: run aimis-inbox/tests/postgres.sh");
    let name = format!("inbox_cli_{}", std::process::id());
    let mut client = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    let (base, _) = admin.rsplit_once('/').unwrap();
    burst_with_kill_9(&format!("{base}/{name}"));
}

/// Sixteen senders post 1,008 callbacks, each until acknowledged; the receiver is
/// killed with SIGKILL a third of the way through and started again on the same store.
fn burst_with_kill_9(store: &str) {
    const SENDERS: usize = 16;
    const EACH: usize = 63;
    let store = store.to_owned();
    let mut serving = serve(&store);
    let target = Arc::new(Mutex::new(serving.url.clone()));
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let deadline = Instant::now() + Duration::from_secs(120);
    let senders: Vec<_> = (0..SENDERS)
        .map(|s| {
            let (target, acked) = (target.clone(), acked.clone());
            std::thread::spawn(move || {
                for i in 0..EACH {
                    let study = format!("S{s}-{i}");
                    if send_until_acknowledged(&target, &study, deadline) {
                        acked.lock().unwrap().push(study);
                    }
                }
            })
        })
        .collect();
    // kill -9 once a third is in, while all senders are busy; then start again on the
    // same store (a new port: the senders follow).
    while acked.lock().unwrap().len() < SENDERS * EACH / 3 {
        std::thread::sleep(Duration::from_millis(2));
    }
    serving.child.kill().unwrap();
    serving.child.wait().unwrap();
    let acked_before_kill = acked.lock().unwrap().len();
    let mut restarted = serve(&store);
    *target.lock().unwrap() = restarted.url.clone();
    for sender in senders {
        sender.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert_eq!(
        acked.len(),
        SENDERS * EACH,
        "every callback is acknowledged in the end"
    );
    assert!(
        acked_before_kill < SENDERS * EACH,
        "the kill came mid-burst"
    );

    let listed: Value = serde_json::from_str(&stdout(&inbox(&store, &["list", "--json"]))).unwrap();
    let mut stored = BTreeMap::<String, usize>::new();
    for item in listed.as_array().unwrap() {
        *stored
            .entry(item["callback"]["studyId"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    let expected: HashSet<&String> = acked.iter().collect();
    assert_eq!(stored.len(), expected.len(), "none lost, none extra");
    for (study, count) in &stored {
        assert_eq!(*count, 1, "{study} stored {count} times");
        assert!(expected.contains(study), "{study}");
    }
    let stats: Value = serde_json::from_str(&stdout(&inbox(&store, &["stats", "--json"]))).unwrap();
    assert_eq!(stats["received"], SENDERS * EACH, "{stats}");
    assert_eq!(stats["pending"], SENDERS * EACH, "{stats}");
    sigterm(&restarted.child);
    assert!(restarted.child.wait().unwrap().success());
}

/// A bare HTTP endpoint that accepts every POST (204) and keeps the bodies.
fn his_endpoint() -> (String, Arc<Mutex<Vec<Value>>>) {
    his_endpoint_answering_after(Duration::ZERO)
}

/// The hospital's endpoint on loopback: records each pushed body as it arrives and
/// answers 204 after `delay`.
fn his_endpoint_answering_after(delay: Duration) -> (String, Arc<Mutex<Vec<Value>>>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/his", listener.local_addr().unwrap());
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let kept = bodies.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line.trim().is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap();
                    }
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            kept.lock()
                .unwrap()
                .push(serde_json::from_slice(&body).unwrap());
            std::thread::sleep(delay);
            // The pusher may have given up meanwhile.
            let _ = stream.write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
        }
    });
    (url, bodies)
}

/// A CONNECT proxy on loopback that tunnels every request to `upstream`, whatever host
/// it names (as a real proxy resolves names this machine cannot), and records the
/// targets asked for.
fn recording_proxy(upstream: std::net::SocketAddr) -> (String, Arc<Mutex<Vec<String>>>) {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let targets = Arc::new(Mutex::new(Vec::new()));
    let recorded = targets.clone();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let recorded = recorded.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(client.try_clone().unwrap());
                let mut line = String::new();
                let _ = reader.read_line(&mut line);
                recorded.lock().unwrap().push(line.trim().to_owned());
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                        break;
                    }
                }
                let mut to_server = TcpStream::connect(upstream).unwrap();
                let mut to_client = client;
                let _ = to_client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
                let mut from_server = to_server.try_clone().unwrap();
                std::thread::spawn(move || std::io::copy(&mut from_server, &mut to_client));
                let _ = to_server.write_all(reader.buffer());
                let mut client = reader.into_inner();
                let mut buffer = [0; 8192];
                while let Ok(n) = client.read(&mut buffer) {
                    if n == 0 || to_server.write_all(&buffer[..n]).is_err() {
                        break;
                    }
                }
            });
        }
    });
    (url, targets)
}

/// The simulator sends S0001's report-ready callback to the receiver at `url`.
fn report_ready_to(url: &str) -> Simulator {
    let sim = Simulator::builder(Credentials::new(APP_ID, TOKEN).unwrap())
        .callback_url(url.to_owned())
        .spawn("127.0.0.1:0")
        .unwrap();
    assert!(
        sim.advance_study("S0001", aimis::StudyStatus::ReportReady)
            .unwrap()
            .delivered
    );
    sim
}

/// Waits (bounded, so that a bug fails rather than hangs) until `done` holds.
fn eventually(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(40);
    while !done() {
        assert!(Instant::now() < deadline, "never: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The one stored callback's tries so far, as `list` shows them.
fn tries(store: &str) -> i64 {
    let listed: Value = serde_json::from_str(&stdout(&inbox(store, &["list", "--json"]))).unwrap();
    listed[0]["attempts"].as_i64().unwrap_or(0)
}

fn delivered(store: &str) -> i64 {
    let stats: Value = serde_json::from_str(&stdout(&inbox(store, &["stats", "--json"]))).unwrap();
    stats["delivered"].as_i64().unwrap_or(0)
}

/// The pusher takes the client's connection options, and decrypted patient data for
/// this machine never goes through a proxy.
#[test]
fn deliver_url_takes_the_client_s_proxy_options_and_never_proxies_loopback() {
    let (his, bodies) = his_endpoint();
    let his_addr: std::net::SocketAddr = his
        .trim_start_matches("http://")
        .trim_end_matches("/his")
        .parse()
        .unwrap();
    let (proxy, targets) = recording_proxy(his_addr);
    let every_proxy_variable = [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ];

    // The environment names a proxy; the HIS is on loopback: pushed directly.
    let (_dir, db) = store();
    let mut command = serve_command(&db, &["--deliver-url", &his]);
    for name in every_proxy_variable {
        command.env(name, &proxy);
    }
    command.env_remove("NO_PROXY").env_remove("no_proxy");
    let serving = spawn_serving(command);
    let _sim = report_ready_to(&serving.url);
    eventually("pushed", || delivered(&db) == 1);
    assert_eq!(bodies.lock().unwrap()[0]["callback"]["phoneNum"], PHONE);
    assert!(targets.lock().unwrap().is_empty(), "{targets:?}");
    drop(serving);

    // --proxy: a HIS name only the proxy resolves (.test never does) is reached.
    let (_dir, db) = store();
    let named = format!("http://his.test:{}/his", his_addr.port());
    let serving = serve_with(&db, &["--deliver-url", &named, "--proxy", &proxy]);
    let _sim = report_ready_to(&serving.url);
    eventually("pushed through --proxy", || delivered(&db) == 1);
    assert_eq!(
        targets.lock().unwrap().as_slice(),
        [format!("CONNECT his.test:{} HTTP/1.1", his_addr.port())]
    );
    drop(serving);

    // --no-env-proxy: the environment's proxy is not used; the name cannot be resolved,
    // and the push is tried again later.
    let (_dir, db) = store();
    let mut command = serve_command(&db, &["--deliver-url", &named, "--no-env-proxy"]);
    for name in every_proxy_variable {
        command.env(name, &proxy);
    }
    let serving = spawn_serving(command);
    let _sim = report_ready_to(&serving.url);
    eventually("a second try", || tries(&db) >= 2);
    assert_eq!(delivered(&db), 0);
    assert_eq!(targets.lock().unwrap().len(), 1, "{targets:?}");
    drop(serving);
}

/// --timeout bounds one push: a HIS slower than the default 10 s is waited for when
/// --timeout allows it, and one that hangs is given up on and tried again.
#[test]
fn deliver_url_takes_the_client_s_timeout() {
    let (slow, bodies) = his_endpoint_answering_after(Duration::from_secs(11));
    let (_dir, db) = store();
    let serving = serve_with(&db, &["--deliver-url", &slow, "--timeout", "20"]);
    let _sim = report_ready_to(&serving.url);
    eventually("accepted after 11 s", || delivered(&db) == 1);
    assert_eq!(bodies.lock().unwrap().len(), 1, "one try");
    drop(serving);

    let (hanging, bodies) = his_endpoint_answering_after(Duration::from_secs(3600));
    let (_dir, db) = store();
    let serving = serve_with(&db, &["--deliver-url", &hanging, "--timeout", "1"]);
    let _sim = report_ready_to(&serving.url);
    eventually("a second try", || tries(&db) >= 2);
    assert_eq!(delivered(&db), 0);
    assert!(!bodies.lock().unwrap().is_empty());
    drop(serving);
}

#[test]
fn deliver_url_pushes_each_callback_decrypted() {
    let (_dir, store) = store();
    let (his, bodies) = his_endpoint();
    let mut serving = serve_with(&store, &["--deliver-url", &his]);
    let sim = Simulator::builder(Credentials::new(APP_ID, TOKEN).unwrap())
        .callback_url(serving.url.clone())
        .spawn("127.0.0.1:0")
        .unwrap();
    assert!(
        sim.advance_study("S0001", aimis::StudyStatus::ReportReady)
            .unwrap()
            .delivered
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while bodies.lock().unwrap().is_empty() {
        assert!(Instant::now() < deadline, "never pushed");
        std::thread::sleep(Duration::from_millis(20));
    }
    let pushed = bodies.lock().unwrap()[0].clone();
    assert_eq!(pushed["callback"]["phoneNum"], PHONE);
    assert_eq!(pushed["callback"]["studyId"], "S0001");
    sigterm(&serving.child);
    assert!(serving.child.wait().unwrap().success());
    let stats: Value = serde_json::from_str(&stdout(&inbox(&store, &["stats", "--json"]))).unwrap();
    assert_eq!(
        (stats["delivered"].as_i64(), stats["pending"].as_i64()),
        (Some(1), Some(0)),
        "{stats}"
    );
    let logs = serving.logs();
    assert!(logs.contains("\"event\":\"delivered\""), "{logs}");
    assert!(!logs.contains(PHONE), "{logs}");
}

/// `serve --confirm` against the simulator: its storm and its deliveries are handed
/// out with the links the platform answers for them; under replayed headers a forged
/// link is replaced by the platform's (a mismatch) and a report the platform never
/// issued goes dead: neither is ever delivered.
#[test]
fn confirm_delivers_the_platform_s_links_and_never_a_forged_one() {
    const EVIL: &str = "https://evil.example/phish";
    let (_dir, store) = store();
    let sim = Simulator::builder(Credentials::new(APP_ID, TOKEN).unwrap())
        .spawn("127.0.0.1:0")
        .unwrap();
    let mut serving = serve_with(&store, &["--confirm", "--base-url", &sim.base_url()]);
    sim.set_callback_url(Some(serving.url.clone()));
    let storm = sim
        .storm(&aimis_sim::Storm {
            studies: 8,
            concurrency: 4,
            duplicates: 1,
            out_of_order: true,
        })
        .unwrap();
    assert_eq!(storm.acknowledged, storm.deliveries, "{storm:?}");
    assert!(
        sim.advance_study("S0004", aimis::StudyStatus::ReportReady)
            .unwrap()
            .delivered
    );
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .build()
        .new_agent();
    let ts = aimis::Clock::now_millis(&aimis::SystemClock).to_string();
    let signature = aimis::sign(APP_ID, TOKEN, &ts).unwrap();
    let post = |study: &str, report: &str, links: &str| -> Value {
        let mut body: Value = serde_json::from_slice(&body(study)).unwrap();
        body["reportId"] = report.into();
        body["h5Url"] = format!("{links}/report/{report}").into();
        body["h5DetailUrl"] = format!("{links}/images/{report}").into();
        let mut response = agent
            .post(&serving.url)
            .header("appId", APP_ID)
            .header("timestamp", &ts)
            .header("signature", &signature)
            .send(body.to_string().as_bytes())
            .unwrap();
        serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap()
    };
    // One genuine callback, then its headers replayed with forged bodies: all stored
    // awaiting confirmation, so all acknowledged.
    for (study, report, links) in [
        ("S0001", "R0001", "https://h5.aimis-sim.example"),
        ("S0003", "R0003", EVIL),
        ("S0666", "R-FORGED", EVIL),
    ] {
        assert_eq!(post(study, report, links)["code"], 0, "{study}");
    }
    let stats = || -> Value {
        serde_json::from_str(&stdout(&inbox(&store, &["stats", "--json"]))).unwrap()
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while stats()["awaiting_confirmation"] != 0 {
        assert!(Instant::now() < deadline, "still awaiting: {}", stats());
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut pulled = Vec::new();
    loop {
        let next = stdout(&inbox(&store, &["next", "--json"]));
        if next.is_empty() {
            break;
        }
        assert!(!next.contains(EVIL), "{next}");
        let line: Value = serde_json::from_str(next.trim()).unwrap();
        assert!(
            inbox(&store, &["ack", &line["id"].to_string()])
                .status
                .success()
        );
        // Nothing the platform answers vouches for a status or a patientId.
        assert_eq!(line["unconfirmed"], json!(["status"]), "{line}");
        assert!(line["callback"].get("patientId").is_none(), "{line}");
        pulled.push(line["callback"].clone());
    }
    // The storm's 8 studies' 2 statuses each (none supersedes another: no status is
    // vouched for), S0004, S0001, S0003.
    assert_eq!(pulled.len(), 16 + 3, "{pulled:?}");
    for callback in &pulled {
        let report = callback["reportId"].as_str().unwrap();
        assert_eq!(
            callback["h5Url"],
            format!("https://h5.aimis-sim.example/report/{report}"),
            "the platform's link for {report}"
        );
    }
    let stats = stats();
    for (name, value) in [
        ("links_mismatched", 1),
        ("not_confirmed", 1),
        ("dead", 1),
        ("awaiting_confirmation", 0),
    ] {
        assert_eq!(stats[name], value, "{name} in {stats}");
    }
    // The two replays, and any two storm senders that shared a millisecond.
    assert!(stats["same_millisecond"].as_u64() >= Some(2), "{stats}");
    let dead = stdout(&inbox(&store, &["list", "--state", "dead", "--json"]));
    assert!(
        dead.contains("\"confirmation\":\"not_confirmed\""),
        "{dead}"
    );
    sigterm(&serving.child);
    assert!(serving.child.wait().unwrap().success());
    let logs = serving.logs();
    assert!(logs.contains("\"event\":\"links_mismatched\""), "{logs}");
    for secret in [PHONE, ID_NUM, TOKEN, EVIL, "h5.aimis-sim.example"] {
        assert!(!logs.contains(secret), "{secret} in logs");
    }
}

/// The simulator's storm (duplicates, later statuses first, 16 senders at once) into a
/// real receiver: every callback stored once, the late statuses superseded, the
/// duplicates counted and collapsed.
#[test]
fn a_storm_from_the_simulator_is_stored_once_and_in_order() {
    let (_dir, store) = store();
    let mut serving = serve(&store);
    let sim = Simulator::builder(Credentials::new(APP_ID, TOKEN).unwrap())
        .callback_url(&serving.url)
        .spawn("127.0.0.1:0")
        .unwrap();
    let report = sim
        .storm(&aimis_sim::Storm {
            studies: 60,
            concurrency: 16,
            duplicates: 1,
            out_of_order: true,
        })
        .unwrap();
    assert_eq!(report.acknowledged, report.deliveries, "{report:?}");
    let stats: Value = serde_json::from_str(&stdout(&inbox(&store, &["stats", "--json"]))).unwrap();
    // 60 studies x 2 statuses, each stored once; each also delivered a second time.
    assert_eq!(stats["received"], 120, "{stats}");
    assert_eq!(stats["duplicates"], 120, "{stats}");
    // The 30 studies that sent both-ready first: their report-ready came late.
    assert_eq!(stats["superseded"], 30, "{stats}");
    assert_eq!(stats["pending"], 90, "{stats}");
    sigterm(&serving.child);
    serving.child.wait().unwrap();
}

#[test]
fn a_bad_store_names_the_flag_and_never_shows_a_password() {
    for store in [
        "host=db.hospital password=s3cret-pw dbname=inbox",
        "host=db.hospital password='s3cret pw' dbname=inbox",
        "mysql://his:s3cret-pw@db.hospital/inbox",
    ] {
        let output = inbox(store, &["stats", "--json"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("--store ") && stderr.contains("must be sqlite:PATH"),
            "{stderr}"
        );
        assert!(!stderr.contains("s3cret"), "{stderr}");
    }
}

/// Every file in `dir` (the database, its `-wal` and `-shm`), with its permissions.
fn modes(dir: &std::path::Path) -> Vec<(String, u32)> {
    use std::os::unix::fs::PermissionsExt;
    let mut modes: Vec<(String, u32)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
            (entry.file_name().to_string_lossy().into_owned(), mode)
        })
        .collect();
    modes.sort();
    modes
}

#[test]
fn the_sqlite_store_and_its_wal_are_readable_by_their_owner_only() {
    // Created by the receiver, a callback stored (so the WAL holds it), then read by `next`.
    let (dir, url) = store();
    let serving = spawn_serving(under_umask_022(&serve_command(&url, &[])));
    let sim = Simulator::builder(Credentials::new(APP_ID, TOKEN).unwrap())
        .callback_url(serving.url.clone())
        .spawn("127.0.0.1:0")
        .unwrap();
    assert!(
        sim.advance_study("S0001", aimis::StudyStatus::ReportReady)
            .unwrap()
            .delivered
    );
    let mut next = aimis();
    next.args(["inbox", "next", "--json", "--store", &url]);
    let next = under_umask_022(&next).output().unwrap();
    assert!(stdout(&next).contains("S0001"), "{next:?}");
    let names: Vec<(String, u32)> = ["inbox.db", "inbox.db-shm", "inbox.db-wal"]
        .iter()
        .map(|name| (name.to_string(), 0o600))
        .collect();
    assert_eq!(modes(dir.path()), names);

    // Created by a consumer before any receiver.
    let (dir, url) = store();
    let mut next = aimis();
    next.args(["inbox", "next", "--json", "--store", &url]);
    let next = under_umask_022(&next).output().unwrap();
    assert!(next.status.success(), "{next:?}");
    assert!(
        modes(dir.path()).iter().all(|(_, mode)| *mode == 0o600),
        "{:?}",
        modes(dir.path())
    );
}

/// `serve --confirm --union-id`: a forged body under a signed header set names a real
/// report of the right study. It is delivered with the study's fields as the platform
/// lists them (never the body's hisId, studyName or patientId), its status marked
/// unconfirmed, and its forged status 3 does not supersede the study's genuine later
/// report-ready callback.
#[test]
fn confirm_vouches_for_the_study_s_fields_and_a_forged_status_supersedes_nothing() {
    let (_dir, db) = store();
    let sim = Simulator::builder(Credentials::new(APP_ID, TOKEN).unwrap())
        .spawn("127.0.0.1:0")
        .unwrap();
    let serving = serve_with(
        &db,
        &[
            "--confirm",
            "--base-url",
            &sim.base_url(),
            "--union-id",
            "U0001",
        ],
    );
    let mut forged: Value = serde_json::from_slice(&body("S0002")).unwrap();
    for (name, value) in [
        ("status", json!(3)),
        ("reportId", json!("R0002")),
        ("studyType", json!(5)),
        ("studyDate", json!("2025-03-02 14:10:00")),
        ("patientId", json!("P-FORGED")),
        ("hisId", json!("HIS-FORGED")),
        ("studyName", json!("FORGED study")),
    ] {
        forged[name] = value;
    }
    let ts = aimis::Clock::now_millis(&aimis::SystemClock).to_string();
    let answer = ureq::Agent::config_builder()
        .proxy(None)
        .build()
        .new_agent()
        .post(&serving.url)
        .header("appId", APP_ID)
        .header("timestamp", &ts)
        .header("signature", aimis::sign(APP_ID, TOKEN, &ts).unwrap())
        .send(forged.to_string().as_bytes());
    assert!(answer.is_ok(), "{answer:?}");
    sim.set_callback_url(Some(serving.url.clone()));
    assert!(
        sim.advance_study("S0002", aimis::StudyStatus::ReportReady)
            .unwrap()
            .delivered
    );
    let stats =
        || -> Value { serde_json::from_str(&stdout(&inbox(&db, &["stats", "--json"]))).unwrap() };
    eventually("confirmed", || {
        stats()["awaiting_confirmation"] == 0 && stats()["pending"] == 2
    });
    let mut pulled = Vec::new();
    loop {
        let next = stdout(&inbox(&db, &["next", "--json"]));
        if next.is_empty() {
            break;
        }
        assert!(!next.contains("FORGED"), "{next}");
        let line: Value = serde_json::from_str(next.trim()).unwrap();
        assert!(
            inbox(&db, &["ack", &line["id"].to_string()])
                .status
                .success()
        );
        assert_eq!(line["unconfirmed"], json!(["status"]), "{line}");
        pulled.push(line["callback"].clone());
    }
    let seen: Vec<(&Value, &Value, &Value, Option<&Value>)> = pulled
        .iter()
        .map(|c| {
            (
                &c["status"],
                &c["hisId"],
                &c["studyName"],
                c.get("patientId"),
            )
        })
        .collect();
    let listed = (json!("HIS0002"), json!("Abdominal ultrasound"));
    assert_eq!(
        seen,
        [
            (&json!(3), &listed.0, &listed.1, None),
            (&json!(1), &listed.0, &listed.1, None)
        ]
    );
    let stats = stats();
    assert_eq!(
        (&stats["superseded"], &stats["fields_mismatched"]),
        (&json!(0), &json!(1)),
        "{stats}"
    );
}

/// --ca-file: an HTTPS endpoint whose certificate the hospital's CA signed is pushed to.
/// The TLS simulator stands in for it (it answers any POST with 200, which accepts a
/// push); its certificate is signed by a throwaway CA only --ca-file names.
#[test]
fn deliver_url_over_https_trusts_the_ca_file() {
    let his = Simulator::builder(Credentials::new(APP_ID, TOKEN).unwrap())
        .tls(true)
        .spawn("127.0.0.1:0")
        .unwrap();
    let (dir, db) = store();
    let ca = dir.path().join("hospital-ca.pem");
    std::fs::write(&ca, his.ca_pem().unwrap()).unwrap();
    let url = format!("{}/thirdparty/patientStudies/{APP_ID}", his.base_url());
    assert!(url.starts_with("https://"), "{url}");
    let serving = serve_with(
        &db,
        &["--deliver-url", &url, "--ca-file", ca.to_str().unwrap()],
    );
    let _sim = report_ready_to(&serving.url);
    eventually("pushed over TLS", || delivered(&db) == 1);
    assert_eq!(his.requests().len(), 1);
}

#[test]
fn callback_text_cannot_drive_the_terminal_in_the_listing() {
    let forged = "S0001\u{1b}[2J\r\n     9  delivered";
    let fixtures = include_str!("../../aimis-sim/fixtures/default.json")
        .replace("\"S0001\"", &Value::from(forged).to_string());
    let (_dir, store) = store();
    let serving = serve(&store);
    let sim = Simulator::builder(Credentials::new(APP_ID, TOKEN).unwrap())
        .fixtures(aimis_sim::Fixtures::from_json(&fixtures).unwrap())
        .callback_url(serving.url.clone())
        .spawn("127.0.0.1:0")
        .unwrap();
    assert!(
        sim.advance_study(forged, aimis::StudyStatus::ReportReady)
            .unwrap()
            .delivered
    );
    let table = stdout(&inbox(&store, &["list"]));
    assert!(!table.contains(['\u{1b}', '\r']), "{table:?}");
    assert!(table.contains(r"S0001\u{1b}[2J\u{d}\u{a}"), "{table}");
    assert_eq!(
        table.lines().count(),
        2,
        "a header and one callback: {table}"
    );
    let listed: Value = serde_json::from_str(&stdout(&inbox(&store, &["list", "--json"]))).unwrap();
    assert_eq!(listed[0]["callback"]["studyId"], forged, "JSON stays exact");
}
