//! Status callbacks: when a study advances, the platform tells the partner, signed and
//! encrypted exactly like its requests, and tries again until the partner says yes.

use std::time::Duration;

use aimis::crypto::{FieldCipher, Signer};
use aimis::message::{Message, from_plain_json};
use aimis::{Clock, Credentials, SERVICE, StudyStatusCallback, SystemClock};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::fixtures::{Patient, StudyRecord};

/// How often a refused or failed callback is sent again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallbackRetry {
    /// Sends after the first one.
    pub max_retries: u32,
    /// The wait before the first retry; it doubles each time.
    pub initial_backoff: Duration,
    /// How long one attempt may take.
    pub timeout: Duration,
}

impl Default for CallbackRetry {
    fn default() -> Self {
        CallbackRetry {
            max_retries: 3,
            initial_backoff: Duration::from_millis(500),
            timeout: Duration::from_secs(5),
        }
    }
}

/// One status callback and what became of it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    pub study_id: String,
    pub status: i64,
    pub url: String,
    /// Whether the partner answered with the success code.
    pub delivered: bool,
    pub attempts: Vec<Attempt>,
}

/// One send of a callback and the partner's answer.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attempt {
    /// The HTTP status, if an answer came.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// The envelope code the partner answered with, if it was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// What went wrong: no connection, no envelope, a refusal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Sends callbacks for one app.
pub(crate) struct Sender {
    app_id: String,
    signer: Signer,
    cipher: FieldCipher,
    retry: CallbackRetry,
    clock: SystemClock,
}

impl std::fmt::Debug for Sender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sender")
            .field("app_id", &self.app_id)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Sender {
    pub fn new(credentials: &Credentials, retry: CallbackRetry) -> Self {
        Sender {
            app_id: credentials.app_id().to_owned(),
            signer: Signer::new(credentials.token(), &SERVICE.auth),
            cipher: FieldCipher::new(credentials.token(), &SERVICE.cipher),
            retry,
            clock: SystemClock,
        }
    }

    /// The callback's wire body for this study of this patient, from the spec's field
    /// list: each field is taken from the study record, else from the patient.
    pub fn body(&self, patient: &Patient, study: &StudyRecord) -> Result<Vec<u8>, String> {
        let mut patient_fields = Map::new();
        patient_fields.insert("patientId".into(), patient.patient_id.clone().into());
        patient_fields.insert("phoneNum".into(), patient.phone_num.clone().into());
        patient_fields.insert("idNum".into(), patient.id_num.clone().into());
        if let Some(name) = &patient.patient_name {
            patient_fields.insert("patientName".into(), name.clone().into());
        }
        let mut plain = Map::new();
        for field in StudyStatusCallback::FIELDS {
            if let Some(value) = study
                .fields
                .get(field.name)
                .or_else(|| patient_fields.get(field.name))
            {
                plain.insert(field.name.into(), value.clone());
            }
        }
        let callback: StudyStatusCallback = from_plain_json(&Value::Object(plain))
            .map_err(|e| format!("the study cannot make a callback: {e}"))?;
        Ok(callback.seal(&self.cipher))
    }

    /// Posts the callback until the partner accepts it or the retries run out.
    /// Blocking: run it off the async workers.
    pub fn deliver(&self, url: &str, study_id: &str, status: i64, body: &[u8]) -> Delivery {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(self.retry.timeout))
            .proxy(None)
            .build()
            .new_agent();
        let mut delivery = Delivery {
            study_id: study_id.to_owned(),
            status,
            url: url.to_owned(),
            delivered: false,
            attempts: Vec::new(),
        };
        let mut backoff = self.retry.initial_backoff;
        for attempt in 0..=self.retry.max_retries {
            if attempt > 0 {
                std::thread::sleep(backoff);
                backoff = backoff.saturating_mul(2);
            }
            let outcome = self.attempt(&agent, url, body);
            let accepted =
                outcome.code == Some(SERVICE.envelope.success) && outcome.error.is_none();
            delivery.attempts.push(outcome);
            if accepted {
                delivery.delivered = true;
                break;
            }
        }
        tracing::info!(
            event = "callback",
            status,
            delivered = delivery.delivered,
            attempts = delivery.attempts.len(),
        );
        delivery
    }

    fn attempt(&self, agent: &ureq::Agent, url: &str, body: &[u8]) -> Attempt {
        let auth = &SERVICE.auth;
        let now = self.clock.now_millis();
        let timestamp = auth.timestamp.written(now).to_string();
        let signature = self.signer.sign(&self.app_id, &timestamp);
        let sent = agent
            .post(url)
            .header("Content-Type", "application/json; charset=utf-8")
            .header(auth.app_id_header, &self.app_id)
            .header(auth.timestamp_header, &timestamp)
            .header(auth.signature_header, &signature)
            .send(body);
        let mut response = match sent {
            Ok(response) => response,
            Err(e) => {
                return Attempt {
                    error: Some(format!("not delivered: {e}")),
                    ..Attempt::default()
                };
            }
        };
        let http_status = response.status().as_u16();
        let answer = response
            .body_mut()
            .with_config()
            .limit(64 * 1024)
            .read_to_vec();
        let mut attempt = Attempt {
            http_status: Some(http_status),
            ..Attempt::default()
        };
        let envelope: Option<Map<String, Value>> =
            answer.ok().and_then(|b| serde_json::from_slice(&b).ok());
        let names = &SERVICE.envelope;
        match envelope {
            Some(envelope) => {
                attempt.code = envelope.get(names.code).and_then(Value::as_i64);
                attempt.message = envelope
                    .get(names.message)
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                if !(200..300).contains(&http_status) {
                    attempt.error = Some(format!("HTTP status {http_status}"));
                } else if attempt.code.is_none() {
                    attempt.error = Some(format!("the answer has no integer `{}`", names.code));
                } else if attempt.code != Some(names.success) {
                    attempt.error = Some("the partner refused the callback".into());
                }
            }
            None => {
                attempt.error = Some(format!(
                    "HTTP status {http_status}, and the answer is not a JSON envelope"
                ))
            }
        }
        attempt
    }
}
