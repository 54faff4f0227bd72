//! Fault injection: the ways a real network and a real platform misbehave, so that
//! clients can be tested against each of them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One way to misbehave, and when.
///
/// JSON (admin route): `{"kind": "status", "status": 503, "times": 2}`. Text (`--fault`):
/// `status=503,times=2`. Without `times` or `probability` it applies to every request
/// until the faults are cleared; with `times` to the next that many requests; with
/// `probability` to each request with that chance (and at most `times` if both are given).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    #[serde(flatten)]
    pub kind: FaultKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// Only requests to this endpoint (any spelling); default: every endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
}

/// What happens to a request hit by a fault.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum FaultKind {
    /// Wait this long, then answer normally.
    Latency { ms: u64 },
    /// Answer with this HTTP status (5xx) and a short text body.
    Status { status: u16 },
    /// Close the connection with a TCP reset, sending nothing.
    Reset,
    /// Send the headers and half the body, then close the connection.
    Truncate,
    /// Answer with an HTML error page, as a gateway does (default status 502).
    Html {
        #[serde(default = "bad_gateway")]
        status: u16,
    },
    /// Answer normally but with this Content-Type.
    ContentType {
        #[serde(rename = "contentType")]
        content_type: String,
    },
    /// Answer HTTP 200 with this platform code (such as 90003, FetchLimitExceeded).
    Code { code: i64 },
}

fn bad_gateway() -> u16 {
    502
}

/// A fault string that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultParseError(String);

impl fmt::Display for FaultParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FaultParseError {}

/// `latency=1500`, `status=503`, `reset`, `truncate`, `html[=502]`,
/// `content-type=text/html`, `code=90003`, each optionally followed by `,times=N`, `,probability=P`,
/// `,endpoint=NAME`.
impl FromStr for Fault {
    type Err = FaultParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = |why: String| FaultParseError(format!("fault `{text}`: {why}"));
        let mut parts = text.split(',').map(str::trim);
        let head = parts.next().unwrap_or_default();
        let (kind, value) = match head.split_once('=') {
            Some((k, v)) => (k.trim(), Some(v.trim())),
            None => (head, None),
        };
        let number = |what: &str| -> Result<u64, FaultParseError> {
            value
                .ok_or_else(|| err(format!("`{kind}` needs a value: {kind}={what}")))?
                .parse()
                .map_err(|_| err(format!("`{kind}` takes a whole number ({what})")))
        };
        let kind = match kind {
            "latency" => FaultKind::Latency {
                ms: number("milliseconds")?,
            },
            "status" => FaultKind::Status {
                status: http_status(number("an HTTP status")?)
                    .ok_or_else(|| err("not an HTTP status".into()))?,
            },
            "reset" => FaultKind::Reset,
            "truncate" => FaultKind::Truncate,
            "html" => FaultKind::Html {
                status: match value {
                    Some(_) => http_status(number("an HTTP status")?)
                        .ok_or_else(|| err("not an HTTP status".into()))?,
                    None => bad_gateway(),
                },
            },
            "code" => FaultKind::Code {
                code: value
                    .ok_or_else(|| err("needs a value: code=N".into()))?
                    .parse()
                    .map_err(|_| err("`code` takes a whole number (a platform code)".into()))?,
            },
            "content-type" => FaultKind::ContentType {
                content_type: value
                    .filter(|v| !v.is_empty())
                    .ok_or_else(|| err("needs a value: content-type=TYPE".into()))?
                    .to_owned(),
            },
            other => {
                return Err(err(format!(
                    "unknown kind `{other}`; expected latency=MS, status=CODE, reset, truncate, html[=CODE], content-type=TYPE or code=N"
                )));
            }
        };
        let mut fault = Fault {
            kind,
            times: None,
            probability: None,
            endpoint: None,
        };
        for part in parts {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| err(format!("`{part}` should be KEY=VALUE")))?;
            match key.trim() {
                "times" => {
                    fault.times = Some(
                        value
                            .trim()
                            .parse()
                            .map_err(|_| err("times takes a whole number".into()))?,
                    )
                }
                "probability" => {
                    let p: f64 = value
                        .trim()
                        .parse()
                        .map_err(|_| err("probability takes a number from 0 to 1".into()))?;
                    if !(0.0..=1.0).contains(&p) {
                        return Err(err("probability takes a number from 0 to 1".into()));
                    }
                    fault.probability = Some(p);
                }
                "endpoint" => fault.endpoint = Some(value.trim().to_owned()),
                other => {
                    return Err(err(format!(
                        "unknown option `{other}`; expected times, probability or endpoint"
                    )));
                }
            }
        }
        Ok(fault)
    }
}

fn http_status(n: u64) -> Option<u16> {
    u16::try_from(n).ok().filter(|s| (100..=599).contains(s))
}

impl Fault {
    /// Checks values that JSON can hold but that make no sense.
    pub fn check(&self) -> Result<(), FaultParseError> {
        if self.times == Some(0) {
            return Err(FaultParseError("times must be at least 1".into()));
        }
        if let Some(p) = self.probability
            && !(0.0..=1.0).contains(&p)
        {
            return Err(FaultParseError(
                "probability takes a number from 0 to 1".into(),
            ));
        }
        if let FaultKind::Status { status } | FaultKind::Html { status } = self.kind
            && !(100..=599).contains(&status)
        {
            return Err(FaultParseError(
                "status must be an HTTP status, 100 to 599".into(),
            ));
        }
        if let Some(endpoint) = &self.endpoint
            && aimis::SERVICE.endpoint(endpoint).is_none()
        {
            return Err(FaultParseError(format!(
                "endpoint `{endpoint}` is not in the spec"
            )));
        }
        Ok(())
    }
}

/// The faults in force, in the order they were added.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    active: Vec<Fault>,
}

impl Faults {
    pub fn add(&mut self, fault: Fault) {
        self.active.push(fault);
    }

    pub fn clear(&mut self) {
        self.active.clear();
    }

    pub fn list(&self) -> Vec<Fault> {
        self.active.clone()
    }

    /// The fault for this request to `endpoint`, if any; uses up one of its `times`.
    pub fn pick(&mut self, endpoint: &str) -> Option<FaultKind> {
        let index = self.active.iter().position(|f| {
            let matches = f.endpoint.as_deref().is_none_or(|e| {
                aimis::SERVICE
                    .endpoint(e)
                    .is_some_and(|d| d.name == endpoint)
            });
            matches && f.probability.is_none_or(|p| fastrand::f64() < p)
        })?;
        let fault = &mut self.active[index];
        let kind = fault.kind.clone();
        if let Some(times) = &mut fault.times {
            *times = times.saturating_sub(1);
            if *times == 0 {
                self.active.remove(index);
            }
        }
        Some(kind)
    }
}
