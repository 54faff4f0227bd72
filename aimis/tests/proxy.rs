//! Through a real CONNECT proxy on loopback: an explicit proxy, and the environment's
//! (`http_proxy`, `NO_PROXY`) as curl reads it. One test in its own binary, since it
//! sets the process's environment.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use aimis_sim::Simulator;

/// A CONNECT proxy that tunnels every request to `upstream`, whatever host it names
/// (as a real proxy would resolve it), and records the targets asked for.
fn connect_proxy(upstream: SocketAddr) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let targets = Arc::new(Mutex::new(Vec::new()));
    let recorded = Arc::clone(&targets);
    thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let recorded = Arc::clone(&recorded);
            thread::spawn(move || tunnel(client, upstream, &recorded));
        }
    });
    (url, targets)
}

fn tunnel(client: TcpStream, upstream: SocketAddr, recorded: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(client.try_clone().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let target = line
        .strip_prefix("CONNECT ")
        .and_then(|r| r.split(' ').next());
    let Some(target) = target else { return };
    recorded.lock().unwrap().push(target.to_owned());
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
            break;
        }
    }
    let server = TcpStream::connect(upstream).unwrap();
    let mut to_client = client.try_clone().unwrap();
    to_client
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .unwrap();
    let mut from_server = server.try_clone().unwrap();
    let mut to_server = server;
    thread::spawn(move || {
        let _ = std::io::copy(&mut from_server, &mut to_client);
    });
    let mut rest = Vec::new();
    rest.extend_from_slice(reader.buffer());
    let _ = to_server.write_all(&rest);
    let mut client = reader.into_inner();
    let mut buffer = [0; 8192];
    while let Ok(n) = client.read(&mut buffer) {
        if n == 0 || to_server.write_all(&buffer[..n]).is_err() {
            break;
        }
    }
}

fn client(
    base_url: &str,
    configure: impl FnOnce(aimis::ClientBuilder<aimis::Client>) -> aimis::ClientBuilder<aimis::Client>,
) -> aimis::Client {
    configure(
        aimis::Client::builder(support::credentials())
            .base_url(base_url)
            .allow_insecure_http(true)
            .retry(aimis::RetryPolicy::NONE)
            .connect_timeout(Duration::from_secs(2))
            .timeout(Duration::from_secs(5)),
    )
    .build()
    .unwrap()
}

#[test]
fn calls_go_through_the_explicit_or_the_environments_proxy() {
    let sim = Simulator::builder(support::credentials())
        .spawn("127.0.0.1:0")
        .unwrap();
    let (proxy, targets) = connect_proxy(sim.addr());
    // A name only the proxy can reach (.test never resolves): proof the proxy was used.
    let base = format!("http://aimis-sim.test:{}", sim.addr().port());
    let request = support::report_url_request();

    let explicit = client(&base, |b| b.proxy(&proxy).proxy_from_env(false));
    assert!(explicit.patient_report_url(&request).is_ok());
    assert_eq!(
        targets.lock().unwrap().last().unwrap(),
        &format!("aimis-sim.test:{}", sim.addr().port())
    );

    // SAFETY: this binary's only test; nothing else reads the environment meanwhile.
    unsafe {
        std::env::set_var("http_proxy", &proxy);
        std::env::remove_var("NO_PROXY");
        std::env::remove_var("no_proxy");
    }
    let before = targets.lock().unwrap().len();
    assert!(client(&base, |b| b).patient_report_url(&request).is_ok());
    assert_eq!(
        targets.lock().unwrap().len(),
        before + 1,
        "the environment's proxy"
    );

    for direct in [client(&base, |b| b.proxy_from_env(false)), {
        // SAFETY: as above.
        unsafe { std::env::set_var("NO_PROXY", "example.org, .test") };
        client(&base, |b| b)
    }] {
        assert!(
            direct.patient_report_url(&request).is_err(),
            "not through the proxy"
        );
    }
    assert_eq!(targets.lock().unwrap().len(), before + 1);
}
