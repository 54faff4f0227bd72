//! The partner's side of status callbacks, for the demo and for tests: a loopback
//! endpoint that verifies each callback with [`aimis::CallbackVerifier`] and answers
//! as a partner should.

use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use aimis::{CallbackVerifier, Credentials, SERVICE};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::post;
use serde_json::Value;

/// One callback as received and what verification made of it. Holds patient data in
/// the clear once verified; Debug shows none of it.
#[derive(Clone)]
pub struct Received {
    /// The headers, as sent.
    pub headers: Vec<(String, String)>,
    /// The raw body, as sent (patient fields encrypted).
    pub body: Vec<u8>,
    /// The verified callback with patient fields decrypted, or why it was refused.
    pub outcome: Result<Value, String>,
    /// Whether this receiver refused it on purpose (see [`CallbackReceiver::refuse_first`]).
    pub refused_on_purpose: bool,
}

impl fmt::Debug for Received {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Received")
            .field("body_len", &self.body.len())
            .field("verified", &self.outcome.is_ok())
            .field("refused_on_purpose", &self.refused_on_purpose)
            .finish_non_exhaustive()
    }
}

struct Inbox {
    verifier: CallbackVerifier,
    refuse: AtomicU32,
    received: Mutex<Vec<Received>>,
}

/// A running callback receiver; dropping it stops it.
pub struct CallbackReceiver {
    addr: SocketAddr,
    inbox: Arc<Inbox>,
    _server: crate::server::Background,
}

impl fmt::Debug for CallbackReceiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackReceiver")
            .field("url", &self.url())
            .finish_non_exhaustive()
    }
}

impl CallbackReceiver {
    /// Listens on an ephemeral loopback port and verifies callbacks for these credentials.
    pub fn start(credentials: Credentials) -> std::io::Result<Self> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let inbox = Arc::new(Inbox {
            verifier: CallbackVerifier::new(credentials),
            refuse: AtomicU32::new(0),
            received: Mutex::new(Vec::new()),
        });
        let router = Router::new()
            .route("/", post(receive))
            .with_state(inbox.clone());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let server = crate::server::Background::spawn(
            "aimis-callback-receiver",
            runtime,
            listener,
            router,
            None,
        )?;
        Ok(CallbackReceiver {
            addr,
            inbox,
            _server: server,
        })
    }

    /// The URL to give the simulator: `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Answers the next `n` callbacks with a failure code, whatever they hold, so that
    /// the sender's retries can be seen.
    pub fn refuse_first(&self, n: u32) {
        self.inbox.refuse.store(n, Ordering::SeqCst);
    }

    /// Every callback received so far.
    pub fn received(&self) -> Vec<Received> {
        self.inbox
            .received
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

async fn receive(
    State(inbox): State<Arc<Inbox>>,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    let headers: Vec<(String, String)> = headers
        .iter()
        .filter_map(|(k, v)| {
            v.to_str()
                .ok()
                .map(|v| (k.as_str().to_owned(), v.to_owned()))
        })
        .collect();
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let outcome =
        aimis::json::verify_callback(&inbox.verifier, &SERVICE.callbacks[0], &pairs, &body)
            .map_err(|e| e.to_string());
    let refused_on_purpose = inbox
        .refuse
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    let answer = match (&outcome, refused_on_purpose) {
        (_, true) => aimis::callback_failure(1, "not now, try again"),
        (Ok(_), false) => aimis::callback_ack(),
        (Err(why), false) => aimis::callback_failure(1, why),
    };
    inbox
        .received
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(Received {
            headers,
            body: body.to_vec(),
            outcome,
            refused_on_purpose,
        });
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        answer,
    )
}
