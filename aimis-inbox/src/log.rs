//! The inbox's log events, as `tracing` events (target `aimis_inbox`): the program
//! chooses where they go and how (the CLI: JSON lines on stderr through a lossy
//! background writer, so logging never touches an answer). Fields are ids, counts,
//! reasons and statuses, never patient data.

use serde_json::Value;

use crate::store::Refusals;

/// One event with the fields the caller names (the pusher's and the confirmer's), the
/// fields as one JSON object in `details`: `tracing` fields are named in the source.
pub(crate) fn event(level: &str, event: &str, fields: &[(&str, Value)]) {
    let details = Value::Object(
        fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    );
    match level {
        "error" => tracing::error!(event, %details),
        "warn" => tracing::warn!(event, %details),
        _ => tracing::info!(event, %details),
    }
}

/// One line for every refusal written in one batch, however many: a flood of junk
/// costs no line each.
pub(crate) fn refusals(refusals: &Refusals) {
    let count = |kind: &str| refusals.header_sets.get(kind).copied().unwrap_or(0);
    tracing::warn!(
        event = "refused",
        refused = refusals.by_reason.values().sum::<u64>(),
        by_reason = %serde_json::json!(refusals.by_reason),
        replays_refused = count("replays_refused"),
        same_millisecond = count("same_millisecond"),
    );
}
