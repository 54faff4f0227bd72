//! Renders a generator's template (`xtask/templates/*.j2`, minijinja) with the data the
//! generator prepared. The templates hold each language's layout, so the output reads as
//! that language; the Rust side only decides names and types.

use minijinja::{Environment, Value};

/// `source` rendered with `context`. Block tags take their whole line (trim_blocks and
/// lstrip_blocks), so a template's indentation is the output's.
pub fn render(name: &str, source: &str, context: Value) -> String {
    let mut env = Environment::new();
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    env.add_template(name, source)
        .and_then(|_| env.get_template(name)?.render(context))
        .unwrap_or_else(|e| panic!("template {name}: {e:#}"))
}

/// Windows text files (VB6 and PowerBuilder read CRLF only).
pub fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}
