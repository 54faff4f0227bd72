//! Structured logs: one JSON object a line on stderr. Callers pass only ids, counts,
//! reasons and statuses, never patient data.

use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{Map, Value};

static ENABLED: AtomicBool = AtomicBool::new(true);

/// Turns the structured logs on stderr on or off for the whole process (on by default;
/// a program embedding the receiver may have logs of its own).
pub fn set_logging(enabled: bool) {
    ENABLED.store(enabled, Ordering::Relaxed);
}

pub(crate) fn event(level: &str, event: &str, fields: &[(&str, Value)]) {
    if !ENABLED.load(Ordering::Relaxed) {
        return;
    }
    let mut line = Map::new();
    line.insert(
        "ts".into(),
        crate::time::rfc3339(aimis::Clock::now_millis(&aimis::SystemClock)).into(),
    );
    line.insert("level".into(), level.into());
    line.insert("event".into(), event.into());
    for (k, v) in fields {
        line.insert((*k).into(), v.clone());
    }
    eprintln!("{}", Value::Object(line));
}
