//! A scripted HTTP server on 127.0.0.1 for the client's round-trip tests: it records
//! every request as received and answers from a script.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

pub const APP_ID: &str = "demo-app";
pub mod canary;

pub const TOKEN: &str = "0123456789abcdef0123456789abcdef";
/// 2025-03-07 09:07:30 UTC, the vendor page's last update.
pub const NOW_MS: u64 = 1_741_338_450_000;

/// One answer of the script.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Status, content type, body.
    Http(u16, &'static str, String),
    /// Waits, then answers.
    Delayed(Duration, Box<Reply>),
    /// Closes the connection without answering.
    Hangup,
    /// HTTP 429 with this `Retry-After`.
    TooMany(&'static str),
}

impl Reply {
    pub fn json(body: serde_json::Value) -> Reply {
        Reply::Http(200, "application/json", body.to_string())
    }

    pub fn data(data: serde_json::Value) -> Reply {
        Reply::json(serde_json::json!({"code": 0, "message": "success", "data": data}))
    }

    pub fn api_error(code: i64, message: &str) -> Reply {
        Reply::json(serde_json::json!({"code": code, "message": message}))
    }
}

/// A request as it arrived.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub request_line: String,
    /// Names as sent, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap()
    }
}

pub struct Server {
    pub url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl Server {
    /// Answers the n-th request with the n-th reply; the last reply repeats.
    pub fn start(script: Vec<Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&requests);
        thread::spawn(move || {
            for (n, stream) in listener.incoming().enumerate() {
                let Ok(stream) = stream else { continue };
                let reply = script.get(n).or(script.last()).cloned().unwrap();
                let recorded = Arc::clone(&recorded);
                thread::spawn(move || serve(stream, reply, &recorded));
            }
        });
        Server { url, requests }
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    /// The requests as they arrive, for another thread to watch.
    pub fn requests_handle(&self) -> Arc<Mutex<Vec<Recorded>>> {
        Arc::clone(&self.requests)
    }
}

fn serve(stream: TcpStream, reply: Reply, recorded: &Mutex<Vec<Recorded>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
        return;
    }
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap();
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .map_or(0, |(_, v)| v.parse().unwrap());
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    recorded.lock().unwrap().push(Recorded {
        request_line: request_line.trim_end().to_owned(),
        headers,
        body: String::from_utf8(body).unwrap(),
    });
    answer(stream, reply);
}

fn answer(mut stream: TcpStream, reply: Reply) {
    match reply {
        Reply::Http(status, content_type, body) => {
            let head = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body.as_bytes());
        }
        Reply::Delayed(wait, reply) => {
            thread::sleep(wait);
            answer(stream, *reply);
        }
        Reply::Hangup => drop(stream),
        Reply::TooMany(retry_after) => {
            let head = format!(
                "HTTP/1.1 429 X\r\nretry-after: {retry_after}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes());
        }
    }
}

pub fn credentials() -> aimis::Credentials {
    aimis::Credentials::new(APP_ID, TOKEN).unwrap()
}

/// A client of `server` with a fixed clock and fast retries.
pub fn client(server: &Server) -> aimis::Client {
    aimis::Client::builder(credentials())
        .base_url(&server.url)
        .clock(Arc::new(aimis::FixedClock(NOW_MS)))
        .retry(aimis::RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(20),
        })
        .build()
        .unwrap()
}

pub fn studies_request() -> aimis::PatientStudiesRequest {
    aimis::PatientStudiesRequest {
        phone_num: "13800138000".into(),
        id_num: "110101199003074518".into(),
        his_id: Some("HIS0001".into()),
        patient_name: Some("张三".into()),
        hospital_id: "H0001".into(),
        union_id: "U0001".into(),
        study_type: aimis::StudyType::Radiology,
        data_flag: aimis::DataFlag::All,
        usage: aimis::Usage::DoctorView,
        study_date_begin: "2025-01-01 00:00:00".into(),
        study_date_end: "2025-12-31 23:59:59".into(),
    }
}

pub fn consultations_request() -> aimis::PatientConsultationsRequest {
    aimis::PatientConsultationsRequest {
        his_id: "HIS0001".into(),
        phone_num: "13800138000".into(),
        id_num: "110101199003074518".into(),
        patient_name: None,
        hospital_id: "H0001".into(),
        union_id: "U0001".into(),
    }
}

pub fn report_url_request() -> aimis::PatientReportUrlRequest {
    aimis::PatientReportUrlRequest {
        report_id: "R0001".into(),
        phone_num: "13800138000".into(),
        id_num: "110101199003074518".into(),
        hospital_id: "H0001".into(),
    }
}
