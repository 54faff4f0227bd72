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
        let bad = |rule: String| InboxError::BadStoreUrl {
            shown: redacted(url),
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
        let scheme = url.split_once(':').map_or(url, |(s, _)| s);
        if scheme.eq_ignore_ascii_case("postgres") || scheme.eq_ignore_ascii_case("postgresql") {
            return Ok(StoreUrl::Postgres(url.to_owned()));
        }
        Err(bad(RULE.into()))
    }
}

/// A store string as it may be shown: every password in it as `***`, whichever way it
/// is written (a URL's `user:password@`, libpq's `password=value`, quoted or not, in a
/// key-value string or a URL's query).
pub(crate) fn redacted(store: &str) -> String {
    let mut shown = redact_userinfo(store);
    let mut from = 0;
    while let Some((start, end)) = password_value(&shown, from) {
        shown.replace_range(start..end, "***");
        from = start + 3;
    }
    shown
}

/// `scheme://user:password@host` as `scheme://user:***@host`. The last `@` ends the
/// user info, so a password holding `@`, `/` or `:` is hidden whole.
fn redact_userinfo(store: &str) -> String {
    let Some(authority) = store.find("://").map(|i| i + 3) else {
        return store.to_owned();
    };
    let Some(at) = store[authority..].rfind('@').map(|i| authority + i) else {
        return store.to_owned();
    };
    match store[authority..at].find(':') {
        Some(colon) => format!("{}:***{}", &store[..authority + colon], &store[at..]),
        None => store.to_owned(),
    }
}

/// The byte range of the value of the first `password=` key at or after `from`
/// (any case, spaces allowed around `=`): up to the closing quote of a quoted value
/// (`\'` escapes one), else up to a space or `&`.
fn password_value(text: &str, from: usize) -> Option<(usize, usize)> {
    const KEY: &str = "password";
    let lower = text.to_ascii_lowercase();
    let mut search = from;
    while let Some(found) = lower[search..].find(KEY).map(|i| search + i) {
        search = found + KEY.len();
        let rest = &text[search..];
        let after_key = rest.trim_start();
        let Some(value) = after_key.strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        let start = text.len() - value.len();
        let len = match value.strip_prefix('\'') {
            Some(quoted) => {
                let mut escaped = false;
                let close = quoted.char_indices().find(|&(_, c)| {
                    let closes = c == '\'' && !escaped;
                    escaped = c == '\\' && !escaped;
                    closes
                });
                close.map_or(value.len(), |(i, _)| i + 2)
            }
            None => value
                .find(|c: char| c.is_whitespace() || c == '&')
                .unwrap_or(value.len()),
        };
        return Some((start, start + len));
    }
    None
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
            e.starts_with("store URL mysql://h/db: must be sqlite:PATH"),
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

    #[test]
    fn passwords_are_redacted_however_written() {
        for (given, shown) in [
            ("postgres://u:s3cret@h/db", "postgres://u:***@h/db"),
            (
                "postgres://u:p@ss/w:rd@h:5432/db",
                "postgres://u:***@h:5432/db",
            ),
            ("postgres://u@h/db", "postgres://u@h/db"),
            (
                "postgres://h/db?user=u&password=s3cret&sslmode=require",
                "postgres://h/db?user=u&password=***&sslmode=require",
            ),
            (
                "host=h password=s3cret dbname=db",
                "host=h password=*** dbname=db",
            ),
            (
                "host=h PASSWORD = 's3 c\\'ret' dbname=db",
                "host=h PASSWORD = *** dbname=db",
            ),
            ("password='unclosed s3cret", "password=***"),
            ("user=u password=", "user=u password=***"),
            ("sqlite:/tmp/a.db", "sqlite:/tmp/a.db"),
        ] {
            assert_eq!(redacted(given), shown, "{given}");
        }
        let e = StoreUrl::parse("host=h user=u password='s3 cret' dbname=db")
            .unwrap_err()
            .to_string();
        assert!(e.contains("password=***") && !e.contains("s3"), "{e}");
    }
}
