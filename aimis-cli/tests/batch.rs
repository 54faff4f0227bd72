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
    // The line that is not JSON is its row's failure, and the exit status says so.
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
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

fn report_line(report: &str) -> String {
    format!(
        "{{\"reportId\":\"{report}\",\"phoneNum\":\"13800138000\",\"idNum\":\"110101199003074518\",\"hospitalId\":\"H0001\"}}\n"
    )
}

/// `aimis batch patient-report-url` with these extra arguments.
fn report_batch(sim: &Simulator, input: &PathBuf, output: &PathBuf, extra: &[&str]) -> Output {
    aimis(sim)
        .args(["batch", "patient-report-url", "--input"])
        .arg(input)
        .arg("--output")
        .arg(output)
        .args(extra)
        .output()
        .unwrap()
}

/// Each row's outcome by row number: its studyId, or its error's kind and message.
fn by_row(path: &PathBuf) -> HashMap<u64, Result<String, (String, String)>> {
    lines(path)
        .into_iter()
        .map(|l| {
            let outcome = match l["ok"].as_bool().unwrap() {
                true => Ok(l["data"]["studyId"].as_str().unwrap().to_owned()),
                false => Err((
                    l["error"]["kind"].as_str().unwrap().to_owned(),
                    l["error"]["message"].as_str().unwrap().to_owned(),
                )),
            };
            (l["row"].as_u64().unwrap(), outcome)
        })
        .collect()
}

#[test]
fn a_line_that_is_not_utf8_is_its_rows_failure_and_the_rows_after_it_keep_their_numbers() {
    let sim = sim();
    let dir = scratch("not-utf8");
    let input = dir.join("in.jsonl");
    let mut text = report_line("R0001").into_bytes();
    text.extend(report_line("R0002").into_bytes());
    // "张三" in GBK, as a hospital's export writes it.
    text.extend(b"{\"reportId\":\"R0003\",\"patientName\":\"\xd5\xc5\xc8\xfd\"}\n");
    text.extend(report_line("R0003").into_bytes());
    text.extend(b"\n");
    text.extend(report_line("R0004").into_bytes());
    std::fs::write(&input, text).unwrap();
    for concurrency in ["1", "8"] {
        sim.clear_requests();
        let output_path = dir.join(format!("out-{concurrency}.jsonl"));
        let output = report_batch(&sim, &input, &output_path, &["--concurrency", concurrency]);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert!(
            stderr(&output).contains("1 rows of the input could not be read (the first: row 3)"),
            "{}",
            stderr(&output)
        );
        let outcomes = by_row(&output_path);
        assert_eq!(outcomes.len(), 5, "concurrency {concurrency}: {outcomes:?}");
        assert_eq!(outcomes[&1], Ok("S0001".into()));
        assert_eq!(outcomes[&2], Ok("S0002".into()));
        let (kind, message) = outcomes[&3].clone().unwrap_err();
        assert_eq!(kind, "validation");
        assert!(message.contains("line 3 is not UTF-8"), "{message}");
        assert_eq!(
            outcomes[&4],
            Ok("S0003".into()),
            "concurrency {concurrency}"
        );
        assert_eq!(
            outcomes[&5],
            Ok("S0004".into()),
            "concurrency {concurrency}"
        );
        assert_eq!(sim.requests().len(), 4);
    }
}

