//! Which proxy a client uses: the one it was given, else the environment's, as curl
//! and requests read it (`HTTPS_PROXY`, `https_proxy` or `ALL_PROXY` for https; only
//! the lowercase `http_proxy` or `ALL_PROXY` for http, since a web server may set
//! `HTTP_PROXY` from a request header), unless `NO_PROXY` names the host. Loopback is
//! never proxied: a proxy cannot reach this machine's loopback.

use super::base_url;
use crate::error::Error;

/// The proxy URL for a client of `base_url` (already checked: absolute, no user info).
pub(crate) fn choose(
    explicit: Option<&str>,
    from_env: bool,
    base_url: &str,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Option<ureq::Proxy>, Error> {
    let (url, source) = match explicit {
        Some(url) => (url.to_owned(), "proxy"),
        None if !from_env => return Ok(None),
        None => {
            let uri: ureq::http::Uri = base_url.parse().map_err(|_| Error::config("base URL"))?;
            let host = uri.host().unwrap_or_default();
            if base_url::is_loopback(host)
                || excluded(host, env("NO_PROXY").or_else(|| env("no_proxy")))
            {
                return Ok(None);
            }
            let names: &[&str] = if uri.scheme_str() == Some("https") {
                &["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]
            } else {
                &["http_proxy", "ALL_PROXY", "all_proxy"]
            };
            match names.iter().find_map(|name| {
                env(name)
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| (v, *name))
            }) {
                Some(found) => found,
                None => return Ok(None),
            }
        }
    };
    // ureq's message is not passed on: a proxy URL may carry a password.
    let proxy = ureq::Proxy::new(url.trim()).map_err(|_| {
        Error::config(format!(
            "{source} is not a valid proxy URL (http://host:port)"
        ))
    })?;
    Ok(Some(proxy))
}

/// Whether `NO_PROXY` (`*`, or names and addresses separated by commas, a name also
/// covering its subdomains, with or without a leading dot) names `host`.
fn excluded(host: &str, no_proxy: Option<String>) -> bool {
    let Some(list) = no_proxy else {
        return false;
    };
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    list.split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .any(|entry| {
            let entry = entry
                .trim_start_matches("*.")
                .trim_start_matches('.')
                .to_ascii_lowercase();
            entry == "*"
                || host == entry
                || host
                    .strip_suffix(&entry)
                    .is_some_and(|rest| rest.ends_with('.'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen(base: &str, vars: &[(&str, &str)]) -> Option<String> {
        let env = |name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        };
        choose(None, true, base, env)
            .unwrap()
            .map(|p| format!("{}:{}", p.host(), p.port()))
    }

    #[test]
    fn the_environment_is_read_as_curl_reads_it() {
        let https = [("HTTPS_PROXY", "http://proxy.local:3128")];
        assert_eq!(
            chosen("https://pacs.qq.com", &https).as_deref(),
            Some("proxy.local:3128")
        );
        let lower = [("https_proxy", "http://lower.local:8080")];
        assert_eq!(
            chosen("https://pacs.qq.com", &lower).as_deref(),
            Some("lower.local:8080")
        );
        let all = [("ALL_PROXY", "http://all.local:1")];
        assert_eq!(
            chosen("https://pacs.qq.com", &all).as_deref(),
            Some("all.local:1")
        );
        // HTTP_PROXY may come from a request header (httpoxy): only the lowercase counts.
        assert_eq!(
            chosen("http://his.local", &[("HTTP_PROXY", "http://x:1")]),
            None
        );
        assert_eq!(
            chosen("http://his.local", &[("http_proxy", "http://x:1")]).as_deref(),
            Some("x:1")
        );
        assert_eq!(chosen("https://pacs.qq.com", &[]), None);
    }

    #[test]
    fn no_proxy_and_loopback_go_direct() {
        let with = |no_proxy: &str| {
            chosen(
                "https://test.pacs.qq.com",
                &[
                    ("HTTPS_PROXY", "http://proxy.local:3128"),
                    ("NO_PROXY", no_proxy),
                ],
            )
        };
        for direct in [
            "*",
            "test.pacs.qq.com",
            "qq.com",
            ".qq.com",
            "*.qq.com",
            "a.b, QQ.COM ",
        ] {
            assert_eq!(with(direct), None, "{direct}");
        }
        for proxied in ["q.com", "pacs.qq.com.cn", "other.example", ""] {
            assert!(with(proxied).is_some(), "{proxied}");
        }
        for base in [
            "https://127.0.0.1:8600",
            "https://[::1]:8600",
            "https://localhost",
        ] {
            assert_eq!(
                chosen(base, &[("HTTPS_PROXY", "http://proxy.local:3128")]),
                None
            );
        }
    }

    #[test]
    fn an_explicit_proxy_wins_and_the_environment_can_be_ignored() {
        let env = |_: &str| Some("http://env.local:1".to_owned());
        let explicit = choose(
            Some("http://mine.local:2"),
            true,
            "https://pacs.qq.com",
            env,
        )
        .unwrap();
        assert_eq!(explicit.unwrap().host(), "mine.local");
        assert!(
            choose(None, false, "https://pacs.qq.com", env)
                .unwrap()
                .is_none()
        );
        let bad = choose(None, true, "https://pacs.qq.com", |_| {
            Some("http://u:s3cret@[::1".into())
        });
        let message = bad.unwrap_err().to_string();
        assert!(
            message.contains("HTTPS_PROXY is not a valid proxy URL") && !message.contains("s3cret"),
            "{message}"
        );
    }
}
