//! Admin routes under `/__admin`, a prefix no AIMIS path can have: drive the simulator
//! from tests in any language (faults, study status, callbacks, the request log).
//!
//! They can point the simulator's callbacks anywhere, so each needs the admin token:
//! `Authorization: Bearer <token>`.

use std::sync::Arc;

use aimis::StudyStatus;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post, put};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::faults::Fault;
use crate::server::json_response;
use crate::storm::Storm;
use crate::{AdvanceError, Shared};

pub(crate) const PREFIX: &str = "/__admin";

pub(crate) fn routes(shared: Arc<Shared>) -> Router<Arc<Shared>> {
    Router::new()
        .route("/requests", get(requests).delete(clear_requests))
        .route("/faults", get(faults).post(add_fault).delete(clear_faults))
        .route("/callback-url", put(set_callback_url))
        .route("/callbacks", get(deliveries))
        .route("/studies/{study_id}/status", post(advance))
        .route("/storm", post(storm))
        .route_layer(middleware::from_fn_with_state(shared, authorised))
}

/// Lets through only requests that carry the admin token.
async fn authorised(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !shared.admin_token_is(presented) {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "the admin routes need `Authorization: Bearer <admin token>`; the token is printed at start or set with --admin-token",
        );
    }
    next.run(request).await
}

fn ok(value: Value) -> Response {
    json_response(StatusCode::OK, &value)
}

fn refuse(status: StatusCode, error: impl Into<String>) -> Response {
    json_response(status, &json!({ "error": error.into() }))
}

/// The body as `T`, or the 400 answer saying why not (boxed: a response is large).
fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, Box<Response>> {
    serde_json::from_slice(body).map_err(|e| {
        Box::new(refuse(
            StatusCode::BAD_REQUEST,
            format!("the body is not the expected JSON: {e}"),
        ))
    })
}

async fn requests(State(shared): State<Arc<Shared>>) -> Response {
    ok(json!(shared.requests()))
}

async fn clear_requests(State(shared): State<Arc<Shared>>) -> Response {
    shared.clear_requests();
    ok(json!({}))
}

async fn faults(State(shared): State<Arc<Shared>>) -> Response {
    ok(json!(shared.faults().list()))
}

async fn add_fault(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let fault: Fault = match parse(&body) {
        Ok(fault) => fault,
        Err(response) => return *response,
    };
    if let Err(e) = fault.check() {
        return refuse(StatusCode::BAD_REQUEST, e.to_string());
    }
    shared.faults().add(fault);
    ok(json!(shared.faults().list()))
}

async fn clear_faults(State(shared): State<Arc<Shared>>) -> Response {
    shared.faults().clear();
    ok(json!([]))
}

async fn set_callback_url(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        url: Option<String>,
    }
    match parse::<Body>(&body) {
        Ok(Body { url }) => {
            shared.set_callback_url(url.clone());
            ok(json!({ "url": url }))
        }
        Err(response) => *response,
    }
}

async fn deliveries(State(shared): State<Arc<Shared>>) -> Response {
    ok(json!(shared.deliveries()))
}

/// `{"status": 1}` or `{"status": "ReportReady"}`: sets the study's status and sends
/// the callback; answers with the delivery once the partner accepted or the retries
/// ran out.
async fn advance(
    State(shared): State<Arc<Shared>>,
    Path(study_id): Path<String>,
    body: Bytes,
) -> Response {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        status: Value,
    }
    let status = match parse::<Body>(&body).map(|b| b.status) {
        Ok(Value::Number(n)) => n.as_i64().and_then(|n| StudyStatus::DEF.by_value(n)),
        Ok(Value::String(name)) => StudyStatus::DEF.parse(&name),
        Ok(_) => None,
        Err(response) => return *response,
    };
    let Some(status) = status else {
        return refuse(
            StatusCode::BAD_REQUEST,
            format!("`status` must be one of {}", StudyStatus::DEF.choices()),
        );
    };
    let status = StudyStatus::from_code(status.value);
    let outcome = tokio::task::spawn_blocking(move || shared.advance(&study_id, status)).await;
    match outcome {
        Ok(Ok(delivery)) => ok(json!(delivery)),
        Ok(Err(e @ AdvanceError::UnknownStudy)) => refuse(StatusCode::NOT_FOUND, e.to_string()),
        Ok(Err(e @ AdvanceError::NoCallbackUrl)) => refuse(StatusCode::CONFLICT, e.to_string()),
        Ok(Err(e @ AdvanceError::Callback(_))) => {
            refuse(StatusCode::UNPROCESSABLE_ENTITY, e.to_string())
        }
        Err(_) => refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "the simulator is shutting down",
        ),
    }
}

/// `{"studies": 500, "concurrency": 16, "duplicates": 1, "outOfOrder": true}` (each
/// optional): sends that storm to the callback URL and answers with its report once it
/// is over.
async fn storm(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let storm: Storm = match parse(&body) {
        Ok(storm) => storm,
        Err(response) => return *response,
    };
    if let Err(e) = storm.check() {
        return refuse(StatusCode::BAD_REQUEST, e);
    }
    match tokio::task::spawn_blocking(move || shared.storm(&storm)).await {
        Ok(Ok(report)) => ok(json!(report)),
        Ok(Err(e)) => refuse(StatusCode::CONFLICT, e),
        Err(_) => refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "the simulator is shutting down",
        ),
    }
}