#[test]
fn csv_rows_that_are_not_utf8_and_columns_named_twice() {
    let sim = sim();
    let dir = scratch("csv-input");
    let input = dir.join("in.csv");
    let mut text = b"report_id,phone_num,id_num,hospital_id\n".to_vec();
    text.extend(b"R0001,13800138000,110101199003074518,H0001\n");
    text.extend(b"R0002,13800138000,110101199003074518,H\xd5\xc5\xc8\xfd\n");
    text.extend(b"R0003,13800138000,110101199003074518,H0001\n");
    std::fs::write(&input, text).unwrap();
    let output_path = dir.join("out.jsonl");
    let output = report_batch(&sim, &input, &output_path, &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let outcomes = by_row(&output_path);
    assert_eq!(outcomes[&1], Ok("S0001".into()));
    let (kind, message) = outcomes[&2].clone().unwrap_err();
    assert_eq!(kind, "validation");
    assert!(
        message.contains("CSV record 2 (line 3) is not UTF-8 text (column 4"),
        "{message}"
    );
    assert_eq!(outcomes[&3], Ok("S0003".into()));
    assert_eq!(sim.requests().len(), 2);

    sim.clear_requests();
    let twice = dir.join("twice.csv");
    std::fs::write(
        &twice,
        "report_id,phoneNum,idNum,hospitalId,reportId\nR0001,13800138000,110101199003074518,H0001,R0002\n",
    )
    .unwrap();
    let output = report_batch(&sim, &twice, &dir.join("twice.jsonl"), &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output)
            .contains("CSV columns `report_id` and `reportId` are both the field reportId"),
        "{}",
        stderr(&output)
    );
    assert!(sim.requests().is_empty());
}

#[test]
fn a_rate_no_clock_can_keep_is_refused_naming_the_option() {
    let sim = sim();
    let dir = scratch("rate");
    let input = dir.join("in.jsonl");
    std::fs::write(&input, report_line("R0001")).unwrap();
    for rate in ["1e-300", "0", "-1", "inf", "NaN", "1e9"] {
        let rate = format!("--rate={rate}");
        let output = report_batch(&sim, &input, &dir.join("out.jsonl"), &[&rate]);
        assert_eq!(output.status.code(), Some(2), "{rate}: {}", stderr(&output));
        assert!(
            stderr(&output).contains("--rate must be from 1/86400"),
            "{}",
            stderr(&output)
        );
    }
    assert!(sim.requests().is_empty());
}

