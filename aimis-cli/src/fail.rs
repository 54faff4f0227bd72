//! Failures and their exit codes, mapped in one place (ARCHITECTURE.md): 2 usage or
//! validation, 3 API error, 4 transport or HTTP, 5 configuration.

use std::fmt;
use std::process::ExitCode;

use aimis::ApiCode;

/// What went wrong, as one line for stderr, and the exit code it means.
#[derive(Debug)]
pub struct Failure {
    pub kind: Kind,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Usage,
    Api,
    Transport,
    Config,
}

impl Kind {
    /// Every kind, in the order of their exit codes.
    pub const ALL: [Kind; 4] = [Kind::Usage, Kind::Api, Kind::Transport, Kind::Config];

    fn code(self) -> u8 {
        match self {
            Kind::Usage => 2,
            Kind::Api => 3,
            Kind::Transport => 4,
            Kind::Config => 5,
        }
    }

    /// When a command exits with this kind's code, for `--help`.
    fn meaning(self) -> &'static str {
        match self {
            Kind::Usage => {
                "usage or validation: a bad option or input, a field breaking the spec (nothing was sent)"
            }
            Kind::Api => {
                "the platform answered with an error code (its code and message on stderr)"
            }
            Kind::Transport => {
                "transport or HTTP: the platform could not be reached, did not answer in time, or answered with an HTTP error"
            }
            Kind::Config => {
                "configuration: credentials (the token must be 32 characters), base URL, proxy, CA file"
            }
        }
    }

    pub fn exit_code(self) -> ExitCode {
        ExitCode::from(self.code())
    }
}

/// The exit codes, for a command's `--help`: every kind's, then what is particular to
/// the command (`notes`, one line each).
pub fn exit_codes_help(notes: &[&str]) -> String {
    let mut help = String::from("Exit codes:\n  0  success");
    for kind in Kind::ALL {
        help.push_str(&format!("\n  {}  {}", kind.code(), kind.meaning()));
    }
    for note in notes {
        help.push_str("\n  ");
        help.push_str(note);
    }
    help
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            kind: Kind::Usage,
            message: message.into(),
        }
    }

    pub fn config(message: impl Into<String>) -> Self {
        Failure {
            kind: Kind::Config,
            message: message.into(),
        }
    }

    pub fn transport(message: impl Into<String>) -> Self {
        Failure {
            kind: Kind::Transport,
            message: message.into(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// What to do about a platform error code.
fn api_hint(code: ApiCode) -> &'static str {
    match code {
        ApiCode::InvalidToken => "check the app id and the token",
        ApiCode::InvalidSignature => "check the token and that this machine's clock is right",
        ApiCode::ParameterError => "check the request's fields",
        ApiCode::NoData => "check the patient's phone and ID numbers and the IDs in the request",
        ApiCode::StillProcessing => "the platform is still processing; try again later",
        ApiCode::FetchLimitExceeded => {
            "the platform's fetch limit was reached; slow down and try later"
        }
        _ => "the platform refused the request",
    }
}

/// Each error of the library with what to do about it. The library's messages never
/// hold the token or patient data, so they can be shown as they are.
impl From<aimis::Error> for Failure {
    fn from(error: aimis::Error) -> Self {
        use aimis::Error as E;
        let (kind, hint) = match &error {
            E::Config { .. } => (
                Kind::Config,
                "check --app-id, --token/--token-file and --base-url (or AIMIS_APP_ID, AIMIS_TOKEN, AIMIS_BASE_URL)",
            ),
            E::Validation { .. } => (
                Kind::Usage,
                "fix the value and try again; `--help` lists every field",
            ),
            E::UnknownEndpoint { .. } => (Kind::Usage, "`aimis endpoints` lists them"),
            E::Crypto { .. } => (
                Kind::Usage,
                "check that the value is the ciphertext and the token is the one it was made with",
            ),
            E::Callback(_) => (Kind::Usage, "check the headers, the body and the token"),
            E::Api { code, .. } => (Kind::Api, api_hint(ApiCode::from_code(*code))),
            E::Transport { .. } | E::Timeout(_) => (
                Kind::Transport,
                "check the network, the base URL and any proxy, then try again",
            ),
            E::Http { .. } => (
                Kind::Transport,
                "the platform or a gateway failed; try again later",
            ),
            E::Decode { .. } => (
                Kind::Transport,
                "the answer is not the platform's; check the base URL",
            ),
            _ => (Kind::Transport, "try again"),
        };
        Failure {
            kind,
            message: format!("{error}; {hint}"),
        }
    }
}
