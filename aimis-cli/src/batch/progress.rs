//! Progress on stderr: a bar (rate, ETA, ok and failed counts) on a terminal, else a
//! plain line every few seconds, for logs.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Summary;

const PLAIN_EVERY: Duration = Duration::from_secs(5);

pub enum Progress {
    Bar(ProgressBar),
    Plain { total: Option<usize>, last: Instant },
}

impl Progress {
    pub fn start(total: Option<usize>) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress::Plain {
                total,
                last: Instant::now(),
            };
        }
        let bar = match total {
            Some(n) => ProgressBar::new(n as u64),
            None => ProgressBar::new_spinner(),
        };
        bar.set_draw_target(ProgressDrawTarget::stderr());
        let template = match total {
            Some(_) => "{bar:30} {pos}/{len} rows  {per_sec}  ETA {eta}  {msg}",
            None => "{spinner} {pos} rows  {per_sec}  {msg}",
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        Progress::Bar(bar)
    }

    pub fn update(&mut self, summary: &Summary) {
        match self {
            Progress::Bar(bar) => {
                bar.set_position(summary.done() as u64);
                bar.set_message(format!("ok {}  failed {}", summary.ok(), summary.failed()));
            }
            Progress::Plain { total, last } => {
                if last.elapsed() >= PLAIN_EVERY {
                    *last = Instant::now();
                    let of = total.map(|t| format!(" of {t}")).unwrap_or_default();
                    eprintln!(
                        "aimis batch: {}{of} rows, {} ok, {} failed",
                        summary.done(),
                        summary.ok(),
                        summary.failed()
                    );
                }
            }
        }
    }

    pub fn finish(self) {
        if let Progress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}
