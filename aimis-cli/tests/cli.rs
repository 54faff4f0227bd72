//! The `aimis` binary end to end, against the simulator over loopback HTTP: every
//! endpoint, every exit code, credentials from flags, a file and the environment,
//! `--input`, and the help and listing output pinned by snapshots.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};

use aimis::Credentials;
use aimis_sim::{Fault, Simulator};
use serde_json::{Value, json};

const APP_ID: &str = "demo-app";
const TOKEN: &str = "0123456789abcdef0123456789abcdef";
const PHONE: &str = "13800138000";
const ID_NUM: &str = "110101199003074518";

fn sim() -> Simulator {
    Simulator::builder(Credentials::new(APP_ID, TOKEN).unwrap())
        .spawn("127.0.0.1:0")
        .unwrap()
}

/// The binary with a clean environment: no credentials leak in from the machine.
fn aimis() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_aimis"));
    command
        .env_remove("AIMIS_APP_ID")
        .env_remove("AIMIS_TOKEN")
        .env_remove("AIMIS_BASE_URL")
        .env_remove("AIMIS_SIM_ADMIN_TOKEN")
        .env_remove("AIMIS_PROXY")
        .env_remove("AIMIS_CA_FILE");
    command
}

/// `aimis` with the test app's credentials in the environment, pointed at `sim`.
fn aimis_at(sim: &Simulator) -> Command {
    let mut command = aimis();
    command
        .env("AIMIS_APP_ID", APP_ID)
        .env("AIMIS_TOKEN", TOKEN)
        .env("AIMIS_BASE_URL", sim.base_url());
    command
}

fn run(command: &mut Command) -> Output {
    command.output().unwrap()
}

/// Runs `command` with `input` on its stdin.
fn run_with_stdin(command: &mut Command, input: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap()
}

const REPORT: [&str; 10] = [
    "--report-id",
    "R0001",
    "--phone-num",
    PHONE,
    "--id-num",
    ID_NUM,
    "--hospital-id",
    "H0001",
    "--json",
    "--timeout=5",
];

fn studies_args(study_type: &str, data_flag: &str) -> Vec<String> {
    [
        "call",
        "patient-studies",
        "--phone-num",
        PHONE,
        "--id-num",
        ID_NUM,
        "--hospital-id",
        "H0001",
        "--union-id",
        "U0001",
        "--study-type",
        study_type,
        "--data-flag",
        data_flag,
        "--usage",
        "doctor-view",
        "--study-date-begin",
        "2025-01-01 00:00:00",
        "--study-date-end",
        "2025-12-31 23:59:59",
    ]
    .map(str::to_owned)
    .to_vec()
}

/// Neither the token nor the demo patient's numbers may appear.
fn assert_clean(text: &str) {
    for secret in [TOKEN, PHONE, ID_NUM] {
        assert!(!text.contains(secret), "leaked a secret: {text}");
    }
}

#[test]
fn patient_studies_as_json_and_as_a_table() {
    let sim = sim();
    let output = run(aimis_at(&sim)
        .args(studies_args("radiology", "this-hospital"))
        .arg("--json"));
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let data: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let ids: Vec<&str> = data
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reportId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["R0007", "R0001"]);
    assert_eq!(data[0]["studyType"], 0);

    // Enum values by number too; the table has one line per field of each result.
    let output = run(aimis_at(&sim).args(studies_args("1", "2")));
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let table = stdout(&output);
    assert!(table.contains("studyType      1 Ophthalmology"), "{table}");
    assert!(table.contains("reportId       R0003"), "{table}");
    assert!(table.trim_end().ends_with("1 result"), "{table}");
}

