//! Batches against the simulator: one outcome per row in any order, bad rows refused
//! before anything is sent for them, the rate ceiling, and back-off when the platform
//! answers FetchLimitExceeded.

mod support;

use std::time::{Duration, Instant};

use aimis::{BatchOptions, Error};
use aimis_sim::{Fault, Simulator};
use serde_json::{Value, json};

fn sim() -> Simulator {
    Simulator::builder(support::credentials())
        .spawn("127.0.0.1:0")
        .unwrap()
}

fn client(sim: &Simulator) -> aimis::Client {
    aimis::Client::builder(support::credentials())
        .base_url(sim.base_url())
        .build()
        .unwrap()
}

fn report(report_id: &str) -> Value {
    json!({"reportId": report_id, "phoneNum": "13800138000", "idNum": "110101199003074518", "hospitalId": "H0001"})
}

fn run(
    client: &aimis::Client,
    rows: Vec<Value>,
    options: &BatchOptions,
) -> Vec<(usize, Result<Value, Error>)> {
    let mut outcomes = Vec::new();
    client
        .batch_json("patientReportUrl", rows, options, |o| {
            outcomes.push((o.index, o.result))
        })
        .unwrap();
    outcomes.sort_by_key(|o| o.0);
    outcomes
}

#[test]
fn every_row_has_one_outcome_and_bad_rows_are_not_sent() {
    let sim = sim();
    let mut rows: Vec<Value> = (0..40)
        .map(|n| report(&format!("R000{}", n % 7 + 1)))
        .collect();
    rows[5] = json!({"reportId": "R0001"});
    rows[17] = json!("not an object");
    let outcomes = run(&client(&sim), rows, &BatchOptions::default());
    assert_eq!(
        outcomes.iter().map(|o| o.0).collect::<Vec<_>>(),
        (0..40).collect::<Vec<_>>()
    );
    for (index, result) in &outcomes {
        match index {
            5 | 17 => assert!(
                matches!(result, Err(Error::Validation { .. })),
                "{result:?}"
            ),
            _ => assert_eq!(
                result.as_ref().unwrap()["studyId"],
                format!("S000{}", index % 7 + 1)
            ),
        }
    }
    assert_eq!(sim.requests().len(), 38, "the two bad rows were never sent");
}

