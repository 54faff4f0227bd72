//! Verifying the platform's status callbacks on the partner's side.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::clock::{Clock, SystemClock};
use crate::credentials::Credentials;
use crate::crypto::{FieldCipher, Signer};
use crate::error::{CallbackError, Error};
use crate::message::{Callback, open_wire};
use crate::registry::Service;

/// Checks inbound callbacks: appId, timestamp freshness, signature (constant time),
/// then decrypts the patient fields and checks the required ones.
///
/// The signature covers appId and timestamp only, not the body, so a captured header
/// set can be replayed with another body inside the freshness window: keep the window
/// short and handle callbacks idempotently (`aimis inbox` does both).
///
/// Ambiguous input is refused: a security header present twice with different values,
/// or a body with a key present twice. The signer and cipher are keyed once per
/// verifier, not per callback.
#[derive(Debug, Clone)]
pub struct CallbackVerifier {
    credentials: Credentials,
    max_skew: Option<Duration>,
    clock: Arc<dyn Clock>,
    keyed: Arc<OnceLock<Keyed>>,
}

/// The signer and cipher for one service, made on first use.
#[derive(Clone, Debug)]
struct Keyed {
    service: &'static Service,
    signer: Signer,
    cipher: FieldCipher,
}

impl CallbackVerifier {
    /// A verifier of callbacks signed with these credentials.
    pub fn new(credentials: Credentials) -> Self {
        CallbackVerifier {
            credentials,
            max_skew: None,
            clock: Arc::new(SystemClock),
            keyed: Arc::default(),
        }
    }

    /// How far the timestamp may be from now, either way. Default: the spec's
    /// `max_skew_seconds` (5 minutes).
    pub fn max_skew(mut self, skew: Duration) -> Self {
        self.max_skew = Some(skew);
        self
    }

    /// Where "now" comes from, to judge the timestamp's skew. Default: the system clock.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Verifies a callback from its headers (names in any case) and its raw body.
    pub fn verify<C, K, V>(
        &self,
        headers: impl IntoIterator<Item = (K, V)>,
        body: &[u8],
    ) -> Result<C, Error>
    where
        C: Callback,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let verified = self.verify_quietly::<C, K, V>(headers, body);
        crate::trace::callback_verified(C::CALLBACK.name, &verified.as_ref().map(|_| ()));
        verified
    }

    fn verify_quietly<C, K, V>(
        &self,
        headers: impl IntoIterator<Item = (K, V)>,
        body: &[u8],
    ) -> Result<C, Error>
    where
        C: Callback,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let headers: Vec<(K, V)> = headers.into_iter().collect();
        let pairs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_ref()))
            .collect();
        self.check_headers(C::SERVICE, &pairs)?;
        let keyed = self.keyed(C::SERVICE);
        open_wire::<C>(body, &keyed.cipher).map_err(|e| match e {
            Error::Decode { message } => CallbackError::MalformedBody(message).into(),
            Error::Validation { field, rule } => CallbackError::Field { field, rule }.into(),
            Error::Crypto { field, error } => CallbackError::Field {
                field,
                rule: format!("cannot be decrypted: {error}"),
            }
            .into(),
            other => other,
        })
    }

    /// Checks appId, timestamp and signature headers against `service`'s auth scheme.
    pub fn check_headers(
        &self,
        service: &'static Service,
        headers: &[(&str, &str)],
    ) -> Result<(), CallbackError> {
        let auth = &service.auth;
        let app_id = header(headers, auth.app_id_header)?;
        let timestamp = header(headers, auth.timestamp_header)?;
        let signature = header(headers, auth.signature_header)?;
        if app_id != self.credentials.app_id() {
            return Err(CallbackError::AppIdMismatch);
        }
        let sent: u64 = timestamp.parse().map_err(|_| CallbackError::BadTimestamp)?;
        let sent_ms = auth.timestamp.millis(sent);
        let skew = self
            .max_skew
            .unwrap_or(Duration::from_secs(auth.max_skew_seconds));
        let now = self.clock.now_millis();
        if now > sent_ms && Duration::from_millis(now - sent_ms) > skew {
            return Err(CallbackError::Stale(Duration::from_millis(now - sent_ms)));
        }
        if sent_ms > now && Duration::from_millis(sent_ms - now) > skew {
            return Err(CallbackError::FromFuture(Duration::from_millis(
                sent_ms - now,
            )));
        }
        if !self
            .keyed(service)
            .signer
            .verify(app_id, timestamp, signature)
        {
            return Err(CallbackError::BadSignature);
        }
        Ok(())
    }

    fn keyed(&self, service: &'static Service) -> std::borrow::Cow<'_, Keyed> {
        let token = self.credentials.token();
        let make = || Keyed {
            service,
            signer: Signer::new(token, &service.auth),
            cipher: FieldCipher::new(token, &service.cipher),
        };
        let keyed = self.keyed.get_or_init(make);
        if std::ptr::eq(keyed.service, service) {
            std::borrow::Cow::Borrowed(keyed)
        } else {
            // A second spec verified by the same verifier (tests do this): keyed anew.
            std::borrow::Cow::Owned(make())
        }
    }
}

/// The value of a security header, names in any case. Present twice with different
/// values is ambiguous (which one did the signer check?) and refused.
fn header<'h>(headers: &[(&str, &'h str)], name: &'static str) -> Result<&'h str, CallbackError> {
    let mut values = headers
        .iter()
        .filter(|(k, _)| k.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim());
    let first = values.next().ok_or(CallbackError::MissingHeader(name))?;
    if values.any(|other| other != first) {
        return Err(CallbackError::DuplicateHeader(name));
    }
    Ok(first)
}