#[test]
fn patient_consultations_and_report_url() {
    let sim = sim();
    let output = run(aimis_at(&sim).args([
        "call",
        "patient_consultations",
        "--his-id",
        "HIS0001",
        "--phone-num",
        PHONE,
        "--id-num",
        ID_NUM,
        "--hospital-id",
        "H0001",
        "--union-id",
        "U0001",
    ]));
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        stdout(&output).trim(),
        "h5Url  https://h5.aimis-sim.example/consultations/P0001"
    );

    let output = run(aimis_at(&sim)
        .args(["call", "patientReportUrl"])
        .args(REPORT));
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let data: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(
        data,
        json!({
            "h5Url": "https://h5.aimis-sim.example/report/R0001",
            "h5DetailUrl": "https://h5.aimis-sim.example/images/R0001",
            "studyId": "S0001",
        })
    );
}

#[test]
fn credentials_from_flags_a_token_file_and_the_environment() {
    let sim = sim();
    let flags = run(aimis()
        .args([
            "call",
            "patient-report-url",
            "--app-id",
            APP_ID,
            "--token",
            TOKEN,
            "--base-url",
            &sim.base_url(),
        ])
        .args(REPORT));
    assert_eq!(code(&flags), 0, "{}", stderr(&flags));

    let path = std::env::temp_dir().join(format!("aimis-cli-token-{}", std::process::id()));
    std::fs::write(&path, format!("{TOKEN}\n")).unwrap();
    let file = run(aimis()
        .env("AIMIS_APP_ID", APP_ID)
        .args([
            "call",
            "patient-report-url",
            "--token-file",
            path.to_str().unwrap(),
            "--base-url",
            &sim.base_url(),
        ])
        .args(REPORT));
    std::fs::remove_file(&path).unwrap();
    assert_eq!(code(&file), 0, "{}", stderr(&file));

    let env = run(aimis_at(&sim)
        .args(["call", "patient-report-url"])
        .args(REPORT));
    assert_eq!(code(&env), 0, "{}", stderr(&env));
    assert_eq!(stdout(&flags), stdout(&file));
    assert_eq!(stdout(&flags), stdout(&env));
    // A flag wins over the environment.
    let wrong_env = run(aimis_at(&sim)
        .env("AIMIS_TOKEN", "x")
        .args(["call", "patient-report-url", "--token", TOKEN])
        .args(REPORT));
    assert_eq!(code(&wrong_env), 0, "{}", stderr(&wrong_env));
}

#[test]
fn input_from_a_file_or_stdin_with_flags_on_top() {
    let sim = sim();
    let request =
        json!({"reportId": "R0002", "phoneNum": PHONE, "idNum": ID_NUM, "hospitalId": "H0001"});
    let path = std::env::temp_dir().join(format!("aimis-cli-input-{}.json", std::process::id()));
    std::fs::write(&path, request.to_string()).unwrap();
    let output = run(aimis_at(&sim).args([
        "call",
        "patient-report-url",
        "--json",
        "--input",
        path.to_str().unwrap(),
    ]));
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        serde_json::from_str::<Value>(&stdout(&output)).unwrap()["studyId"],
        "S0002"
    );
    let output = run(aimis_at(&sim)
        .args([
            "call",
            "patient-report-url",
            "--json",
            "--report-id",
            "R0003",
            "--input",
        ])
        .arg(&path));
    std::fs::remove_file(&path).unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&stdout(&output)).unwrap()["studyId"],
        "S0003"
    );

    let output = run_with_stdin(
        aimis_at(&sim).args(["call", "patient-report-url", "--json", "--input", "-"]),
        &request.to_string(),
    );
    assert_eq!(code(&output), 0);
    assert_eq!(
        serde_json::from_str::<Value>(&stdout(&output)).unwrap()["studyId"],
        "S0002"
    );
}

