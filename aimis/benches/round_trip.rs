//! One patientStudies call over loopback HTTP with keep-alive, against `aimis sim`, three
//! ways in one run, interleaved five calls at a time so that the machine's noise (and
//! its cores' changes of speed) falls on all three alike:
//!
//! - `raw ureq`: a plain ureq agent POSTing the prepared bytes and headers (the floor:
//!   nothing aimis adds but the request itself);
//! - `typed`: `client.patient_studies(&request)`;
//! - `json`: `client.call_json("patientStudies", &value)`, the path C, Python and the
//!   CLI take.
//!
//! It prints each median and its ratio to raw (raw / path: 1.0 is as fast as raw ureq;
//! the target is at least 0.9). `cargo bench -p aimis --bench round_trip` on an idle
//! machine; `cargo test --benches` runs a few rounds only, to check it works.

use std::hint::black_box;
use std::time::{Duration, Instant};

use aimis_sim::Simulator;

#[path = "../tests/support/mod.rs"]
mod support;

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` does not.
    let full = std::env::args().any(|a| a == "--bench");
    let (rounds, per_round) = if full { (1000, 5) } else { (3, 2) };

    let credentials = support::credentials();
    let sim = Simulator::builder(credentials.clone())
        .spawn("127.0.0.1:0")
        .expect("start the simulator");
    let client = aimis::Client::builder(credentials)
        .base_url(sim.base_url())
        .build()
        .unwrap();
    let raw = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    let request = support::studies_request();
    let value = serde_json::json!({
        "phoneNum": request.phone_num.expose(), "idNum": request.id_num.expose(),
        "hisId": "HIS0001", "patientName": "张三",
        "hospitalId": request.hospital_id, "unionId": request.union_id,
        "studyType": 0, "dataFlag": 0, "usage": 2,
        "studyDateBegin": request.study_date_begin, "studyDateEnd": request.study_date_end,
    });

    type Path<'a> = (&'static str, Box<dyn Fn() + 'a>);
    let prepared = std::cell::RefCell::new(client.prepare(&request).unwrap());
    let paths: Vec<Path> = vec![
        (
            "raw ureq",
            Box::new(|| {
                let prepared = prepared.borrow();
                let mut call = raw.post(prepared.url());
                for (name, value) in prepared.headers() {
                    call = call.header(name, value);
                }
                let mut response = call.send(prepared.body()).unwrap();
                black_box(response.body_mut().read_to_vec().unwrap());
            }),
        ),
        (
            "typed",
            Box::new(|| {
                black_box(client.patient_studies(&request).unwrap());
            }),
        ),
        (
            "json",
            Box::new(|| {
                black_box(client.call_json("patientStudies", &value).unwrap());
            }),
        ),
    ];
    let mut samples = vec![Vec::new(); paths.len()];
    for path in &paths {
        (path.1)(); // Connect and warm up.
    }
    for round in 0..rounds {
        if round % 250 == 0 {
            // The signed timestamp of the raw request must stay fresh.
            *prepared.borrow_mut() = client.prepare(&request).unwrap();
        }
        for offset in 0..paths.len() {
            let index = (round + offset) % paths.len();
            for _ in 0..per_round {
                let started = Instant::now();
                (paths[index].1)();
                samples[index].push(started.elapsed());
            }
        }
    }
    drop(paths);
    let medians: Vec<Duration> = samples.iter_mut().map(|s| median(s)).collect();
    println!(
        "round trip, patientStudies over loopback, {} calls each, medians:",
        rounds * per_round
    );
    for (name, median) in ["raw ureq", "typed", "json"].iter().zip(&medians) {
        let ratio = medians[0].as_secs_f64() / median.as_secs_f64();
        println!(
            "  {name:<9} {:>8.1} µs   raw/this {ratio:.2}",
            median.as_secs_f64() * 1e6
        );
    }
}
