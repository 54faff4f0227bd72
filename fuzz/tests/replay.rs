//! Replays the seed corpus of every fuzz target on stable Rust: each file in
//! `corpus/<target>/` goes through the same function the libFuzzer binary calls, which
//! checks every property. A seed whose name starts with `good` must get through
//! (accepted, decrypted, sent); any other must not.

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

fn replay(target: &str, run: fn(&[u8]) -> bool) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target);
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    let good = files
        .iter()
        .filter(|f| f.file_name().unwrap().to_string_lossy().starts_with("good"))
        .count();
    assert!(
        good >= 1 && files.len() - good >= 5,
        "{target}: too few seeds"
    );
    let mut failures = Vec::new();
    for file in files {
        let data = fs::read(&file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        match catch_unwind(AssertUnwindSafe(|| run(&data))) {
            Ok(through) if through == name.starts_with("good") => {}
            Ok(through) => failures.push(format!("{name}: got through: {through}")),
            Err(panic) => {
                let why = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("a panic");
                failures.push(format!("{name}: {why}"));
            }
        }
    }
    assert!(failures.is_empty(), "{target}:\n{}", failures.join("\n"));
}

#[test]
fn callback_corpus() {
    replay("callback", aimis_fuzz::callback);
}

#[test]
fn decrypt_corpus() {
    replay("decrypt", aimis_fuzz::decrypt);
}

#[test]
fn call_json_corpus() {
    replay("call_json", aimis_fuzz::call_json);
}