#[test]
fn exit_2_for_usage_and_validation() {
    let sim = sim();
    for args in [
        vec![
            "call",
            "patient-report-url",
            "--report-id",
            "R0001",
            "--phone-num",
            PHONE,
            "--id-num",
            ID_NUM,
        ],
        vec!["call", "patient-studies", "--study-type", "xray"],
        vec!["call", "no-such-endpoint"],
        vec!["frobnicate"],
    ] {
        let output = run(aimis_at(&sim).args(&args));
        assert_eq!(code(&output), 2, "{args:?}: {}", stderr(&output));
        assert_clean(&stderr(&output));
    }
    let missing = run(aimis_at(&sim).args([
        "call",
        "patient-report-url",
        "--report-id",
        "R0001",
        "--phone-num",
        PHONE,
        "--id-num",
        ID_NUM,
    ]));
    let message = stderr(&missing);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("`hospitalId` is required"), "{message}");
    let bad_input = run(aimis_at(&sim)
        .args(["call", "patient-report-url", "--input", "-"])
        .stdin(Stdio::null()));
    assert_eq!(code(&bad_input), 2);
    assert!(
        sim.requests().is_empty(),
        "nothing may be sent for a usage error"
    );
}

#[test]
fn exit_3_for_an_api_error_with_code_and_message() {
    let sim = sim();
    let output = run(aimis_at(&sim).args([
        "call",
        "patient-report-url",
        "--report-id",
        "R9999",
        "--phone-num",
        PHONE,
        "--id-num",
        ID_NUM,
        "--hospital-id",
        "H0001",
    ]));
    assert_eq!(code(&output), 3);
    let message = stderr(&output);
    assert!(
        message.contains("10003") && message.contains("no report with this reportId"),
        "{message}"
    );
    assert_clean(&message);
    let wrong_token = run(aimis_at(&sim)
        .env("AIMIS_TOKEN", "fedcba9876543210fedcba9876543210")
        .args(["call", "patient-report-url"])
        .args(REPORT));
    assert_eq!(code(&wrong_token), 3);
    assert!(stderr(&wrong_token).contains("90002"));
    assert!(!stderr(&wrong_token).contains("fedcba"));
}

