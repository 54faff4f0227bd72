//! Many requests of one endpoint at the platform's pace: at most N in flight on plain
//! threads over the blocking client, an optional ceiling on requests per second, and
//! polite back-off when the platform asks to slow down (HTTP 429, or a code the spec
//! marks `rate_limit`, such as FetchLimitExceeded): the batch pauses, halves its
//! concurrency, tries that row again, and climbs back as answers succeed.
//!
//! Inputs are pulled one at a time as a worker becomes free and outcomes are handed to
//! the caller as they complete, through a short queue: a batch of a million rows holds
//! no more than a few dozen of them at once.

use std::fmt;
use std::sync::mpsc;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::credentials::Token;

use crate::error::Error;
use crate::registry::Service;

/// How a batch runs.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchOptions {
    /// At most this many requests in flight, 1 to [`MAX_CONCURRENCY`]. Default 8.
    pub concurrency: usize,
    /// At most this many requests started per second; `None`: no ceiling.
    pub rate: Option<f64>,
    /// How often one row is tried again after the platform asked to slow down, at most
    /// 10. Default 5.
    pub slow_down_retries: u32,
    /// The first pause after the platform asked to slow down; it doubles with each
    /// request of the same row asked again, up to 30 s. Default 1 s.
    pub slow_down_pause: Duration,
}

/// The most requests a batch keeps in flight.
pub const MAX_CONCURRENCY: usize = 256;
/// The lowest rate ceiling: one request a day (the pause between two starts must be
/// a time the clock can add).
pub const MIN_RATE: f64 = 1.0 / 86_400.0;
/// The highest rate ceiling, in requests per second.
pub const MAX_RATE: f64 = 1_000_000.0;
const MAX_PAUSE: Duration = Duration::from_secs(30);

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            concurrency: 8,
            rate: None,
            slow_down_retries: 5,
            slow_down_pause: Duration::from_secs(1),
        }
    }
}

impl BatchOptions {
    /// Whether a batch can run with these options; [`run`] checks this first.
    pub fn check(&self) -> Result<(), Error> {
        if !(1..=MAX_CONCURRENCY).contains(&self.concurrency) {
            return Err(Error::config(format!(
                "concurrency must be 1 to {MAX_CONCURRENCY}"
            )));
        }
        // NaN fails both comparisons, and so is refused with the rest.
        if let Some(rate) = self.rate
            && !(MIN_RATE..=MAX_RATE).contains(&rate)
        {
            return Err(Error::config(
                "rate must be from 1/86400 (one request a day) to 1000000 requests per second",
            ));
        }
        if self.slow_down_retries > 10 {
            return Err(Error::config("slow_down_retries must be at most 10"));
        }
        if self.slow_down_pause > MAX_PAUSE {
            return Err(Error::config("slow_down_pause must be at most 30 seconds"));
        }
        Ok(())
    }
}

/// One input's outcome: its position in the input (from 0), the input itself, handed
/// back, and its result.
///
/// Debug shows the position and whether it succeeded (with the error, which holds no
/// patient data), never the input or the data: both hold patient data.
pub struct Outcome<T, U> {
    /// The request's position in the batch, from 0.
    pub index: usize,
    /// The request as it was given.
    pub input: T,
    /// What the platform answered, or why there is no answer.
    pub result: Result<U, Error>,
}

impl<T, U> fmt::Debug for Outcome<T, U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let result: Result<Redacted, &Error> = match &self.result {
            Ok(_) => Ok(Redacted),
            Err(error) => Err(error),
        };
        f.debug_struct("Outcome")
            .field("index", &self.index)
            .field("input", &Redacted)
            .field("result", &result)
            .finish()
    }
}

/// Stands in for a value that holds patient data in Debug output.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl<T> Outcome<T, Value> {
    /// The outcome as one line of a batch's output, rows numbered from 1:
    /// `{"row": N, "ok": true, "data": ...}` or
    /// `{"row": N, "ok": false, "error": {"kind", "code", "message"}}` (`code` for
    /// platform errors only).
    #[doc(hidden)]
    pub fn to_json(&self) -> Value {
        outcome_json(self.index + 1, &self.result)
    }
}