#[cfg(unix)]
fn mode(path: &PathBuf) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn resume_refuses_an_input_whose_rows_moved_and_redoes_a_fixed_row() {
    let sim = sim();
    let dir = scratch("resume-edited");
    let (input, output_path) = (dir.join("in.jsonl"), dir.join("out.jsonl"));
    let reports = ["R0001", "R0002", "R9999", "R0003", "R0004"];
    std::fs::write(&input, reports.map(report_line).concat()).unwrap();
    let first = report_batch(&sim, &input, &output_path, &[]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(matches!(&by_row(&output_path)[&3], Err((kind, _)) if kind == "api"));
    #[cfg(unix)]
    assert_eq!(
        mode(&output_path),
        0o600,
        "the outcomes are the owner's only"
    );
    let written = std::fs::read(&output_path).unwrap();
    assert!(
        !String::from_utf8_lossy(&written).contains("13800138000"),
        "a fingerprint, not the request"
    );

    // The operator deletes the failed row: rows 4 and 5 become 3 and 4.
    sim.clear_requests();
    let without = [0, 1, 3, 4].map(|n| report_line(reports[n])).concat();
    std::fs::write(&input, without).unwrap();
    let refused = report_batch(&sim, &input, &output_path, &["--resume"]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("row 4 is not the request whose outcome the output holds"),
        "{}",
        stderr(&refused)
    );
    assert!(sim.requests().is_empty(), "nothing sent");
    assert_eq!(
        std::fs::read(&output_path).unwrap(),
        written,
        "nothing written"
    );

    // The operator fixes the failed row instead: only it is sent again.
    let fixed = ["R0001", "R0002", "R0005", "R0003", "R0004"];
    std::fs::write(&input, fixed.map(report_line).concat()).unwrap();
    // A staging file a killed resume left behind, readable by all.
    let staging = dir.join("out.jsonl.resume");
    std::fs::write(&staging, "").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&staging, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let resumed = report_batch(&sim, &input, &output_path, &["--resume"]);
    assert_eq!(resumed.status.code(), Some(0), "{}", stderr(&resumed));
    assert_eq!(sim.requests().len(), 1);
    let outcomes = by_row(&output_path);
    let studies: Vec<_> = (1..=5).map(|row| outcomes[&row].clone().unwrap()).collect();
    assert_eq!(studies, ["S0001", "S0002", "S0005", "S0003", "S0004"]);
    #[cfg(unix)]
    assert_eq!(mode(&output_path), 0o600);
}

#[test]
fn csv_output_is_safe_in_a_spreadsheet_and_resume_reads_it_as_csv() {
    // Platform text that a spreadsheet would run, and a line break inside a cell.
    let mut fixtures: Value =
        serde_json::from_str(include_str!("../../aimis-sim/fixtures/default.json")).unwrap();
    let study = &mut fixtures["patients"][0]["studies"][0];
    study["studyName"] = "=HYPERLINK(\"http://x.example\",\"open\")\nsecond line".into();
    study["bodyPart"] = "+1+1".into();
    study["applyDoctor"] = "@SUM(A1)".into();
    study["applyDept"] = "-2+3".into();
    study["applyDeptId"] = "\tK01".into();
    let sim = Simulator::builder(Credentials::new(APP_ID, TOKEN).unwrap())
        .fixtures(aimis_sim::Fixtures::from_json(&fixtures.to_string()).unwrap())
        .spawn("127.0.0.1:0")
        .unwrap();
    let dir = scratch("csv-resume");
    let input = dir.join("patients.jsonl");
    let request = r#"{"phoneNum":"13800138000","idNum":"110101199003074518","hospitalId":"H0001","unionId":"U0001","studyType":"Radiology","dataFlag":0,"usage":2,"studyDateBegin":"2025-01-01 00:00:00","studyDateEnd":"2025-12-31 23:59:59"}"#;
    std::fs::write(&input, format!("{request}\n").repeat(3)).unwrap();
    let csv_path = dir.join("studies.csv");
    let records = |path: &PathBuf| -> Vec<csv::StringRecord> {
        let mut reader = csv::Reader::from_path(path).unwrap();
        reader.records().map(Result::unwrap).collect()
    };
    let first = batch(&sim, "patientStudies", &input, &csv_path);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let whole = records(&csv_path);
    let headers = csv::Reader::from_path(&csv_path)
        .unwrap()
        .headers()
        .unwrap()
        .clone();
    let cell = |record: &csv::StringRecord, name: &str| {
        record[headers.iter().position(|h| h == name).unwrap()].to_owned()
    };
    let r0001 = whole
        .iter()
        .find(|r| cell(r, "reportId") == "R0001")
        .unwrap();
    assert_eq!(
        cell(r0001, "studyName"),
        "'=HYPERLINK(\"http://x.example\",\"open\")\nsecond line"
    );
    assert_eq!(cell(r0001, "bodyPart"), "'+1+1");
    assert_eq!(cell(r0001, "applyDoctor"), "'@SUM(A1)");
    assert_eq!(cell(r0001, "applyDept"), "'-2+3");
    assert_eq!(cell(r0001, "applyDeptId"), "'\tK01");
    let per_row = whole.iter().filter(|r| &r[0] == "3").count();
    assert!(per_row >= 2, "a row of several studies: {whole:?}");
    #[cfg(unix)]
    assert_eq!(mode(&csv_path), 0o600);

    // Killed half-way through writing the last row's last line.
    let text = std::fs::read(&csv_path).unwrap();
    let last_line = text[..text.len() - 1]
        .iter()
        .rposition(|b| *b == b'\n')
        .unwrap();
    std::fs::write(&csv_path, &text[..last_line + 6]).unwrap();
    sim.clear_requests();
    let mut resume = aimis(&sim);
    resume
        .args(["batch", "patientStudies", "--resume", "--input"])
        .arg(&input)
        .arg("--output")
        .arg(&csv_path);
    let resumed = resume.output().unwrap();
    assert_eq!(resumed.status.code(), Some(0), "{}", stderr(&resumed));
    assert_eq!(
        sim.requests().len(),
        1,
        "rows 1 and 2 kept, the cut row 3 done again"
    );
    let mut again = records(&csv_path);
    let mut expected = whole.clone();
    let row_of = |r: &csv::StringRecord| r[0].parse::<u64>().unwrap();
    again.sort_by_key(row_of);
    expected.sort_by_key(row_of);
    assert_eq!(
        again, expected,
        "every row once, whole, its cells as written"
    );
}
