use std::fmt;

use zeroize::Zeroizing;

use crate::error::Error;

/// The length the token must have: it is the AES-256 key of the field cipher.
pub const TOKEN_LEN: usize = 32;

/// The secret the platform assigned to a partner. Redacted in Debug, zeroized on drop.
#[derive(Clone)]
pub struct Token(Zeroizing<String>);

impl Token {
    /// Checks the length: exactly [`TOKEN_LEN`] bytes.
    pub fn new(token: impl Into<String>) -> Result<Self, Error> {
        let token = Zeroizing::new(token.into());
        if token.len() != TOKEN_LEN {
            return Err(Error::Config {
                message: format!(
                    "the token must be exactly {TOKEN_LEN} bytes, this one has {}",
                    token.len()
                ),
            });
        }
        Ok(Token(token))
    }

    /// The token itself, for keying the signer and the cipher.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// A partner's app id and token, both assigned by the platform.
#[derive(Clone, Debug)]
pub struct Credentials {
    app_id: String,
    token: Token,
}

impl Credentials {
    /// Refuses an empty app id, one with characters that cannot go in a URL path
    /// segment as they are, and a token that is not exactly [`TOKEN_LEN`] bytes.
    pub fn new(app_id: impl Into<String>, token: impl Into<String>) -> Result<Self, Error> {
        let app_id = app_id.into();
        if app_id.is_empty() {
            return Err(Error::Config {
                message: "the app id is empty".into(),
            });
        }
        if !app_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        {
            return Err(Error::Config {
                message: "the app id may hold only ASCII letters, digits, '-', '_' and '.'".into(),
            });
        }
        Ok(Credentials {
            app_id,
            token: Token::new(token)?,
        })
    }

    /// The app id the platform issued.
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// The token, which signs requests and encrypts patient fields.
    pub fn token(&self) -> &Token {
        &self.token
    }
}
