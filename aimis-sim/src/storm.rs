//! Storms: the deliveries an inbox must survive, at once. Each synthetic study sends a
//! report-ready callback and then a both-ready one (the later one first, with
//! `out_of_order`), each delivered `1 + duplicates` times (the same body, fresh
//! headers, as the platform's retries are), from `concurrency` senders that each retry
//! until acknowledged, as the platform does after a refusal or a slow answer.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use aimis::StudyStatus;
use serde::{Deserialize, Serialize};

use crate::callbacks::Sender;
use crate::fixtures::{Patient, StudyRecord};

/// What to send; JSON for `POST /__admin/storm`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Storm {
    /// Synthetic studies, each sending two statuses (1 to 100,000).
    pub studies: u32,
    /// Senders at once (1 to 64).
    pub concurrency: u32,
    /// Extra deliveries of each callback (0 to 5).
    pub duplicates: u32,
    /// Every other study sends its later status first.
    pub out_of_order: bool,
}

impl Default for Storm {
    fn default() -> Self {
        Storm {
            studies: 100,
            concurrency: 8,
            duplicates: 0,
            out_of_order: false,
        }
    }
}

impl Storm {
    pub fn check(&self) -> Result<(), String> {
        if !(1..=100_000).contains(&self.studies) {
            return Err("studies must be 1 to 100000".into());
        }
        if !(1..=64).contains(&self.concurrency) {
            return Err("concurrency must be 1 to 64".into());
        }
        if self.duplicates > 5 {
            return Err("duplicates must be at most 5".into());
        }
        Ok(())
    }
}

/// What became of a storm.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StormReport {
    /// Deliveries made (callbacks x (1 + duplicates)).
    pub deliveries: u64,
    /// Of those, acknowledged by the partner (after retries).
    pub acknowledged: u64,
    /// Posts in all, retries included.
    pub attempts: u64,
    /// The studies' ids are this, `-`, and their number from 0.
    pub study_prefix: String,
    pub elapsed_ms: u64,
}

/// A storm's synthetic studies, made from a template study: each with its own studyId,
/// reportId and links, as the platform holds them (it answers patientReportUrl for
/// them), at their final status.
pub(crate) struct Plan {
    pub prefix: String,
    pub studies: Vec<StudyRecord>,
}

impl Plan {
    pub(crate) fn new(storm: &Storm, template: &StudyRecord) -> Result<Plan, String> {
        storm.check()?;
        let prefix = format!("STORM-{:08x}", fastrand::u32(..));
        let template_report = template.text("reportId").to_owned();
        let studies = (0..storm.studies)
            .map(|n| {
                let study_id = format!("{prefix}-{n}");
                let report_id = format!("R-{study_id}");
                let mut study = template.clone();
                // The template's links name its report: these name this one.
                for link in ["h5Url", "h5DetailUrl", "uniPath"] {
                    let own = study.text(link).replace(&template_report, &report_id);
                    if study.fields.contains_key(link) {
                        study.fields.insert(link.into(), own.into());
                    }
                }
                study.fields.insert("studyId".into(), study_id.into());
                study.fields.insert("reportId".into(), report_id.into());
                study.set_status(StudyStatus::ReportAndImagesReady);
                study
            })
            .collect();
        Ok(Plan { prefix, studies })
    }
}

/// Sends a storm of `plan`'s studies to `url`, as the patient; blocking.
pub(crate) fn run(
    sender: &Sender,
    url: &str,
    storm: &Storm,
    patient: &Patient,
    plan: &Plan,
) -> Result<StormReport, String> {
    let started = Instant::now();
    let mut queue = VecDeque::new();
    for (n, study) in plan.studies.iter().enumerate() {
        let study_id = study.text("studyId").to_owned();
        let mut statuses = [StudyStatus::ReportReady, StudyStatus::ReportAndImagesReady];
        if storm.out_of_order && n % 2 == 1 {
            statuses.reverse();
        }
        let mut bodies = Vec::new();
        for status in statuses {
            let mut study = study.clone();
            study.set_status(status);
            bodies.push((status.code(), sender.body(patient, &study)?));
        }
        queue.push_back((study_id, bodies));
    }
    let queue = Mutex::new(queue);
    let (acknowledged, attempts) = (AtomicU64::new(0), AtomicU64::new(0));
    std::thread::scope(|scope| {
        for _ in 0..storm.concurrency {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().unwrap_or_else(|p| p.into_inner()).pop_front();
                    let Some((study_id, bodies)) = next else {
                        break;
                    };
                    // A study's callbacks in order, each (and its duplicates) until acknowledged.
                    for (status, body) in &bodies {
                        for _ in 0..=storm.duplicates {
                            let delivery = sender.deliver(url, &study_id, *status, body);
                            attempts.fetch_add(delivery.attempts.len() as u64, Ordering::Relaxed);
                            if delivery.delivered {
                                acknowledged.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    }
                }
            });
        }
    });
    Ok(StormReport {
        deliveries: u64::from(storm.studies) * 2 * u64::from(storm.duplicates + 1),
        acknowledged: acknowledged.into_inner(),
        attempts: attempts.into_inner(),
        study_prefix: plan.prefix.clone(),
        elapsed_ms: started.elapsed().as_millis() as u64,
    })
}
