//! What the command prints for people: stdout that a closed pipe ends quietly, and
//! text from the platform or a callback made safe for a terminal.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};

/// `println!` for the command's output. When the reader has gone away
/// (`aimis call ... | head`), the command ends quietly with status 0, as ripgrep and
/// other command-line tools do, instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::out::line(format_args!($($arg)*))
    };
}
pub(crate) use outln;

pub fn line(args: fmt::Arguments<'_>) {
    let mut stdout = io::stdout().lock();
    let written = stdout
        .write_fmt(args)
        .and_then(|()| stdout.write_all(b"\n"))
        .and_then(|()| stdout.flush());
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => {
            eprintln!("aimis: cannot write to stdout: {e}");
            std::process::exit(1);
        }
    }
}

/// `text` with every character that a terminal would act on instead of showing written
/// as an escape (`\u{1b}`): C0 and C1 controls (escape sequences that clear the
/// screen, move the cursor or forge lines), DEL, and the bidirectional overrides that
/// reorder what is shown. For human output only: JSON output stays exact.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts_on_terminal) {
        return Cow::Borrowed(text);
    }
    let mut safe = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if acts_on_terminal(c) {
            safe.extend(c.escape_unicode());
        } else {
            safe.push(c);
        }
    }
    Cow::Owned(safe)
}

fn acts_on_terminal(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn controls_and_bidi_overrides_are_escaped_and_the_rest_kept() {
        assert_eq!(printable("Chest CT 胸部"), "Chest CT 胸部");
        assert_eq!(printable("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(printable("line\r\nforged"), "line\\u{d}\\u{a}forged");
        assert_eq!(printable("\u{9b}31m\u{7f}"), "\\u{9b}31m\\u{7f}");
        assert_eq!(printable("\u{202e}fdp.exe"), "\\u{202e}fdp.exe");
    }
}
