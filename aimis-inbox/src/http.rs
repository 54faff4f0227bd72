//! The receiver on HTTP (axum on a tokio runtime of its own thread): `POST PATH` takes
//! callbacks, `GET /healthz` says the store answers. Bodies are bounded; the store's
//! blocking commits run off the async workers. Stopping is graceful: requests in flight
//! finish (their callbacks committed and answered), then the server stops.

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;
use tokio::sync::oneshot;

use crate::error::InboxError;
use crate::receiver::{Answer, Outcome, Receiver};
use crate::tls::{TlsFiles, TlsListener};

/// How the receiver is served.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// The path callbacks are posted to (default `/`).
    pub path: String,
    /// The largest body accepted, in bytes (default 64 KiB; a callback is about 1 KiB).
    pub max_body: usize,
    /// Stop gracefully on SIGTERM and SIGINT (the CLI); tests stop with
    /// [`Server::shutdown`].
    pub stop_on_signals: bool,
    /// Serve HTTPS with this certificate and key.
    pub tls: Option<TlsFiles>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            path: "/".into(),
            max_body: 64 * 1024,
            stop_on_signals: false,
            tls: None,
        }
    }
}

/// A running receiver on a thread of its own.
pub struct Server {
    addr: SocketAddr,
    scheme: &'static str,
    path: String,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server").field("url", &self.url()).finish()
    }
}

struct Shared {
    receiver: Receiver,
    max_body: usize,
}

impl Server {
    /// Serves `receiver` on `listener` until [`Server::shutdown`] (or a signal).
    pub fn start(
        receiver: Receiver,
        listener: std::net::TcpListener,
        options: ServeOptions,
    ) -> Result<Server, InboxError> {
        let path = options.path.clone();
        if !path.starts_with('/') || path == "/healthz" {
            return Err(InboxError::BadOption {
                option: "--path",
                rule: "must start with `/` and not be /healthz".into(),
            });
        }
        let io = |e: std::io::Error| InboxError::Io(format!("cannot serve: {e}"));
        let tls = options.tls.as_ref().map(TlsFiles::config).transpose()?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        listener.set_nonblocking(true).map_err(io)?;
        let addr = listener.local_addr().map_err(io)?;
        let shared = Arc::new(Shared {
            receiver,
            max_body: options.max_body,
        });
        // Dropped last, outside the runtime: a PostgreSQL store's client runs a runtime
        // of its own, which cannot be dropped inside another.
        let keep = shared.clone();
        let router = Router::new()
            .route(&path, post(receive))
            .route("/healthz", get(healthz))
            .with_state(shared);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(io)?;
        let (stop, stopped) = oneshot::channel::<()>();
        let signals = options.stop_on_signals;
        crate::log::event(
            "info",
            "listening",
            &[
                ("addr", addr.to_string().into()),
                ("path", path.clone().into()),
            ],
        );
        let thread = std::thread::Builder::new()
            .name("aimis-inbox".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => listener,
                        Err(e) => {
                            crate::log::event(
                                "error",
                                "listen_failed",
                                &[("error", e.to_string().into())],
                            );
                            return;
                        }
                    };
                    let shutdown = async move {
                        let why = stop_signal(stopped, signals).await;
                        crate::log::event("info", "stopping", &[("why", why.into())]);
                    };
                    let served = match tls {
                        Some(config) => match TlsListener::new(listener, config) {
                            Ok(listener) => {
                                axum::serve(listener, router)
                                    .with_graceful_shutdown(shutdown)
                                    .await
                            }
                            Err(e) => Err(e),
                        },
                        None => {
                            axum::serve(listener, router)
                                .with_graceful_shutdown(shutdown)
                                .await
                        }
                    };
                    if let Err(e) = served {
                        crate::log::event(
                            "error",
                            "serve_failed",
                            &[("error", e.to_string().into())],
                        );
                    }
                });
                // Waits for store commits still running on blocking threads.
                drop(runtime);
                drop(keep);
                crate::log::event("info", "stopped", &[]);
            })
            .map_err(io)?;
        Ok(Server {
            addr,
            scheme,
            path,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Where callbacks go: `http://ADDR/PATH` (https with TLS).
    pub fn url(&self) -> String {
        format!("{}://{}{}", self.scheme, self.addr, self.path)
    }

    /// `http` or `https`.
    pub fn scheme(&self) -> &'static str {
        self.scheme
    }

    /// Stops gracefully: requests in flight finish, then the server stops.
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    /// Blocks until the server stops (on a signal, with `stop_on_signals`).
    pub fn wait(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    fn stop_and_join(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

/// Resolves when asked to stop: by [`Server::shutdown`], or SIGTERM / SIGINT.
async fn stop_signal(stopped: oneshot::Receiver<()>, signals: bool) -> &'static str {
    #[cfg(unix)]
    if signals {
        use tokio::signal::unix::{SignalKind, signal};
        if let (Ok(mut term), Ok(mut int)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) {
            return tokio::select! {
                _ = stopped => "shutdown",
                _ = term.recv() => "SIGTERM",
                _ = int.recv() => "SIGINT",
            };
        }
    }
    let _ = signals;
    let _ = stopped.await;
    "shutdown"
}

async fn healthz() -> Response {
    json_answer(StatusCode::OK, json!({"status": "ok"}).to_string())
}

async fn receive(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Response {
    let limit = shared.max_body;
    let worker = shared.clone();
    let answer = match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => {
            let headers: Vec<(String, String)> = headers
                .iter()
                .filter_map(|(k, v)| {
                    v.to_str()
                        .ok()
                        .map(|v| (k.as_str().to_owned(), v.to_owned()))
                })
                .collect();
            tokio::task::spawn_blocking(move || {
                let pairs: Vec<(&str, &str)> = headers
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                worker.receiver.handle(&pairs, &bytes)
            })
            .await
        }
        Err(_) => tokio::task::spawn_blocking(move || worker.receiver.too_large(limit)).await,
    };
    let answer = answer.unwrap_or_else(|_| Answer {
        http_status: 500,
        body: aimis::callback_failure(
            aimis::ApiCode::DatabaseError.code(),
            "internal error; send it again",
        ),
        outcome: Outcome::StoreFailed,
    });
    log_outcome(&answer.outcome);
    let status = StatusCode::from_u16(answer.http_status).unwrap_or(StatusCode::OK);
    json_answer(status, answer.body)
}

fn log_outcome(outcome: &Outcome) {
    match outcome {
        Outcome::Stored { id, superseded } => crate::log::event(
            "info",
            "stored",
            &[("id", (*id).into()), ("superseded", (*superseded).into())],
        ),
        Outcome::Duplicate { id } => {
            crate::log::event("info", "duplicate", &[("id", (*id).into())])
        }
        Outcome::Replay => crate::log::event("warn", "replay_refused", &[]),
        Outcome::SameMillisecond => crate::log::event("warn", "same_millisecond_refused", &[]),
        Outcome::Refused { reason } => {
            crate::log::event("warn", "refused", &[("reason", (*reason).into())])
        }
        Outcome::StoreFailed => crate::log::event("error", "not_stored", &[]),
    }
}

fn json_answer(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}