/// One line of a batch's output for row `row`; see [`Outcome::to_json`].
#[doc(hidden)]
pub fn outcome_json(row: usize, result: &Result<Value, Error>) -> Value {
    match result {
        Ok(data) => json!({"row": row, "ok": true, "data": data}),
        Err(error) => json!({"row": row, "ok": false, "error": error_json(error)}),
    }
}

/// [`outcome_json`] as one line of text, its members in the documented order (`row`,
/// `ok`, then `data` or `error` with `kind`, `code`, `message`), for people reading it.
#[doc(hidden)]
pub fn outcome_line(row: usize, result: &Result<Value, Error>) -> String {
    match result {
        Ok(data) => format!("{{\"row\":{row},\"ok\":true,\"data\":{data}}}"),
        Err(error) => {
            let code = error
                .api_code()
                .map(|c| format!(",\"code\":{c}"))
                .unwrap_or_default();
            format!(
                "{{\"row\":{row},\"ok\":false,\"error\":{{\"kind\":\"{}\"{code},\"message\":{}}}}}",
                error.kind(),
                Value::from(error.to_string())
            )
        }
    }
}

/// The outcome of a row that could not be read as a request (a line that is not JSON,
/// a CSV record of the wrong shape): a validation error of the field `(row)`, and
/// nothing sent.
#[doc(hidden)]
pub fn unreadable_row(why: impl Into<String>) -> Error {
    Error::validation("(row)", why)
}

