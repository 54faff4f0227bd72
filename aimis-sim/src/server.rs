//! The HTTP side: one route per endpoint of the spec, faults applied before the
//! platform sees a request, and an accept loop that can reset a connection on purpose.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use aimis::SERVICE;
use aimis::registry::EndpointDef;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, on};
use bytes::Bytes;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::Shared;
use crate::faults::FaultKind;
use crate::hold::hold;
use crate::platform::{Refusal, envelope};
use crate::requests::RequestRecord;

/// Marks a response that must not be sent: the connection is reset instead.
#[derive(Clone, Copy, Debug)]
struct ResetConnection;

/// The platform's routes, from the spec's endpoint paths (`{appId}` is axum's syntax too).
pub(crate) fn api_routes() -> Router<Arc<Shared>> {
    let mut router = Router::new();
    for endpoint in SERVICE.endpoints {
        let method = Method::from_bytes(endpoint.method.as_bytes()).unwrap_or(Method::POST);
        let filter = MethodFilter::try_from(method).unwrap_or(MethodFilter::POST);
        let handler =
            move |state: State<Arc<Shared>>,
                  path: Path<String>,
                  headers: HeaderMap,
                  body: Bytes| { api(state, path, headers, body, endpoint) };
        router = router.route(endpoint.path, on(filter, handler));
    }
    router
}

async fn api(
    State(shared): State<Arc<Shared>>,
    Path(app_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
    endpoint: &'static EndpointDef,
) -> Response {
    let fault = shared.faults().pick(endpoint.name);
    let mut record = RequestRecord::new(endpoint.name);
    record.fault = fault.clone();
    // Logged on arrival: a client that gives up during a delay still counts as a try.
    let entry = shared.log(record);
    // The endpoint and the fault only: requests carry patient data.
    tracing::info!(event = "request", endpoint = endpoint.name, fault = ?fault);
    match fault {
        Some(FaultKind::Latency { ms }) => {
            hold(Duration::from_millis(ms)).await;
            answer(&shared, endpoint, &app_id, &headers, &body, entry)
        }
        Some(FaultKind::Status { status }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            (
                status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                format!("{status}\n"),
            )
                .into_response()
        }
        Some(FaultKind::Reset) => {
            let mut response = Response::new(Body::empty());
            response.extensions_mut().insert(ResetConnection);
            response
        }
        Some(FaultKind::Truncate) => {
            let full = answer(&shared, endpoint, &app_id, &headers, &body, entry);
            truncated(full).await
        }
        Some(FaultKind::Html { status }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
            let page = format!(
                "<html>\r\n<head><title>{status}</title></head>\r\n<body>\r\n<center><h1>{status}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
            );
            (status, [(header::CONTENT_TYPE, "text/html")], page).into_response()
        }
        Some(FaultKind::Code { code }) => {
            shared.set_code(entry, code);
            let name = SERVICE.error_name(code).unwrap_or("error");
            let refusal = Refusal::new(code, format!("{name} (simulated)"));
            json_response(StatusCode::OK, &envelope(&Err(refusal)))
        }
        Some(FaultKind::ContentType { content_type }) => {
            let mut response = answer(&shared, endpoint, &app_id, &headers, &body, entry);
            let value = HeaderValue::from_str(&content_type)
                .unwrap_or(HeaderValue::from_static("text/plain"));
            response.headers_mut().insert(header::CONTENT_TYPE, value);
            response
        }
        None => answer(&shared, endpoint, &app_id, &headers, &body, entry),
    }
}

/// The platform's answer, always HTTP 200 with the envelope, as AIMIS does.
fn answer(
    shared: &Shared,
    endpoint: &EndpointDef,
    app_id: &str,
    headers: &HeaderMap,
    body: &[u8],
    entry: u64,
) -> Response {
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str(), v)))
        .collect();
    let outcome = shared.platform.answer(endpoint, app_id, &pairs, body);
    shared.set_code(
        entry,
        match &outcome {
            Ok(_) => SERVICE.envelope.success,
            Err(refusal) => refusal.code,
        },
    );
    json_response(StatusCode::OK, &envelope(&outcome))
}

pub(crate) fn json_response(status: StatusCode, value: &serde_json::Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        value.to_string(),
    )
        .into_response()
}

/// The same headers, a Content-Length for the whole body, and half of it.
async fn truncated(full: Response) -> Response {
    let (mut parts, body) = full.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let half = bytes.slice(..bytes.len() / 2);
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    // A stream has no exact size, so hyper keeps our Content-Length and, when the
    // stream ends early, closes the connection: the client sees a short body.
    let stream = futures_util::stream::iter([Ok::<_, io::Error>(half)]);
    Response::from_parts(parts, Body::from_stream(stream))
}

/// A server on a thread of its own, with its own runtime; dropping it stops the server
/// and joins the thread.
pub(crate) struct Background {
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Background {
    /// Serves `router` on `listener` (non-blocking) until dropped.
    pub(crate) fn spawn(
        name: &str,
        runtime: tokio::runtime::Runtime,
        listener: std::net::TcpListener,
        router: Router,
        tls: Option<TlsAcceptor>,
    ) -> io::Result<Self> {
        let (stop, stopped) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                runtime.block_on(async move {
                    if let Ok(listener) = TcpListener::from_std(listener) {
                        serve(listener, router, tls, stopped).await;
                    }
                });
                // Connections still open are dropped with the runtime, without waiting.
                runtime.shutdown_background();
            })?;
        Ok(Background {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Accepts connections until `shutdown` fires.
async fn serve(
    listener: TcpListener,
    router: Router,
    tls: Option<TlsAcceptor>,
    mut shutdown: oneshot::Receiver<()>,
) {
    loop {
        let (stream, _) = tokio::select! {
            _ = &mut shutdown => return,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors and the like: wait and go on.
                Err(_) => { tokio::time::sleep(Duration::from_millis(50)).await; continue; }
            },
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            let reset = Arc::new(AtomicBool::new(false));
            let stream = Resettable {
                inner: stream,
                reset: reset.clone(),
            };
            match tls {
                Some(acceptor) => {
                    if let Ok(stream) = acceptor.accept(stream).await {
                        connection(stream, router, reset).await;
                    }
                }
                None => connection(stream, router, reset).await,
            }
        });
    }
}

async fn connection<S>(stream: S, router: Router, reset: Arc<AtomicBool>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let router = router.clone();
        let reset = reset.clone();
        async move {
            let response = match router.oneshot(request.map(Body::new)).await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            if response.extensions().get::<ResetConnection>().is_some() {
                reset.store(true, Ordering::SeqCst);
                // An error from the service makes hyper drop the connection unanswered.
                return Err(io::Error::new(
                    io::ErrorKind::ConnectionReset,
                    "fault injection: reset",
                ));
            }
            Ok(response)
        }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

/// A TCP stream that, once marked, is closed with a reset (SO_LINGER 0) instead of a FIN.
struct Resettable {
    inner: TcpStream,
    reset: Arc<AtomicBool>,
}

impl Drop for Resettable {
    fn drop(&mut self) {
        if self.reset.load(Ordering::SeqCst) {
            #[allow(deprecated)] // set_linger blocks only with a non-zero timeout.
            let _ = self.inner.set_linger(Some(Duration::ZERO));
        }
    }
}

impl AsyncRead for Resettable {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for Resettable {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
