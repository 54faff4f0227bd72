//! `aimis demo`: the whole integration on loopback, no network and no credentials: a
//! local platform, the three queries of a demo patient, a status callback verified on
//! the partner's side, and one received by an inbox and pulled by the HIS.

use std::time::Duration;

use aimis::message::Request;
use aimis::{
    Client, Credentials, DataFlag, PatientConsultationsRequest, PatientReportUrlRequest,
    PatientStudiesRequest, PreparedRequest, SERVICE, StudyStatus, StudyType, Usage,
};
use aimis_inbox::{Inbox, Receiver, ServeOptions, Server};
use aimis_sim::receiver::CallbackReceiver;
use aimis_sim::{CallbackRetry, Simulator};
use clap::{ArgMatches, Command};
use serde_json::Value;

use crate::fail::Failure;
use crate::out::outln;
use crate::sim::{DEMO_APP_ID, DEMO_TOKEN};

const PHONE: &str = "13800138000";
const ID_NUM: &str = "110101199003074518";
/// The demo patient's brain MRI, whose report and images "arrive" during the demo.
const STUDY_ID: &str = "S0007";
/// The study whose callback goes to the inbox.
const INBOX_STUDY_ID: &str = "S0006";

pub fn command() -> Command {
    Command::new("demo").about(
        "Run the whole integration on loopback: local platform, three queries, a verified callback, an inbox",
    )
}

pub fn run(_: &ArgMatches) -> Result<(), Failure> {
    let credentials = Credentials::new(DEMO_APP_ID, DEMO_TOKEN)?;
    let local = |what: &str, e: std::io::Error| {
        Failure::transport(format!("cannot start the {what} on loopback: {e}"))
    };
    let receiver =
        CallbackReceiver::start(credentials.clone()).map_err(|e| local("callback receiver", e))?;
    let sim = Simulator::builder(credentials.clone())
        .callback_url(receiver.url())
        .callback_retry(CallbackRetry {
            max_retries: 2,
            initial_backoff: Duration::from_millis(100),
            ..CallbackRetry::default()
        })
        .spawn("127.0.0.1:0")
        .map_err(|e| local("simulator", e))?;
    let client = Client::builder(credentials.clone())
        .base_url(sim.base_url())
        .build()?;

    outln!(
        "aimis demo: a local AIMIS platform at {} (app `{DEMO_APP_ID}`), no network needed.",
        sim.base_url()
    );
    outln!(
        "Demo patient: phone {}, ID number {} (masked here, encrypted on the wire).",
        mask(PHONE),
        mask(ID_NUM)
    );

    let studies = PatientStudiesRequest {
        phone_num: PHONE.into(),
        id_num: ID_NUM.into(),
        hospital_id: "H0001".into(),
        union_id: "U0001".into(),
        study_type: StudyType::Radiology,
        data_flag: DataFlag::All,
        usage: Usage::DoctorView,
        study_date_begin: "2025-01-01 00:00:00".into(),
        study_date_end: "2025-12-31 23:59:59".into(),
        ..Default::default()
    };
    step(
        1,
        &client,
        &studies,
        "radiology studies at any hospital, all of 2025",
    )?;
    let found = client.patient_studies(&studies)?;
    for study in &found {
        outln!(
            "     <- {}  {}  {}  report {}",
            study.study_date.as_deref().unwrap_or("?"),
            study.study_type.map(|t| t.to_string()).unwrap_or_default(),
            study.study_name.as_deref().unwrap_or("?"),
            study.report_id.as_deref().unwrap_or("?"),
        );
    }
    outln!("     <- {} studies", found.len());

    let consultations = PatientConsultationsRequest {
        his_id: "HIS0001".into(),
        phone_num: PHONE.into(),
        id_num: ID_NUM.into(),
        hospital_id: "H0001".into(),
        union_id: "U0001".into(),
        ..Default::default()
    };
    step(
        2,
        &client,
        &consultations,
        "the consultation record page of HIS0001",
    )?;
    let list = client.patient_consultations(&consultations)?;
    outln!(
        "     <- h5Url {}",
        list.h5_url.as_ref().map(aimis::Pii::expose).unwrap_or("?")
    );

    let report = PatientReportUrlRequest {
        report_id: "R0001".into(),
        phone_num: PHONE.into(),
        id_num: ID_NUM.into(),
        hospital_id: "H0001".into(),
    };
    step(3, &client, &report, "the report and image pages of R0001")?;
    let urls = client.patient_report_url(&report)?;
    outln!(
        "     <- studyId {}",
        urls.study_id.as_deref().unwrap_or("?")
    );
    outln!(
        "     <- h5Url {}",
        urls.h5_url.as_ref().map(aimis::Pii::expose).unwrap_or("?")
    );
    outln!(
        "     <- h5DetailUrl {}",
        urls.h5_detail_url
            .as_ref()
            .map(aimis::Pii::expose)
            .unwrap_or("?")
    );

    outln!(
        "4. The report and images of study {STUDY_ID} arrive; the platform calls the partner back."
    );
    // The partner is busy the first time, so the platform's retry shows.
    receiver.refuse_first(1);
    let status = StudyStatus::ReportAndImagesReady;
    let delivery = sim.advance_study(STUDY_ID, status).map_err(|e| {
        Failure::transport(format!("the simulator could not send the callback: {e}"))
    })?;
    let received = receiver.received();
    let Some(last) = received.last() else {
        return Err(Failure::transport(
            "the callback never reached the receiver",
        ));
    };
    let header = |name: &str| {
        last.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map_or("?", |(_, v)| v.as_str())
    };
    let auth = &SERVICE.auth;
    outln!(
        "     -> POST {}  {}={}  {}={}  {}={}…",
        receiver.url(),
        auth.app_id_header,
        header(auth.app_id_header),
        auth.timestamp_header,
        header(auth.timestamp_header),
        auth.signature_header,
        short(header(auth.signature_header)),
    );
    let callback = last
        .outcome
        .as_ref()
        .map_err(|why| Failure::transport(format!("the callback failed verification: {why}")))?;
    let text = |name: &str| {
        callback
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_owned()
    };
    let status_name = callback
        .get("status")
        .and_then(Value::as_i64)
        .and_then(|v| StudyStatus::DEF.by_value(v))
        .map_or("?", |v| v.name);
    outln!(
        "     verified: appId, timestamp within 5 minutes, signature; phoneNum and idNum decrypted"
    );
    outln!(
        "     status {status_name}, study {} ({}), report {}, patient {} phone {} ID {}",
        text("studyId"),
        text("studyName"),
        text("reportId"),
        text("patientId"),
        mask(&text("phoneNum")),
        mask(&text("idNum")),
    );
    for (n, attempt) in delivery.attempts.iter().enumerate() {
        let code = attempt.code.map_or("none".to_owned(), |c| c.to_string());
        let message = attempt.message.as_deref().unwrap_or_default();
        let verdict = if attempt.error.is_none() {
            "accepted"
        } else {
            "refused, retried"
        };
        outln!(
            "     <- attempt {}: partner answered {{code: {code}, message: {message:?}}}: {verdict}",
            n + 1
        );
    }
    if !delivery.delivered {
        return Err(Failure::transport(
            "the partner did not accept the callback",
        ));
    }
    inbox_step(&sim, &credentials)?;
    outln!(
        "Done: 3 queries and 2 callbacks, signed and encrypted as AIMIS does. Next: `aimis sim`, `aimis inbox serve`, `aimis call --help`."
    );
    Ok(())
}

