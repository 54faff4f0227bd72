//! The receiver on HTTP (axum's router under a connection loop of our own, on a tokio
//! runtime of its own thread): `POST PATH` takes callbacks, `GET /healthz` says whether
//! the store can take one. Hostile clients are bounded: the time to send a request's
//! head (which also bounds idle keep-alive), the time to send its body, the body's size,
//! and the number of connections, shedding the oldest idle one for a new one at the
//! limit. The store's blocking commits run off the async workers. Stopping is graceful
//! within a deadline: requests in flight finish (their callbacks committed and
//! answered), then whatever is left is dropped.

use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http_body_util::LengthLimitError;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::json;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::{oneshot, watch};
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::connections::{Admitted, Connections, Slot};
use crate::error::InboxError;
use crate::metrics::{AckLatency, MetricsToken};
use crate::receiver::{Answer, Outcome, Receiver};
use crate::tls::TlsFiles;

/// How the receiver is served.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// The path callbacks are posted to (default `/`).
    pub path: String,
    /// The largest body accepted, in bytes (default 64 KiB; a callback is about 1 KiB).
    pub max_body: usize,
    /// How long a client may take to send a request's head, from its connection (and
    /// TLS handshake) or its previous answer: so also how long an idle keep-alive
    /// connection stays open (default 10 s).
    pub header_timeout: Duration,
    /// How long a client may take to send a request's body (default 10 s).
    pub body_timeout: Duration,
    /// Connections held at once (default: under the descriptor limit, at most 4096). At
    /// the limit, the oldest one not being answered is closed for a new one.
    pub max_connections: usize,
    /// How long a graceful stop waits for requests in flight before dropping every
    /// connection left (default 10 s).
    pub stop_timeout: Duration,
    /// Stop gracefully on SIGTERM and SIGINT (the CLI); tests stop with
    /// [`Server::shutdown`].
    pub stop_on_signals: bool,
    /// Serve HTTPS with this certificate and key.
    pub tls: Option<TlsFiles>,
    /// The bearer token `GET /metrics` asks for. Without one, `/metrics` is served on a
    /// loopback listener only (elsewhere it answers 403).
    pub metrics_token: Option<MetricsToken>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            path: "/".into(),
            max_body: 64 * 1024,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            max_connections: crate::connections::default_max(),
            stop_timeout: Duration::from_secs(10),
            stop_on_signals: false,
            tls: None,
            metrics_token: None,
        }
    }
}

impl ServeOptions {
    fn check(&self) -> Result<(), InboxError> {
        let bad = |option: &'static str, rule: &str| {
            Err(InboxError::BadOption {
                option,
                rule: rule.into(),
            })
        };
        if !self.path.starts_with('/') || self.path == "/healthz" || self.path == "/metrics" {
            return bad(
                "--path",
                "must start with `/` and not be /healthz or /metrics",
            );
        }
        if self.header_timeout.is_zero() {
            return bad("--header-timeout", "must be more than 0");
        }
        if self.body_timeout.is_zero() {
            return bad("--body-timeout", "must be more than 0");
        }
        if self.max_connections == 0 {
            return bad("--max-connections", "must be at least 1");
        }
        Ok(())
    }
}

/// How long `/healthz` waits for the store's write lock, and for the whole check.
const HEALTH_LOCK_WAIT: Duration = Duration::from_secs(1);
const HEALTH_DEADLINE: Duration = Duration::from_secs(2);
/// The most a connection buffers while reading (hyper's minimum is 8 KiB).
const READ_BUFFER: usize = 16 * 1024;
/// How often refusals counted in memory are written (with one log line).
const FLUSH_EVERY: Duration = Duration::from_secs(1);

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
    body_timeout: Duration,
    latency: AckLatency,
    metrics: MetricsAccess,
}

/// Who may read `/metrics`.
enum MetricsAccess {
    /// Anyone who can connect: the listener is loopback and no token was given.
    Local,
    Token(MetricsToken),
    /// Nobody: the listener is reachable from elsewhere and no token was given.
    Refused,
}

/// What every connection is served with.
#[derive(Clone)]
struct Serving {
    router: Router,
    http: http1::Builder,
    tls: Option<TlsAcceptor>,
    header_timeout: Duration,
}