#[test]
fn exit_4_for_transport_and_http_errors() {
    let sim = sim();
    sim.add_fault("status=503".parse::<Fault>().unwrap())
        .unwrap();
    let output = run(aimis_at(&sim)
        .args(["call", "patient-report-url"])
        .args(REPORT));
    assert_eq!(code(&output), 4);
    assert!(
        stderr(&output).contains("HTTP status 503"),
        "{}",
        stderr(&output)
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let output = run(aimis_at(&sim)
        .env("AIMIS_BASE_URL", format!("http://127.0.0.1:{port}"))
        .args(["call", "patient-report-url"])
        .args(REPORT));
    assert_eq!(code(&output), 4);
    assert_clean(&stderr(&output));
}

#[test]
fn exit_5_for_configuration_and_the_token_is_never_echoed() {
    let sim = sim();
    let odd_token = "s3cret-token-of-odd-length";
    let output = run(aimis_at(&sim)
        .env("AIMIS_TOKEN", odd_token)
        .args(["call", "patient-report-url"])
        .args(REPORT));
    assert_eq!(code(&output), 5);
    let message = stderr(&output);
    assert!(message.contains("32 bytes"), "{message}");
    assert!(!message.contains(odd_token) && !stdout(&output).contains(odd_token));
    let no_app = run(aimis_at(&sim)
        .env_remove("AIMIS_APP_ID")
        .args(["call", "patient-report-url"])
        .args(REPORT));
    assert_eq!(code(&no_app), 5);
    assert!(
        stderr(&no_app).contains("AIMIS_APP_ID"),
        "{}",
        stderr(&no_app)
    );
    let no_token = run(aimis_at(&sim)
        .env_remove("AIMIS_TOKEN")
        .args(["call", "patient-report-url"])
        .args(REPORT));
    assert_eq!(code(&no_token), 5);
    let missing_file = run(aimis_at(&sim)
        .args([
            "call",
            "patient-report-url",
            "--token-file",
            "/nonexistent/aimis-token",
        ])
        .args(REPORT));
    assert_eq!(code(&missing_file), 5);
    let insecure = run(aimis_at(&sim)
        .env("AIMIS_BASE_URL", "http://pacs.example.com")
        .args(["call", "patient-report-url"])
        .args(REPORT));
    assert_eq!(code(&insecure), 5);
    assert!(sim.requests().is_empty());
}

#[test]
fn https_with_a_ca_file() {
    let sim = Simulator::builder(Credentials::new(APP_ID, TOKEN).unwrap())
        .tls(true)
        .spawn("127.0.0.1:0")
        .unwrap();
    let path = std::env::temp_dir().join(format!("aimis-cli-ca-{}.pem", std::process::id()));
    std::fs::write(&path, sim.ca_pem().unwrap()).unwrap();
    let output = run(aimis_at(&sim)
        .args(["call", "patient-report-url", "--ca-file"])
        .arg(&path)
        .args(REPORT));
    std::fs::remove_file(&path).unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
}

#[test]
fn crypto_known_answers() {
    let encrypt = run(aimis().args(["crypto", "encrypt", "--token", TOKEN, "hello"]));
    assert_eq!(
        (code(&encrypt), stdout(&encrypt).as_str()),
        (0, "a59c096412eecb79830021104f861307\n")
    );
    let decrypt = run(aimis().env("AIMIS_TOKEN", TOKEN).args([
        "crypto",
        "decrypt",
        "A59C096412EECB79830021104F861307",
    ]));
    assert_eq!((code(&decrypt), stdout(&decrypt).as_str()), (0, "hello\n"));
    let sign = run(aimis().args([
        "crypto",
        "sign",
        "--app-id",
        APP_ID,
        "--token",
        TOKEN,
        "--timestamp",
        "1700000000000",
    ]));
    assert_eq!(
        stdout(&sign).trim(),
        aimis::sign(APP_ID, TOKEN, "1700000000000").unwrap()
    );
    let bad = run(aimis().args(["crypto", "decrypt", "--token", TOKEN, "zz"]));
    assert_eq!(code(&bad), 2);
    let short = run(aimis().args(["crypto", "encrypt", "--token", "short", "hello"]));
    assert_eq!(code(&short), 5);
    let from_stdin = run_with_stdin(
        aimis().args(["crypto", "encrypt", "--token", TOKEN]),
        "hello\n",
    );
    assert_eq!(stdout(&from_stdin), "a59c096412eecb79830021104f861307\n");
}

#[test]
fn sim_subcommand_announces_its_address_first() {
    let mut child = aimis()
        .args([
            "sim",
            "--listen",
            "127.0.0.1:0",
            "--app-id",
            APP_ID,
            "--token",
            TOKEN,
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = lines.next().unwrap().unwrap();
    let admin = lines.next().unwrap().unwrap();
    let admin_token = admin
        .strip_prefix("aimis sim admin token: ")
        .unwrap_or_else(|| panic!("{admin}"));
    assert!(
        admin_token.len() == 32 && admin_token.bytes().all(|b| b.is_ascii_alphanumeric()),
        "{admin}"
    );
    let url = line
        .trim()
        .strip_prefix("aimis sim listening on ")
        .unwrap_or_else(|| panic!("{line}"))
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let output = run(aimis()
        .env("AIMIS_APP_ID", APP_ID)
        .env("AIMIS_TOKEN", TOKEN)
        .env("AIMIS_BASE_URL", &url)
        .args(["call", "patient-report-url"])
        .args(REPORT));
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
}

#[test]
fn sim_refuses_a_non_loopback_address_without_an_admin_token() {
    let output = run(aimis().args(["sim", "--listen", "0.0.0.0:0"]));
    assert_eq!(code(&output), 5, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("--admin-token"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn demo_runs_offline_and_masks_patient_data() {
    let output = run(aimis().arg("demo"));
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = stdout(&output);
    assert_clean(&text);
    assert!(text.contains("138****8000"), "{text}");
    for expected in [
        "1. patientStudies",
        "2. patientConsultations",
        "3. patientReportUrl",
        "status ReportAndImagesReady",
        "{code: 0, message: \"success\"}: accepted",
        "5. The platform calls an inbox instead",
        "the HIS pulls it (`aimis inbox next`): id 1, study S0006",
        "1 received, 1 delivered, 0 pending",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
}

#[test]
fn help_and_listing_snapshots() {
    let help = |args: &[&str]| {
        let output = run(aimis().args(args));
        assert_eq!(code(&output), 0, "{args:?}: {}", stderr(&output));
        stdout(&output)
    };
    insta::assert_snapshot!("help", help(&["--help"]));
    insta::assert_snapshot!("call_help", help(&["call", "--help"]));
    insta::assert_snapshot!(
        "call_patient_studies_help",
        help(&["call", "patient-studies", "--help"])
    );
    insta::assert_snapshot!("inbox_serve_help", help(&["inbox", "serve", "--help"]));
    insta::assert_snapshot!("batch_help", help(&["batch", "--help"]));
    insta::assert_snapshot!("sim_callback_help", help(&["sim", "callback", "--help"]));
    insta::assert_snapshot!("endpoints", help(&["endpoints"]));
    insta::assert_snapshot!("endpoints_json", help(&["endpoints", "--json"]));
}

#[test]
fn errors_of_every_endpoint_hide_patient_data_and_the_token() {
    let canaries = [
        "13911112222",
        "11010519491231002X",
        "Canary张三丰",
        "CANARYHIS77",
        TOKEN,
    ];
    let sim = sim();
    for endpoint in aimis::SERVICE.endpoints {
        let mut request = serde_json::Map::new();
        for field in endpoint.request {
            let value = match (field.name, &field.ty) {
                ("phoneNum", _) => json!(canaries[0]),
                ("idNum", _) => json!(canaries[1]),
                ("patientName", _) => json!(canaries[2]),
                ("hisId", _) => json!(canaries[3]),
                (_, aimis::registry::TypeRef::DateTime) => json!("2025-01-01 00:00:00"),
                (_, aimis::registry::TypeRef::Enum(def)) => json!(def.values[0].value),
                _ => json!("X0001"),
            };
            request.insert(field.name.into(), value);
        }
        let mut invalid = request.clone();
        let first_string = endpoint.request.iter().find(|f| f.required).unwrap();
        invalid.insert(first_string.name.into(), json!([canaries[0], canaries[2]]));
        // The API answers NoData for an unknown patient; then each fault in turn.
        let cases = [
            (None, Value::Object(request.clone()), 3),
            (Some("status=503"), Value::Object(request.clone()), 4),
            (Some("html=200"), Value::Object(request.clone()), 4),
            (Some("reset"), Value::Object(request.clone()), 4),
            (None, Value::Object(invalid), 2),
        ];
        for (fault, input, exit) in cases {
            sim.clear_faults();
            if let Some(fault) = fault {
                sim.add_fault(fault.parse::<Fault>().unwrap()).unwrap();
            }
            let output = run_with_stdin(
                aimis_at(&sim).args(["call", endpoint.name, "--input", "-"]),
                &input.to_string(),
            );
            let what = format!("{} {fault:?}", endpoint.name);
            assert_eq!(code(&output), exit, "{what}: {}", stderr(&output));
            let text = format!("{}{}", stdout(&output), stderr(&output));
            for canary in canaries {
                assert!(!text.contains(canary), "{what} shows {canary}: {text}");
            }
        }
    }
    sim.clear_faults();
}

#[test]
fn global_options_go_before_or_after_the_subcommand() {
    let sim = sim();
    let token_file = std::env::temp_dir().join(format!("aimis-cli-token-{}", std::process::id()));
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    let token_file = token_file.to_str().unwrap().to_owned();
    let base = sim.base_url();
    let globals = [
        "--app-id",
        APP_ID,
        "--token-file",
        &token_file,
        "--base-url",
        &base,
        "--retries",
        "0",
    ];
    let mut before = aimis();
    before
        .args(globals)
        .args(["call", "patient-report-url"])
        .args(REPORT);
    let mut middle = aimis();
    middle
        .args(["call"])
        .args(globals)
        .arg("patient-report-url")
        .args(REPORT);
    let mut after = aimis();
    after
        .args(["call", "patient-report-url"])
        .args(REPORT)
        .args(globals);
    for mut command in [before, middle, after] {
        let output = run(&mut command);
        assert_eq!(code(&output), 0, "{command:?}: {}", stderr(&output));
    }
    let endpoints = run(aimis().args(["--base-url", &base, "endpoints"]));
    assert_eq!(code(&endpoints), 0, "{}", stderr(&endpoints));
    std::fs::remove_file(&token_file).unwrap();
}

#[test]
fn client_options_reach_the_client() {
    let sim = sim();
    sim.add_fault("status=503".parse::<Fault>().unwrap())
        .unwrap();
    let retries = |n: &str| {
        sim.clear_requests();
        let output = run(aimis_at(&sim)
            .args(["--retries", n, "call", "patient-report-url"])
            .args(REPORT));
        assert_eq!(code(&output), 4, "{}", stderr(&output));
        sim.requests().len()
    };
    assert_eq!(retries("0"), 1);
    assert_eq!(retries("1"), 2);
    sim.clear_faults();
    // A proxy where nothing listens: the call fails there, and never reaches the sim.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    sim.clear_requests();
    let proxied = run(aimis_at(&sim)
        .env("AIMIS_PROXY", format!("http://{closed}"))
        .args(["--retries", "0", "call", "patient-report-url"])
        .args(REPORT));
    assert_eq!(code(&proxied), 4, "{}", stderr(&proxied));
    assert!(sim.requests().is_empty());
    for (flag, value, rule) in [
        ("--timeout", "0", "timeout must be more than zero"),
        ("--timeout", "7200", "timeout must be at most 3600 seconds"),
        (
            "--connect-timeout",
            "-1",
            "--connect-timeout must be a number of seconds",
        ),
        ("--retries", "11", "retries must be at most 10"),
        (
            "--proxy",
            "http://user:s3cret@[::1",
            "proxy is not a valid proxy URL",
        ),
    ] {
        // After REPORT, whose --timeout=5 it must override.
        let output = run(aimis_at(&sim)
            .args(["call", "patient-report-url"])
            .args(REPORT)
            .arg(format!("{flag}={value}")));
        assert_eq!(code(&output), 5, "{flag} {value}: {}", stderr(&output));
        assert!(
            stderr(&output).contains(rule),
            "{flag} {value}: {}",
            stderr(&output)
        );
        assert!(!stderr(&output).contains("s3cret"));
    }
    let missing_ca = run(aimis_at(&sim)
        .env("AIMIS_CA_FILE", "/nonexistent/ca.pem")
        .args(["call", "patient-report-url"])
        .args(REPORT));
    assert_eq!(code(&missing_ca), 5, "{}", stderr(&missing_ca));
    assert!(
        stderr(&missing_ca).contains("cannot read the CA certificate file /nonexistent/ca.pem")
    );
}

#[test]
fn platform_text_cannot_drive_the_terminal_and_json_stays_exact() {
    let forged = "Chest CT\u{1b}[2J\r\nreportId       R9999\u{9b}31m\u{202e}";
    let fixtures = include_str!("../../aimis-sim/fixtures/default.json")
        .replace("\"Chest CT, plain scan\"", &Value::from(forged).to_string());
    let sim = Simulator::builder(Credentials::new(APP_ID, TOKEN).unwrap())
        .fixtures(aimis_sim::Fixtures::from_json(&fixtures).unwrap())
        .spawn("127.0.0.1:0")
        .unwrap();
    let table = run(aimis_at(&sim).args(studies_args("radiology", "this-hospital")));
    assert_eq!(code(&table), 0, "{}", stderr(&table));
    let table = stdout(&table);
    assert!(
        !table.contains(['\u{1b}', '\r', '\u{9b}', '\u{202e}']),
        "{table:?}"
    );
    assert!(
        table.contains(r"Chest CT\u{1b}[2J\u{d}\u{a}reportId       R9999\u{9b}31m\u{202e}"),
        "{table}"
    );
    // No line of its own for the forged report.
    assert!(
        !table
            .lines()
            .any(|line| line.trim_start().starts_with("reportId") && line.contains("R9999")),
        "{table}"
    );

    let json = run(aimis_at(&sim)
        .args(studies_args("radiology", "this-hospital"))
        .arg("--json"));
    let data: Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(data[1]["studyName"], forged);
}

#[test]
fn a_closed_stdout_ends_the_command_quietly() {
    let sim = sim();
    // `aimis call ... | head -c 0`: the reader is gone before the answer is printed.
    let mut child = aimis_at(&sim)
        .args(studies_args("radiology", "all"))
        .arg("--json")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
}

#[test]
fn verbose_prints_each_call_and_retry_on_stderr_and_no_patient_data() {
    let sim = sim();
    sim.add_fault("status=503,times=1".parse::<Fault>().unwrap())
        .unwrap();
    let call = ["call", "patient-report-url"];
    let output = run(aimis_at(&sim).arg("-v").args(call).args(REPORT));
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = stderr(&output);
    for expected in [
        "WARN",
        "retrying",
        "http.response.status_code=503",
        "call answered",
        "endpoint=\"patientReportUrl\"",
        "attempt=2",
    ] {
        assert!(text.contains(expected), "no {expected}: {text}");
    }
    assert_clean(&text);
    assert!(!text.contains("time.busy"), "{text}");

    // -vv adds each span's duration; without -v, nothing.
    let output = run(aimis_at(&sim).args(call).args(REPORT).arg("-vv"));
    let text = stderr(&output);
    assert!(
        text.contains("call answered") && text.contains("time.busy"),
        "{text}"
    );
    assert_clean(&text);
    let output = run(aimis_at(&sim).args(call).args(REPORT));
    assert_eq!(stderr(&output), "");
}

/// `aimis sim callback`: one callback, signed with the command line's credentials, that a
/// partner verifying with the same credentials accepts; its exit codes.
#[test]
fn sim_callback_sends_one_verified_status_callback() {
    use aimis_sim::receiver::CallbackReceiver;

    let receiver = CallbackReceiver::start(Credentials::new(APP_ID, TOKEN).unwrap()).unwrap();
    let sent = run(aimis()
        .args(["sim", "callback", "--to", &receiver.url()])
        .args(["--study", "S0001", "--status", "ReportReady"])
        .args(["--app-id", APP_ID, "--token", TOKEN]));
    assert_eq!(code(&sent), 0, "{}", stderr(&sent));
    let delivery: Value = serde_json::from_str(stdout(&sent).trim()).unwrap();
    assert_eq!(delivery["delivered"], json!(true));
    assert_eq!(delivery["status"], json!(1));
    let received = receiver.received();
    assert_eq!(received.len(), 1);
    let callback = received[0]
        .outcome
        .as_ref()
        .expect("the partner verified it");
    assert_eq!(callback["studyId"], json!("S0001"));
    assert_eq!(callback["status"], json!(1));

    // Refused every time (here: signed with another token) is a transport failure, 4.
    let refused = run(aimis()
        .args(["sim", "callback", "--to", &receiver.url()])
        .args([
            "--study",
            "S0001",
            "--status",
            "3",
            "--callback-retries",
            "0",
        ])
        .args([
            "--app-id",
            APP_ID,
            "--token",
            "fedcba9876543210fedcba9876543210",
        ]));
    assert_eq!(code(&refused), 4, "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("did not acknowledge"),
        "{}",
        stderr(&refused)
    );

    let unknown = run(aimis().args([
        "sim",
        "callback",
        "--to",
        &receiver.url(),
        "--study",
        "S9999",
        "--status",
        "1",
    ]));
    assert_eq!(code(&unknown), 2);
    assert!(stderr(&unknown).contains("--study"), "{}", stderr(&unknown));
    let bad_status = run(aimis().args([
        "sim",
        "callback",
        "--to",
        &receiver.url(),
        "--study",
        "S0001",
        "--status",
        "9",
    ]));
    assert_eq!(code(&bad_status), 2);
    assert!(
        stderr(&bad_status).contains("--status"),
        "{}",
        stderr(&bad_status)
    );
}