/// A row's fingerprint, for recognising on `--resume` that a row of the input is the
/// request an earlier outcome answered: HMAC-SHA256 keyed with the token over the
/// endpoint and the request, 128 bits in hex. Keyed, so that nobody without the token
/// can test guesses of a phone or ID number against it.
#[doc(hidden)]
pub fn fingerprint(token: &Token, endpoint: &str, request: &Value) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(token.expose_secret().as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(b"aimis batch row\n");
    mac.update(endpoint.as_bytes());
    mac.update(b"\n");
    // The request's text holds the patient's numbers in the clear: wiped after use.
    let text = Zeroizing::new(request.to_string());
    mac.update(text.as_bytes());
    let digest = mac.finalize().into_bytes();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// `{"kind", "code"?, "message"}` of an error, as batch output shows it.
#[doc(hidden)]
pub fn error_json(error: &Error) -> Value {
    let mut value = json!({"kind": error.kind(), "message": error.to_string()});
    if let Some(code) = error.api_code() {
        value["code"] = code.into();
    }
    value
}

/// Runs `call` on every input with the options' concurrency, rate and politeness, and
/// hands each outcome to `each`, in the calling thread, as it completes (not in input
/// order). Returns once every input has an outcome; an error only for unusable options.
#[doc(hidden)]
pub fn run<I, T, U>(
    options: &BatchOptions,
    service: &Service,
    inputs: I,
    call: impl Fn(&T) -> Result<U, Error> + Sync,
    mut each: impl FnMut(Outcome<T, U>),
) -> Result<(), Error>
where
    I: IntoIterator<Item = T>,
    I::IntoIter: Send,
    T: Send,
    U: Send,
{
    options.check()?;
    let span = crate::trace::batch_span(options.concurrency, options.rate);
    let _in_span = span.enter();
    let started = crate::trace::batch_started();
    // Fused: the first end of the inputs is the end. An iterator that yields again
    // after `None` (a reader past a line it could not read) would otherwise hand the
    // next worker a later row under the skipped row's position.
    let inputs = Mutex::new(inputs.into_iter().enumerate().fuse());
    let limiter = Limiter::new(options);
    let (sender, outcomes) = mpsc::sync_channel(options.concurrency * 2);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..options.concurrency)
            .map(|_| {
                let sender = sender.clone();
                let (inputs, limiter, call) = (&inputs, &limiter, &call);
                scope.spawn(move || {
                    while let Some(outcome) = next(options, service, inputs, limiter, call) {
                        if sender.send(outcome).is_err() {
                            break;
                        }
                    }
                })
            })
            .collect();
        drop(sender);
        let (mut rows, mut ok) = (0, 0);
        for outcome in outcomes {
            rows += 1;
            ok += usize::from(outcome.result.is_ok());
            each(outcome);
        }
        crate::trace::batch_done(rows, ok, limiter.pauses(), started);
        // Joined, not only finished: the threads are gone when the batch returns (a
        // host program's leak checker sees none of them).
        for worker in workers {
            if let Err(panic) = worker.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
    Ok(())
}

/// Takes the next input once a slot is free, and calls it until it has an outcome.
fn next<T, U>(
    options: &BatchOptions,
    service: &Service,
    inputs: &Mutex<impl Iterator<Item = (usize, T)>>,
    limiter: &Limiter,
    call: &impl Fn(&T) -> Result<U, Error>,
) -> Option<Outcome<T, U>> {
    limiter.acquire();
    let Some((index, input)) = lock(inputs).next() else {
        limiter.release(Verdict::Done);
        return None;
    };
    let mut asked_again = 0;
    loop {
        let result = call(&input);
        let slow_down = matches!(&result, Err(e) if asks_to_slow_down(service, e));
        if slow_down && asked_again < options.slow_down_retries {
            let pause = options
                .slow_down_pause
                .saturating_mul(1 << asked_again.min(16))
                .min(MAX_PAUSE);
            crate::trace::rate_pause(index + 1, pause);
            limiter.release(Verdict::SlowDown(pause));
            asked_again += 1;
            limiter.acquire();
            continue;
        }
        if slow_down {
            crate::trace::rate_pause(index + 1, options.slow_down_pause);
        }
        limiter.release(match slow_down {
            true => Verdict::SlowDown(options.slow_down_pause),
            false => Verdict::Answered,
        });
        return Some(Outcome {
            index,
            input,
            result,
        });
    }
}

/// HTTP 429 (after the client's own Retry-After retries) or a code the spec marks as
/// a rate signal.
fn asks_to_slow_down(service: &Service, error: &Error) -> bool {
    match error {
        Error::Http { status: 429, .. } => true,
        Error::Api { code, .. } => service.is_rate_limit(*code),
        _ => false,
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// How a request ended, for the limiter.
enum Verdict {
    Answered,
    SlowDown(Duration),
    Done,
}

/// Who may start a request now: the adaptive concurrency limit, the rate ceiling and
/// any pause the platform asked for.
struct Limiter {
    state: Mutex<LimiterState>,
    changed: Condvar,
}

struct LimiterState {
    in_flight: usize,
    /// The concurrency allowed now: halved when the platform asks to slow down, one
    /// more after as many answers as it is, up to the options' concurrency.
    limit: usize,
    max: usize,
    answers_at_limit: usize,
    interval: Option<Duration>,
    next_start: Instant,
    paused_until: Instant,
    /// How many times the platform asked to slow down, for the batch's end event.
    pauses: usize,
}

impl Limiter {
    fn new(options: &BatchOptions) -> Self {
        let now = Instant::now();
        Limiter {
            state: Mutex::new(LimiterState {
                in_flight: 0,
                limit: options.concurrency,
                max: options.concurrency,
                answers_at_limit: 0,
                interval: options.rate.map(|r| Duration::from_secs_f64(1.0 / r)),
                next_start: now,
                paused_until: now,
                pauses: 0,
            }),
            changed: Condvar::new(),
        }
    }

    /// Waits until a request may start, and counts it in flight.
    fn acquire(&self) {
        let mut state = lock(&self.state);
        loop {
            let now = Instant::now();
            let start_at = state.paused_until.max(state.next_start);
            if state.in_flight < state.limit && now >= start_at {
                state.in_flight += 1;
                if let Some(interval) = state.interval {
                    state.next_start = now.max(state.next_start) + interval;
                }
                return;
            }
            state = if state.in_flight < state.limit {
                let wait = start_at - now;
                self.changed
                    .wait_timeout(state, wait)
                    .unwrap_or_else(|p| p.into_inner())
                    .0
            } else {
                self.changed.wait(state).unwrap_or_else(|p| p.into_inner())
            };
        }
    }

    fn pauses(&self) -> usize {
        lock(&self.state).pauses
    }

    fn release(&self, verdict: Verdict) {
        let mut state = lock(&self.state);
        state.in_flight -= 1;
        match verdict {
            Verdict::SlowDown(pause) => {
                state.pauses += 1;
                state.limit = (state.limit / 2).max(1);
                state.answers_at_limit = 0;
                state.paused_until = state.paused_until.max(Instant::now() + pause);
            }
            Verdict::Answered if state.limit < state.max => {
                state.answers_at_limit += 1;
                if state.answers_at_limit >= state.limit {
                    state.limit += 1;
                    state.answers_at_limit = 0;
                }
            }
            Verdict::Answered | Verdict::Done => {}
        }
        drop(state);
        self.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn every_input_gets_one_outcome_with_its_position() {
        let options = BatchOptions {
            concurrency: 4,
            ..BatchOptions::default()
        };
        let mut seen = Vec::new();
        run(
            &options,
            &crate::SERVICE,
            0..100u64,
            |n| Ok(n * 2),
            |o| seen.push((o.index, o.result.unwrap())),
        )
        .unwrap();
        seen.sort_unstable();
        assert_eq!(
            seen,
            (0..100).map(|n| (n as usize, n * 2)).collect::<Vec<_>>()
        );
    }

    #[test]
    fn never_more_than_the_concurrency_in_flight() {
        let options = BatchOptions {
            concurrency: 3,
            ..BatchOptions::default()
        };
        let (now, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        run(
            &options,
            &crate::SERVICE,
            0..30,
            |_| {
                let in_flight = now.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(in_flight, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(2));
                now.fetch_sub(1, Ordering::SeqCst);
                Ok(())
            },
            |_| {},
        )
        .unwrap();
        assert_eq!(most.load(Ordering::SeqCst), 3);
    }

    #[test]
    fn a_slow_down_code_is_retried_and_bounded() {
        let options = BatchOptions {
            concurrency: 2,
            slow_down_retries: 2,
            slow_down_pause: Duration::from_millis(1),
            ..BatchOptions::default()
        };
        let calls = AtomicUsize::new(0);
        let limit = || Error::Api {
            code: 90003,
            name: None,
            message: String::new(),
        };
        let mut outcomes = Vec::new();
        run(
            &options,
            &crate::SERVICE,
            ["always", "once"],
            |input| match (*input, calls.fetch_add(1, Ordering::SeqCst)) {
                ("always", _) => Err(limit()),
                ("once", _) if calls.load(Ordering::SeqCst) <= 2 => Err(limit()),
                _ => Ok(()),
            },
            |o| outcomes.push((o.index, o.result.map_err(|e| e.api_code()))),
        )
        .unwrap();
        outcomes.sort_by_key(|o| o.0);
        assert_eq!(
            outcomes[0],
            (0, Err(Some(90003))),
            "given up after 2 more tries"
        );
        assert!(outcomes[1].1.is_ok());
        assert!(calls.load(Ordering::SeqCst) <= 3 + 3);
    }

    #[test]
    fn outcome_lines_are_the_json_in_the_documented_order() {
        let api = Err(Error::Api {
            code: 10003,
            name: None,
            message: "no \"data\"".into(),
        });
        for result in [Ok(json!({"h5Url": "u"})), api] {
            let line = outcome_line(7, &result);
            assert_eq!(
                serde_json::from_str::<Value>(&line).unwrap(),
                outcome_json(7, &result)
            );
            assert!(line.starts_with("{\"row\":7,\"ok\":"), "{line}");
        }
        let line = outcome_line(1, &Err(Error::Timeout(Duration::from_secs(1))));
        assert!(
            line.contains("\"error\":{\"kind\":\"timeout\",\"message\":"),
            "{line}"
        );
    }

    #[test]
    fn options_are_checked() {
        let bad = [
            BatchOptions {
                concurrency: 0,
                ..BatchOptions::default()
            },
            BatchOptions {
                concurrency: 257,
                ..BatchOptions::default()
            },
            BatchOptions {
                rate: Some(0.0),
                ..BatchOptions::default()
            },
            BatchOptions {
                rate: Some(f64::NAN),
                ..BatchOptions::default()
            },
            BatchOptions {
                rate: Some(1e-300),
                ..BatchOptions::default()
            },
            BatchOptions {
                slow_down_retries: 11,
                ..BatchOptions::default()
            },
        ];
        for options in bad {
            let outcome = run(&options, &crate::SERVICE, [()], |_| Ok(()), |_| {});
            assert!(matches!(outcome, Err(Error::Config { .. })), "{options:?}");
        }
    }
}
