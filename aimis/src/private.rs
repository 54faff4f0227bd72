//! What generated code calls. Not public API: it changes without notice.

pub use serde;
pub use serde_json;

pub use crate::callback::verify_typed;
pub use crate::client::{ClientBuilder, Engine, FromEngine, call_typed};
pub use crate::validate::{datetime, known_enum, not_before, required_text};
pub use crate::wire_json::WireObject;

/// Parses an enum value from its name or number, for generated `FromStr` impls.
pub fn parse_enum(def: &'static crate::registry::EnumDef, text: &str) -> Result<i64, crate::Error> {
    def.parse(text)
        .map(|v| v.value)
        .ok_or_else(|| crate::Error::Validation {
            field: def.name.to_owned(),
            rule: format!("must be one of {}", def.choices()),
        })
}
