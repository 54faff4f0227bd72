//! UI tests of `api!`: what a user sees when the spec is right, wrong or missing.
//!
//! trybuild compiles each file of `tests/ui/` as a binary of a crate it generates under
//! `<target>/tests/trybuild/aimis-macros/`, so that is the manifest directory the macro
//! resolves paths against there. The UI files name their specs as this crate would,
//! `tests/ui/specs/...`, and the test mirrors those specs into trybuild's crate first; the
//! macro's rule (relative to the invoking crate's manifest) is the same in both places.
//! Should trybuild move its crate, the tests fail with "cannot read spec".

use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn ui() {
    let metadata = cargo_metadata();
    let directory = |key: &str| {
        PathBuf::from(
            metadata[key]
                .as_str()
                .unwrap_or_else(|| panic!("cargo metadata has no {key}")),
        )
    };
    let target = directory("target_directory");
    let workspace = directory("workspace_root");
    mirror_specs(&target.join("tests/trybuild").join(env!("CARGO_PKG_NAME")));

    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/small_api.rs");
    cases.compile_fail("tests/ui/several_mistakes.rs");
    cases.compile_fail("tests/ui/not_a_string.rs");
    cases.compile_fail("tests/ui/registry_is_read_only.rs");
    // The error names the absolute path the macro tried; trybuild shortens it to
    // `$WORKSPACE/target/...` only when the target directory is the workspace's own.
    if target == workspace.join("target") {
        cases.compile_fail("tests/ui/missing_spec.rs");
    } else {
        eprintln!(
            "skipping tests/ui/missing_spec.rs: target directory {} is not <workspace>/target",
            target.display()
        );
    }
}

/// The target directory and workspace root, as trybuild finds them.
fn cargo_metadata() -> serde_json::Value {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON")
}

/// Copies `tests/ui/specs/*.toml` to the same relative place under `crate_dir`.
fn mirror_specs(crate_dir: &Path) {
    let relative = Path::new("tests/ui/specs");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    let destination = crate_dir.join(relative);
    std::fs::create_dir_all(&destination).unwrap();
    for entry in std::fs::read_dir(&source).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            std::fs::copy(&path, destination.join(path.file_name().unwrap())).unwrap();
        }
    }
}