#[test]
fn the_rate_ceiling_holds() {
    let sim = sim();
    let options = BatchOptions {
        concurrency: 8,
        rate: Some(40.0),
        ..BatchOptions::default()
    };
    let started = Instant::now();
    let outcomes = run(&client(&sim), vec![report("R0001"); 21], &options);
    assert!(outcomes.iter().all(|o| o.1.is_ok()));
    // 21 starts at 40 per second: the last no sooner than 0.5 s after the first.
    assert!(
        started.elapsed() >= Duration::from_millis(490),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn fetch_limit_exceeded_slows_the_batch_down_and_the_rows_are_retried() {
    let sim = sim();
    sim.add_fault("code=90003,times=3".parse::<Fault>().unwrap())
        .unwrap();
    let options = BatchOptions {
        concurrency: 4,
        slow_down_pause: Duration::from_millis(20),
        ..BatchOptions::default()
    };
    let outcomes = run(&client(&sim), vec![report("R0002"); 12], &options);
    assert!(outcomes.iter().all(|o| o.1.is_ok()), "{outcomes:?}");
    assert_eq!(
        sim.requests().len(),
        12 + 3,
        "each refused request tried once more"
    );
}

#[test]
fn retries_after_fetch_limit_exceeded_are_bounded() {
    let sim = sim();
    sim.add_fault("code=90003".parse::<Fault>().unwrap())
        .unwrap();
    let options = BatchOptions {
        concurrency: 2,
        slow_down_retries: 2,
        slow_down_pause: Duration::from_millis(1),
        ..BatchOptions::default()
    };
    let outcomes = run(&client(&sim), vec![report("R0001"); 3], &options);
    for (_, result) in &outcomes {
        assert_eq!(result.as_ref().unwrap_err().api_code(), Some(90003));
    }
    assert_eq!(sim.requests().len(), 3 * 3);
}

#[test]
fn typed_batches_hand_back_each_request() {
    let sim = sim();
    let requests: Vec<_> = ["R0001", "R0003", "R9999"]
        .iter()
        .map(|id| aimis::PatientReportUrlRequest {
            report_id: (*id).into(),
            ..support::report_url_request()
        })
        .collect();
    let mut seen = Vec::new();
    client(&sim)
        .batch(requests, &BatchOptions::default(), |o| {
            seen.push((
                o.input.report_id.clone(),
                o.result.map(|r| r.study_id).map_err(|e| e.api_code()),
            ))
        })
        .unwrap();
    seen.sort();
    assert_eq!(
        seen,
        [
            ("R0001".to_owned(), Ok(Some("S0001".to_owned()))),
            ("R0003".to_owned(), Ok(Some("S0003".to_owned()))),
            ("R9999".to_owned(), Err(Some(10003))),
        ]
    );
}

#[test]
fn an_unknown_endpoint_or_bad_options_stop_the_batch_before_it_starts() {
    let sim = sim();
    let client = client(&sim);
    let unknown = client.batch_json(
        "patientImages",
        vec![json!({})],
        &BatchOptions::default(),
        |_| {},
    );
    assert!(matches!(unknown, Err(Error::UnknownEndpoint { .. })));
    let zero = BatchOptions {
        concurrency: 0,
        ..BatchOptions::default()
    };
    assert!(matches!(
        client.batch_json("patientReportUrl", vec![json!({})], &zero, |_| {}),
        Err(Error::Config { .. })
    ));
    // Rates whose pause between two starts no clock can hold, and the rest out of range.
    for rate in [1e-300, 1e-6, 0.0, -1.0, 2e6, f64::INFINITY, f64::NAN] {
        let options = BatchOptions {
            rate: Some(rate),
            ..BatchOptions::default()
        };
        let refused =
            client.batch_json("patientReportUrl", vec![report("R0001")], &options, |_| {});
        match refused {
            Err(error @ Error::Config { .. }) => {
                let message = error.to_string();
                assert!(message.contains("rate must be from"), "{rate}: {message}");
            }
            other => panic!("rate {rate}: {other:?}"),
        }
    }
    assert!(sim.requests().is_empty());
}

/// An iterator that ends, then goes on (as a reader does past a line it could not
/// read): rows 0 and 1, the end, then row 3.
struct EndsThenGoesOn(std::vec::IntoIter<Option<Value>>);

impl Iterator for EndsThenGoesOn {
    type Item = Value;

    fn next(&mut self) -> Option<Value> {
        self.0.next().flatten()
    }
}

#[test]
fn the_first_end_of_the_rows_ends_the_batch_at_any_concurrency() {
    let sim = sim();
    let client = client(&sim);
    for concurrency in [1, 8] {
        let rows = EndsThenGoesOn(
            vec![
                Some(report("R0001")),
                Some(report("R0002")),
                None,
                Some(report("R0003")),
            ]
            .into_iter(),
        );
        let options = BatchOptions {
            concurrency,
            ..BatchOptions::default()
        };
        let mut outcomes = Vec::new();
        client
            .batch_json("patientReportUrl", rows, &options, |o| {
                outcomes.push((
                    o.index,
                    o.input["reportId"].clone(),
                    o.result.unwrap()["studyId"].clone(),
                ))
            })
            .unwrap();
        outcomes.sort_by_key(|o| o.0);
        assert_eq!(
            outcomes,
            [
                (0, json!("R0001"), json!("S0001")),
                (1, json!("R0002"), json!("S0002"))
            ],
            "concurrency {concurrency}: no row after the end, none under another's index"
        );
    }
    assert_eq!(sim.requests().len(), 4);
}
