//! `cargo run -p xtask -- generate` regenerates every committed artefact derived from the
//! spec and the code; `cargo run -p xtask -- check` fails, naming the file, when one is
//! stale. The test command runs the check.

mod bindings;
mod header;
mod python;
mod readme;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// One generator: the workspace root in, `(path relative to the root, contents)` out.
type Generator = fn(&Path) -> Result<Vec<(PathBuf, String)>, String>;

/// Every artefact generator, by name.
const GENERATORS: &[(&str, Generator)] = &[
    ("C header", header::generate),
    ("C#, Java and Pascal bindings", bindings::generate),
    ("Python module", python::generate),
    ("C library README's result codes", readme::generate),
];

fn main() -> ExitCode {
    let mode = std::env::args().nth(1).unwrap_or_default();
    if mode != "generate" && mode != "check" {
        eprintln!("usage: cargo run -p xtask -- generate|check");
        return ExitCode::from(2);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace root");
    let mut stale = 0;
    for (name, generate) in GENERATORS {
        let files = match generate(root) {
            Ok(files) => files,
            Err(e) => {
                eprintln!("{name}: {e}");
                return ExitCode::FAILURE;
            }
        };
        for (relative, contents) in files {
            let path = root.join(&relative);
            let current = std::fs::read_to_string(&path).unwrap_or_default();
            if current == contents {
                continue;
            }
            if mode == "check" {
                eprintln!(
                    "{} is stale: run `cargo run -p xtask -- generate` and commit it",
                    relative.display()
                );
                stale += 1;
            } else if let Err(e) = std::fs::write(&path, contents) {
                eprintln!("writing {}: {e}", relative.display());
                return ExitCode::FAILURE;
            } else {
                println!("wrote {}", relative.display());
            }
        }
    }
    if stale > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
