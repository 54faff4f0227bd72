//! What the program tells `tracing`, on stderr. The commands that serve (`inbox serve`,
//! `sim`) write JSON lines; the others, with `-v` (each call, retry, batch) or `-vv`
//! (everything, and each span's duration), human-readable lines, and nothing without.
//! Written by a background thread from a bounded queue that drops lines when full: a
//! closed stderr (a log shipper restarted, a `| tee` killed) or a stalled one (a pipe
//! nobody reads) never touches a request: lines are lost, answers are not.

use std::sync::atomic::{AtomicU8, Ordering};

use clap::{Arg, ArgAction};
use tracing::Level;
use tracing_appender::non_blocking::{NonBlocking, NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::fmt::format::FmtSpan;

/// How many `-v` were given.
static VERBOSITY: AtomicU8 = AtomicU8::new(0);

/// `-v`/`-vv`, global.
pub fn arg() -> Arg {
    Arg::new("verbose")
        .short('v')
        .long("verbose")
        .action(ArgAction::Count)
        .global(true)
        // Last among each command's options, wherever clap propagates it.
        .display_order(1000)
        .help("Log what the SDK does on stderr: -v each call, retry and batch; -vv everything, with durations (inbox serve, sim: in their JSON lines)")
}

/// Remembers the `-v` count of the command line; with any, a command that does not
/// serve prints human-readable events on stderr until the returned guard is dropped.
pub fn from_command_line(verbosity: u8, serves: bool) -> Option<Logging> {
    VERBOSITY.store(verbosity, Ordering::Relaxed);
    if serves || verbosity == 0 {
        return None;
    }
    let (writer, guard) = stderr_writer();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(level(verbosity))
        .with_span_events(match verbosity {
            1 => FmtSpan::NONE,
            _ => FmtSpan::CLOSE,
        })
        .with_writer(writer)
        .finish();
    let _ = tracing::subscriber::set_global_default(subscriber);
    Some(Logging(guard))
}

/// INFO without `-v`, DEBUG with one, TRACE with two or more.
fn level(verbosity: u8) -> Level {
    match verbosity {
        0 => Level::INFO,
        1 => Level::DEBUG,
        _ => Level::TRACE,
    }
}

fn stderr_writer() -> (NonBlocking, WorkerGuard) {
    NonBlockingBuilder::default()
        .lossy(true)
        .buffered_lines_limit(QUEUED_LINES)
        .thread_name("aimis-log")
        .finish(std::io::stderr())
}

/// Lines queued for stderr before new ones are dropped.
const QUEUED_LINES: usize = 16_384;

/// Keeps the log writer running; dropping it writes what is queued (waiting a second
/// at most for a stalled stderr).
#[must_use]
pub struct Logging(#[allow(dead_code)] WorkerGuard);

impl std::fmt::Debug for Logging {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Logging")
    }
}

/// Sends this process's `tracing` events (info and above; debug with `-v`, everything
/// with `-vv`) to stderr as JSON lines.
pub fn to_stderr() -> Logging {
    let (writer, guard) = stderr_writer();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_target(false)
        .with_max_level(level(VERBOSITY.load(Ordering::Relaxed)))
        .with_writer(writer)
        .finish();
    // Only the first command to ask installs it; there is one a process.
    let _ = tracing::subscriber::set_global_default(subscriber);
    Logging(guard)
}