/// 5: a callback into an inbox (verified, committed, then acknowledged) and the HIS
/// pulling it from the store.
fn inbox_step(sim: &Simulator, credentials: &Credentials) -> Result<(), Failure> {
    let store_path =
        std::env::temp_dir().join(format!("aimis-demo-inbox-{}.db", std::process::id()));
    let store = format!("sqlite:{}", store_path.display());
    let failed =
        |what: &str, e: aimis_inbox::InboxError| Failure::transport(format!("{what}: {e}"));
    let open = || Inbox::open(&store, credentials.clone()).map_err(|e| failed("the inbox", e));
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|e| Failure::transport(format!("cannot start the inbox on loopback: {e}")))?;
    // The demo narrates on stdout; it installs no log subscriber, so the receiver's own
    // log events go nowhere.
    let receiver = Receiver::new(open()?, credentials.clone());
    let server = Server::start(receiver, listener, ServeOptions::default())
        .map_err(|e| failed("the inbox", e))?;
    outln!(
        "5. The platform calls an inbox instead (`aimis inbox serve`, SQLite at {}).",
        store_path.display()
    );
    sim.set_callback_url(Some(server.url()));
    let delivery = sim
        .advance_study(INBOX_STUDY_ID, StudyStatus::ReportReady)
        .map_err(|e| {
            Failure::transport(format!("the simulator could not send the callback: {e}"))
        })?;
    outln!(
        "     -> POST {}: verified, stored once, committed, then acknowledged: {}",
        server.url(),
        if delivery.delivered {
            "accepted"
        } else {
            "refused"
        }
    );
    let inbox = open()?;
    let item = inbox
        .next(Duration::from_secs(60))
        .map_err(|e| failed("pulling from the inbox", e))?
        .ok_or_else(|| Failure::transport("the inbox holds no callback"))?;
    let text = |name: &str| {
        item.callback
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_owned()
    };
    outln!(
        "     the HIS pulls it (`aimis inbox next`): id {}, study {}, report {}, phone {} (decrypted only now)",
        item.id,
        text("studyId"),
        text("reportId"),
        mask(&text("phoneNum")),
    );
    inbox.ack(item.id).map_err(|e| failed("acknowledging", e))?;
    let stats = inbox.stats().map_err(|e| failed("the inbox", e))?;
    outln!(
        "     and acknowledges it (`aimis inbox ack`): {} received, {} delivered, {} pending",
        stats.received,
        stats.delivered,
        stats.pending
    );
    server.shutdown();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", store_path.display()));
    }
    Ok(())
}

/// Prints what a request is and how it goes on the wire.
fn step<R: Request>(n: u32, client: &Client, request: &R, what: &str) -> Result<(), Failure> {
    let prepared: PreparedRequest = client.prepare(request)?;
    let path = prepared
        .url()
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or("/");
    outln!("{n}. {}: {what}", R::ENDPOINT.name);
    let body: Value = serde_json::from_slice(prepared.body()).unwrap_or(Value::Null);
    let encrypted: Vec<String> = R::ENDPOINT
        .request
        .iter()
        .filter(|f| f.encrypted)
        .filter_map(|f| {
            body.get(f.name)
                .and_then(Value::as_str)
                .map(|c| format!("{}={}…", f.name, short(c)))
        })
        .collect();
    outln!(
        "     -> {} {path}  signed; {}",
        prepared.method(),
        encrypted.join(" ")
    );
    Ok(())
}

/// The start of a long hex value.
fn short(text: &str) -> &str {
    &text[..text.len().min(16)]
}

/// `13800138000` -> `138****8000`: enough to recognise, not enough to use.
pub fn mask(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let (head, tail) = (3, 4);
    let mut out: String = chars[..head].iter().collect();
    out.push_str(&"*".repeat(chars.len() - head - tail));
    out.extend(&chars[chars.len() - tail..]);
    out
}
