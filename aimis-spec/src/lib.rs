//! The aimis API spec (`spec/aimis.toml`): parse, validate, resolve.
//!
//! [`parse`] turns the TOML text into a [`Spec`], the resolved form that the Rust
//! generator, the stub generator and the tools read. Every mistake in the file is
//! reported at once, each with its line and column, the endpoint and field it concerns,
//! and what was expected.

mod diagnostic;
mod ir;
mod model;
pub use aimis_names as names;
mod resolve;

pub use diagnostic::{Diagnostic, Diagnostics};
pub use ir::*;

/// Parses and validates a spec. `file` names the source in diagnostics.
pub fn parse(source: &str, file: &str) -> Result<Spec, Diagnostics> {
    let raw: model::RawSpec = toml::from_str(source).map_err(|error| {
        let at = error.span().map_or(0, |span| span.start);
        Diagnostics::single(Diagnostic::new(
            file,
            source,
            at,
            None,
            error.message().trim(),
        ))
    })?;
    resolve::resolve(raw, source, file)
}
