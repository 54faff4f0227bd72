//! The generator's output, pinned: the real spec and the fixtures go in, pretty-printed
//! Rust comes out, without the compiler. A change to the generated API shows up here as a
//! snapshot diff, to be read like any other code review.

use std::path::Path;

/// Reads a spec relative to the workspace root, labelled as that relative path.
fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Generates the items of the spec at `relative` and pretty-prints them.
fn generated(relative: &str) -> String {
    let tokens = aimis_codegen::expand(&read(relative), relative, None)
        .unwrap_or_else(|e| panic!("{relative} has mistakes:\n{e}"));
    let file = syn::parse2::<syn::File>(tokens)
        .unwrap_or_else(|e| panic!("{relative}: the generated code does not parse: {e}"));
    prettyplease::unparse(&file)
}

#[test]
fn the_real_spec() {
    insta::assert_snapshot!("aimis", generated("spec/aimis.toml"));
}

#[test]
fn the_flipped_fixture() {
    insta::assert_snapshot!("flipped", generated("spec/fixtures/flipped.toml"));
}

#[test]
fn the_include_path_is_tracked() {
    let tokens = aimis_codegen::expand(
        &read("spec/fixtures/flipped.toml"),
        "spec/fixtures/flipped.toml",
        Some("/somewhere/spec/fixtures/flipped.toml"),
    )
    .unwrap();
    let mut file = syn::parse2::<syn::File>(tokens).unwrap();
    file.items.truncate(1);
    let first = prettyplease::unparse(&file);
    assert_eq!(
        first.trim(),
        r#"const _: &str = include_str!("/somewhere/spec/fixtures/flipped.toml");"#
    );
}

#[test]
fn a_spec_with_mistakes_is_refused_with_every_mistake_in_its_place() {
    let label = "aimis-spec/tests/fixtures/broken.toml";
    let Err(diagnostics) = aimis_codegen::expand(&read(label), label, None) else {
        panic!("{label} was accepted");
    };
    let messages: Vec<String> = diagnostics.0.iter().map(ToString::to_string).collect();
    assert!(messages.len() > 1, "only {messages:?}");
    for message in &messages {
        assert!(
            message.starts_with(&format!("{label}:")),
            "{message:?} does not name the file"
        );
    }
    assert!(messages.iter().any(|m| m.contains(
        "endpoint `getThings`, field `kind`: unknown type `Knd`; expected string, int, datetime"
    )));
    // The messages themselves are pinned by aimis-spec's tests and, as the compiler
    // shows them, by aimis-macros' trybuild tests.
}
