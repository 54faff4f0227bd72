//! `aimis batch` end to end against the simulator: CSV and JSON Lines in and out, bad
//! rows as outcomes, and a run killed half-way then resumed.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use aimis::Credentials;
use aimis_sim::{Fault, Simulator};
use serde_json::Value;

const APP_ID: &str = "demo-app";
const TOKEN: &str = "0123456789abcdef0123456789abcdef";

fn sim() -> Simulator {
    Simulator::builder(Credentials::new(APP_ID, TOKEN).unwrap())
        .spawn("127.0.0.1:0")
        .unwrap()
}

fn aimis(sim: &Simulator) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_aimis"));
    command
        .env("AIMIS_APP_ID", APP_ID)
        .env("AIMIS_TOKEN", TOKEN)
        .env("AIMIS_BASE_URL", sim.base_url())
        .env_remove("AIMIS_PROXY");
    command
}

/// A scratch directory of this test's own.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("aimis-batch-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn lines(path: &PathBuf) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// `aimis batch ENDPOINT --input INPUT --output OUTPUT`, run to the end.
fn batch(sim: &Simulator, endpoint: &str, input: &PathBuf, output: &PathBuf) -> Output {
    aimis(sim)
        .args(["batch", endpoint, "--input"])
        .arg(input)
        .arg("--output")
        .arg(output)
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn csv_in_json_lines_out_with_bad_rows_as_outcomes() {
    let sim = sim();
    let dir = scratch("csv");
    let input = dir.join("reports.csv");
    std::fs::write(
        &input,
        "report_id,phone-num,idNum,hospital_id\n\
         R0001,13800138000,110101199003074518,H0001\n\
         R0002,13800138000,110101199003074518,\n\
         R9999,13800138000,110101199003074518,H0001\n\
         R0003,13800138000,110101199003074518,H0001\n",
    )
    .unwrap();
    let output_path = dir.join("out.jsonl");
    let output = batch(&sim, "patient-report-url", &input, &output_path);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mut by_row: HashMap<u64, Value> = lines(&output_path)
        .into_iter()
        .map(|l| (l["row"].as_u64().unwrap(), l))
        .collect();
    assert_eq!(by_row.len(), 4);
    assert_eq!(by_row[&1]["data"]["studyId"], "S0001");
    assert_eq!(by_row[&2]["error"]["kind"], "validation");
    assert_eq!(by_row[&3]["error"]["kind"], "api");
    assert_eq!(by_row[&3]["error"]["code"], 10003);
    assert_eq!(by_row.remove(&4).unwrap()["ok"], true);
    assert_eq!(sim.requests().len(), 3, "the invalid row was not sent");
    let summary = stderr(&output);
    assert!(
        summary.contains("4 rows: 2 ok, 1 API errors (10003 NoData x1), 1 invalid"),
        "{summary}"
    );
    assert!(!summary.contains("13800138000"), "{summary}");
}

#[test]
fn json_lines_in_csv_out_one_line_per_study() {
    let sim = sim();
    let dir = scratch("csv-out");
    let input = dir.join("patients.jsonl");
    let request = r#"{"phoneNum":"13800138000","idNum":"110101199003074518","hospitalId":"H0001","unionId":"U0001","studyType":"Radiology","dataFlag":0,"usage":2,"studyDateBegin":"2025-01-01 00:00:00","studyDateEnd":"2025-12-31 23:59:59"}"#;
    std::fs::write(&input, format!("{request}\n\nnot json\n")).unwrap();
    let csv_path = dir.join("studies.csv");
    let output = batch(&sim, "patientStudies", &input, &csv_path);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        &headers.iter().take(6).collect::<Vec<_>>(),
        &[
            "row",
            "ok",
            "error_kind",
            "error_code",
            "error_message",
            "hisId"
        ]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let studies: Vec<_> = records.iter().filter(|r| &r[0] == "1").collect();
    assert!(studies.len() >= 2, "one line per study: {records:?}");
    let report_id = headers.iter().position(|h| h == "reportId").unwrap();
    assert!(
        studies
            .iter()
            .all(|r| &r[1] == "true" && r[report_id].starts_with('R'))
    );
    let bad: Vec<_> = records.iter().filter(|r| &r[0] == "2").collect();
    assert_eq!(
        (bad.len(), &bad[0][1], &bad[0][2]),
        (1, "false", "validation")
    );
}

#[test]
fn an_existing_output_needs_resume() {
    let sim = sim();
    let dir = scratch("exists");
    let (input, output_path) = (dir.join("in.jsonl"), dir.join("out.jsonl"));
    std::fs::write(&input, "{}\n").unwrap();
    std::fs::write(&output_path, "{\"row\":1,\"ok\":true,\"data\":{}}\n").unwrap();
    let output = batch(&sim, "patient-report-url", &input, &output_path);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("--resume"));
}

#[test]
fn a_killed_batch_resumes_and_every_row_has_exactly_one_outcome() {
    let sim = sim();
    sim.add_fault("latency=20".parse::<Fault>().unwrap())
        .unwrap();
    let dir = scratch("resume");
    let (input, output_path) = (dir.join("in.jsonl"), dir.join("out.jsonl"));
    let rows = 300;
    let mut text = String::new();
    for n in 0..rows {
        let report = if n % 10 == 9 {
            "R9999".into()
        } else {
            format!("R000{}", n % 7 + 1)
        };
        text += &format!(
            "{{\"reportId\":\"{report}\",\"phoneNum\":\"13800138000\",\"idNum\":\"110101199003074518\",\"hospitalId\":\"H0001\"}}\n"
        );
    }
    std::fs::write(&input, text).unwrap();
    let batch = |resume: bool| {
        let mut command = aimis(&sim);
        command
            .args([
                "batch",
                "patient-report-url",
                "--concurrency",
                "4",
                "--input",
            ])
            .arg(&input)
            .arg("--output")
            .arg(&output_path)
            .stderr(Stdio::piped());
        if resume {
            command.arg("--resume");
        }
        command
    };
    let mut first = batch(false).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(700));
    first.kill().unwrap();
    first.wait().unwrap();
    let written = lines(&output_path);
    assert!(
        !written.is_empty() && written.len() < rows,
        "killed half-way: {}",
        written.len()
    );
    let succeeded_before = written.iter().filter(|l| l["ok"] == true).count();
    let sent_before = sim.requests().len();

    let resumed = batch(true).output().unwrap();
    assert_eq!(resumed.status.code(), Some(0), "{}", stderr(&resumed));
    let outcomes = lines(&output_path);
    let mut rows_seen: Vec<u64> = outcomes
        .iter()
        .map(|l| l["row"].as_u64().unwrap())
        .collect();
    rows_seen.sort_unstable();
    assert_eq!(
        rows_seen,
        (1..=rows as u64).collect::<Vec<_>>(),
        "exactly one line per row"
    );
    assert_eq!(
        outcomes.iter().filter(|l| l["ok"] == false).count(),
        rows / 10
    );
    // The resumed run sent every row but those that had succeeded, and nothing more.
    assert_eq!(sim.requests().len() - sent_before, rows - succeeded_before);
}
