//! The logs of the commands that serve (`inbox serve`, `sim`): JSON lines on stderr,
//! written by a background thread from a bounded queue that drops lines when full. A
//! closed stderr (a log shipper restarted, a `| tee` killed) or a stalled one (a pipe
//! nobody reads) never touches a request: lines are lost, answers are not.

use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};

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

/// Sends this process's `tracing` events (info and above) to stderr as JSON lines.
pub fn to_stderr() -> Logging {
    let (writer, guard) = NonBlockingBuilder::default()
        .lossy(true)
        .buffered_lines_limit(QUEUED_LINES)
        .thread_name("aimis-log")
        .finish(std::io::stderr());
    let subscriber = tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_target(false)
        .with_max_level(tracing::Level::INFO)
        .with_writer(writer)
        .finish();
    // Only the first command to ask installs it; there is one a process.
    let _ = tracing::subscriber::set_global_default(subscriber);
    Logging(guard)
}
