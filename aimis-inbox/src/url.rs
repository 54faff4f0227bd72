//! `--store` URLs: `sqlite:PATH` and `postgres://...`.

use std::path::PathBuf;

use crate::error::InboxError;

/// The store when `--store` is not given.
pub const DEFAULT_STORE: &str = "sqlite:aimis-inbox.db";

const RULE: &str =
    "must be sqlite:PATH (such as sqlite:aimis-inbox.db) or postgres://USER@HOST/DATABASE";

/// A parsed store URL.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreUrl {
    Sqlite(PathBuf),
    /// The URL as given (libpq's URL form).
    Postgres(String),
}

/// A PostgreSQL URL may carry a password: Debug shows its scheme only.
impl std::fmt::Debug for StoreUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreUrl::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            StoreUrl::Postgres(_) => f.write_str("Postgres(\"postgres://...\")"),
        }
    }
}

impl StoreUrl {
    pub fn parse(url: &str) -> Result<StoreUrl, InboxError> {
        // Only the scheme is ever shown: a postgres URL may carry a password.
        let scheme = url.split_once(':').map_or(url, |(s, _)| s);
        let bad = |rule: String| InboxError::BadStoreUrl {
            shown: if url.contains('@') {
                format!("{scheme}:...")
            } else {
                url.to_owned()
            },
            rule,
        };
        if let Some(path) = url.strip_prefix("sqlite:") {
            // sqlite://PATH is a common spelling of the same thing.
            let path = path.strip_prefix("//").unwrap_or(path);
            if path.is_empty() {
                return Err(bad(format!("the path is empty; {RULE}")));
            }
            return Ok(StoreUrl::Sqlite(PathBuf::from(path)));
        }
        if scheme.eq_ignore_ascii_case("postgres") || scheme.eq_ignore_ascii_case("postgresql") {
            return Ok(StoreUrl::Postgres(url.to_owned()));
        }
        Err(bad(RULE.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sqlite_and_names_the_rule_otherwise() {
        assert_eq!(
            StoreUrl::parse("sqlite:a/b.db").unwrap(),
            StoreUrl::Sqlite("a/b.db".into())
        );
        assert_eq!(
            StoreUrl::parse("sqlite:///tmp/x.db").unwrap(),
            StoreUrl::Sqlite("/tmp/x.db".into())
        );
        let e = StoreUrl::parse("mysql://h/db").unwrap_err().to_string();
        assert!(
            e.starts_with("--store mysql://h/db: must be sqlite:PATH"),
            "{e}"
        );
        let e = StoreUrl::parse("sqlite:").unwrap_err().to_string();
        assert!(e.contains("the path is empty"), "{e}");
        let pg = StoreUrl::parse("postgres://u:secret@h/db").unwrap();
        assert!(matches!(pg, StoreUrl::Postgres(_)));
        assert!(!format!("{pg:?}").contains("secret"));
        let e = StoreUrl::parse("mysql://u:secret@h/db")
            .unwrap_err()
            .to_string();
        assert!(!e.contains("secret"), "{e}");
    }
}
