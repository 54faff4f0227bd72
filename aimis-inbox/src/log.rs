//! Structured logs: one JSON object a line on stderr. Callers pass only ids, counts,
//! reasons and statuses, never patient data.

use serde_json::{Map, Value};

pub(crate) fn event(level: &str, event: &str, fields: &[(&str, Value)]) {
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