impl Server {
    /// Serves `receiver` on `listener` until [`Server::shutdown`] (or a signal).
    pub fn start(
        receiver: Receiver,
        listener: std::net::TcpListener,
        options: ServeOptions,
    ) -> Result<Server, InboxError> {
        options.check()?;
        let path = options.path.clone();
        let io = |e: std::io::Error| InboxError::Io(format!("cannot serve: {e}"));
        let tls = options.tls.as_ref().map(TlsFiles::config).transpose()?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        listener.set_nonblocking(true).map_err(io)?;
        let addr = listener.local_addr().map_err(io)?;
        let metrics = match options.metrics_token.clone() {
            Some(token) => MetricsAccess::Token(token),
            None if addr.ip().is_loopback() => MetricsAccess::Local,
            None => MetricsAccess::Refused,
        };
        let shared = Arc::new(Shared {
            receiver,
            max_body: options.max_body,
            body_timeout: options.body_timeout,
            latency: AckLatency::default(),
            metrics,
        });
        // Dropped last, outside the runtime: a PostgreSQL store's client runs a runtime
        // of its own, which cannot be dropped inside another.
        let keep = shared.clone();
        let router = Router::new()
            .route(&path, post(receive))
            .route("/healthz", get(healthz))
            .route("/metrics", get(exposition))
            .with_state(shared.clone());
        let mut http = http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(options.header_timeout)
            // A callback's head is well under 1 KiB: thousands of connections each
            // holding hyper's default 400 KB would be a way to exhaust memory.
            .max_buf_size(READ_BUFFER);
        let serving = Serving {
            router,
            http,
            tls: tls.map(TlsAcceptor::from),
            header_timeout: options.header_timeout,
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(io)?;
        let (stop, stopped) = oneshot::channel::<()>();
        let signals = options.stop_on_signals;
        let connections = Connections::new(options.max_connections);
        let stop_timeout = options.stop_timeout;
        tracing::info!(event = "listening", %addr, path = %path);
        let thread = std::thread::Builder::new()
            .name("aimis-inbox".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => listener,
                        Err(e) => {
                            tracing::error!(event = "listen_failed", error = %e);
                            return;
                        }
                    };
                    let flusher = tokio::spawn(flush_every_second(shared, connections.clone()));
                    let shutdown = async move {
                        let why = stop_signal(stopped, signals).await;
                        tracing::info!(event = "stopping", why);
                    };
                    serve(listener, serving, connections, shutdown, stop_timeout).await;
                    flusher.abort();
                });
                // Waits for store commits still running on blocking threads.
                drop(runtime);
                if let Err(e) = keep.receiver.flush_refusals() {
                    tracing::error!(event = "refusals_not_counted", error = %e);
                }
                drop(keep);
                tracing::info!(event = "stopped");
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

/// Accepts until `shutdown`, then lets connections finish for `stop_timeout` and drops
/// the rest.
async fn serve(
    listener: tokio::net::TcpListener,
    serving: Serving,
    connections: Arc<Connections>,
    shutdown: impl Future<Output = ()>,
    stop_timeout: Duration,
) {
    let (stopping, stop_seen) = watch::channel(false);
    let mut tasks = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((tcp, _)) => {
                    // At the limit with every connection being answered: turned away.
                    if let Some(admitted) = connections.admit() {
                        let _ = tcp.set_nodelay(true);
                        tasks.spawn(connection(tcp, admitted, serving.clone(), stop_seen.clone()));
                    }
                }
                // Out of descriptors and the like: the connection limit keeps this rare.
                Err(e) => {
                    tracing::warn!(event = "accept_failed", error = %e);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
        }
        while tasks.try_join_next().is_some() {}
    }
    drop(listener);
    let _ = stopping.send(true);
    let drained = tokio::time::timeout(stop_timeout, async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(event = "stop_deadline", dropped = tasks.len());
        tasks.abort_all();
    }
}

/// Serves one connection (after its TLS handshake) until it ends, is shed, or the
/// server stops: then the request in hand is answered and the connection closed.
async fn connection(
    tcp: tokio::net::TcpStream,
    admitted: Admitted,
    serving: Serving,
    stop_seen: watch::Receiver<bool>,
) {
    match serving.tls.clone() {
        None => http(tcp, admitted, serving, stop_seen).await,
        Some(acceptor) => {
            let handshake = tokio::time::timeout(serving.header_timeout, acceptor.accept(tcp));
            let tls = tokio::select! {
                done = handshake => done,
                () = admitted.shed() => return,
            };
            if let Ok(Ok(tls)) = tls {
                http(tls, admitted, serving, stop_seen).await;
            }
        }
    }
}

async fn http<I>(io: I, admitted: Admitted, serving: Serving, mut stop_seen: watch::Receiver<bool>)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (router, slot) = (serving.router, admitted.slot());
    let service = hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
        let mut request = request.map(Body::new);
        request.extensions_mut().insert(slot.clone());
        router.clone().oneshot(request)
    });
    let conn = serving.http.serve_connection(TokioIo::new(io), service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => return,
        () = admitted.shed() => return,
        _ = stop_seen.wait_for(|stopping| *stopping) => {}
    }
    conn.as_mut().graceful_shutdown();
    tokio::select! {
        _ = conn => {}
        () = admitted.shed() => {}
    }
}

