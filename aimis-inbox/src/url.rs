//! `--store` URLs: `sqlite:PATH`, and (not in this version) `postgres://...`.

use std::path::PathBuf;

use crate::error::InboxError;

/// The store when `--store` is not given.
pub const DEFAULT_STORE: &str = "sqlite:aimis-inbox.db";

const RULE: &str =
    "must be sqlite:PATH (such as sqlite:aimis-inbox.db) or postgres://USER@HOST/DATABASE";

/// A parsed store URL.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreUrl {
    Sqlite(PathBuf),
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
            return Err(bad(
                "PostgreSQL stores are not available in this version of aimis; use sqlite:PATH"
                    .into(),
            ));
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
        let e = StoreUrl::parse("postgres://u:secret@h/db")
            .unwrap_err()
            .to_string();
        assert!(!e.contains("secret"), "{e}");
        assert!(e.contains("not available"), "{e}");
    }
}