/// Writes the refusals counted in memory, and says how many connections were shed.
async fn flush_every_second(shared: Arc<Shared>, connections: Arc<Connections>) {
    let mut every = tokio::time::interval(FLUSH_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let shed = connections.take_shed();
        if shed > 0 {
            tracing::warn!(event = "connections_shed", count = shed);
        }
        let worker = shared.clone();
        let flushed = tokio::task::spawn_blocking(move || worker.receiver.flush_refusals()).await;
        if let Ok(Err(e)) = flushed {
            tracing::error!(event = "refusals_not_counted", error = %e);
        }
    }
}

/// 200 when the store can take a callback now (its write lock had and given back), 503
/// when it cannot within a short deadline.
async fn healthz(State(shared): State<Arc<Shared>>) -> Response {
    let checked = tokio::time::timeout(
        HEALTH_DEADLINE,
        tokio::task::spawn_blocking(move || {
            shared
                .receiver
                .inbox()
                .store()
                .check_writable(HEALTH_LOCK_WAIT)
        }),
    )
    .await;
    let problem = match checked {
        Ok(Ok(Ok(()))) => {
            return json_answer(StatusCode::OK, json!({"status": "ok"}).to_string());
        }
        Ok(Ok(Err(e))) => e.to_string(),
        Ok(Err(_)) => "the store check failed".to_owned(),
        Err(_) => format!("the store did not answer within {HEALTH_DEADLINE:?}"),
    };
    tracing::warn!(event = "unhealthy", error = %problem);
    json_answer(
        StatusCode::SERVICE_UNAVAILABLE,
        json!({"status": "unavailable", "error": problem}).to_string(),
    )
}

/// The Prometheus exposition, for whoever [`MetricsAccess`] lets in.
async fn exposition(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    match &shared.metrics {
        MetricsAccess::Local => {}
        MetricsAccess::Token(token) if token.admits(authorization) => {}
        MetricsAccess::Token(_) => {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                "/metrics needs the bearer token given by --metrics-token\n",
            )
                .into_response();
        }
        MetricsAccess::Refused => {
            return (
                StatusCode::FORBIDDEN,
                "/metrics is served off loopback only with --metrics-token (or AIMIS_INBOX_METRICS_TOKEN)\n",
            )
                .into_response();
        }
    }
    let reader = shared.clone();
    let read = tokio::time::timeout(
        HEALTH_DEADLINE,
        tokio::task::spawn_blocking(move || {
            let inbox = reader.receiver.inbox();
            let stats = inbox.stats().ok();
            let up = inbox.store().check_writable(HEALTH_LOCK_WAIT).is_ok();
            (stats, up)
        }),
    )
    .await;
    let (stats, up) = match read {
        Ok(Ok(read)) => read,
        _ => (None, false),
    };
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        crate::metrics::render(stats.as_ref(), up, &shared.latency),
    )
        .into_response()
}

async fn receive(
    State(shared): State<Arc<Shared>>,
    Extension(connection): Extension<Arc<Slot>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let started = Instant::now();
    let limit = shared.max_body;
    let worker = shared.clone();
    let read = tokio::time::timeout(shared.body_timeout, axum::body::to_bytes(body, limit)).await;
    // Whole: from here on the connection is being answered, never shed.
    let _answering = connection.answering();
    let answer = match read {
        Ok(Ok(bytes)) => {
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
        // Refusals are counted in memory: no need to leave the async workers.
        Ok(Err(e)) if over_the_limit(&e) => Ok(worker.receiver.too_large(limit)),
        Ok(Err(_)) => Ok(worker.receiver.bad_body()),
        Err(_) => Ok(worker.receiver.slow_body(shared.body_timeout)),
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
    shared.latency.observe(started.elapsed());
    let status = StatusCode::from_u16(answer.http_status).unwrap_or(StatusCode::OK);
    json_answer(status, answer.body)
}

/// Whether reading a body failed for its size (not for an aborted or malformed upload).
fn over_the_limit(error: &axum::Error) -> bool {
    std::error::Error::source(error).is_some_and(|e| e.is::<LengthLimitError>())
}

/// One line for each callback stored or not stored; refusals are summed in one line a
/// second instead (see `crate::log::refusals`), so a flood of junk costs no line each.
fn log_outcome(outcome: &Outcome) {
    match outcome {
        Outcome::Stored { id, superseded } => {
            tracing::info!(event = "stored", id, superseded);
        }
        Outcome::Duplicate { id } => tracing::info!(event = "duplicate", id),
        Outcome::StoreFailed => tracing::error!(event = "not_stored"),
        Outcome::Replay | Outcome::SameMillisecond | Outcome::Refused { .. } => {}
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
