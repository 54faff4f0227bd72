//! Which base URLs a client may be built with: https anywhere, plain http only to
//! loopback. Parsed with the same parser (`http::Uri`) that decides where ureq
//! connects, so the host checked is the host reached.

use std::net::IpAddr;

use ureq::http::Uri;

use crate::error::Error;

/// The base URL without a trailing slash, or why it is refused. Error messages never
/// repeat the URL itself: it may carry credentials.
pub(crate) fn check(url: &str, allow_insecure_http: bool) -> Result<String, Error> {
    let url = url.trim_end_matches('/');
    let uri: Uri = url
        .parse()
        .map_err(|_| Error::config("base URL is not a valid absolute URL"))?;
    let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
        return Err(Error::config(
            "base URL must be absolute, such as https://pacs.qq.com",
        ));
    };
    if authority.as_str().contains('@') {
        return Err(Error::config(
            "base URL must not hold user info (user:password@); AIMIS authenticates with signed headers",
        ));
    }
    if uri.query().is_some() || url.contains('#') {
        return Err(Error::config("base URL must not have a query or fragment"));
    }
    let host = authority.host();
    if host.is_empty() {
        return Err(Error::config("base URL has no host"));
    }
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(url.to_owned()),
        "http" if allow_insecure_http || is_loopback(host) => Ok(url.to_owned()),
        "http" => Err(Error::config(format!(
            "base URL: plain http is allowed only to loopback hosts, not `{host}`; use https or allow insecure http"
        ))),
        _ => Err(Error::config(
            "base URL: expected https:// (or http:// to loopback)",
        )),
    }
}

/// `localhost` in any case, with or without its trailing dot, and loopback addresses
/// (IPv4-mapped IPv6 included). Anything percent-encoded is not a loopback name.
pub(super) fn is_loopback(host: &str) -> bool {
    let name = host.strip_suffix('.').unwrap_or(host);
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let address = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    match address.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.is_loopback(),
        Ok(IpAddr::V6(v6)) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(url: &str) -> bool {
        check(url, false).is_ok()
    }

    #[test]
    fn https_anywhere_http_only_to_loopback() {
        for good in [
            "https://pacs.qq.com",
            "https://pacs.qq.com/",
            "https://pacs.qq.com:8443/prefix",
            "http://127.0.0.1:8600",
            "http://127.8.9.10",
            "http://localhost:8600",
            "http://LocalHost:8600",
            "http://localhost.:8600",
            "HTTP://localhost",
            "http://[::1]:8600",
            "http://[::ffff:127.0.0.1]:8600",
        ] {
            assert!(allowed(good), "{good}");
        }
        for bad in [
            "http://pacs.qq.com",
            "http://10.0.0.1",
            "http://localhost.example.com",
            "http://localhostx",
            "http://[::2]",
            "http://127.0.0.%31",
            "http://%6cocalhost",
            "http://0x7f.0.0.1",
            "ftp://localhost",
            "pacs.qq.com",
            "/thirdparty",
            "",
        ] {
            assert!(!allowed(bad), "{bad}");
        }
    }

    #[test]
    fn user_info_is_refused_and_never_repeated() {
        for url in [
            "http://localhost:1@other-host/",
            "https://user:secret-password@pacs.qq.com",
            "https://user@pacs.qq.com",
            "http://127.0.0.1@evil.example:80",
        ] {
            let error = check(url, true).unwrap_err().to_string();
            assert!(error.contains("user info"), "{url}: {error}");
            assert!(
                !error.contains("secret-password") && !error.contains("other-host"),
                "{error}"
            );
        }
    }

    #[test]
    fn queries_and_fragments_are_refused() {
        assert!(!allowed("https://pacs.qq.com/?token=secret"));
        assert!(!allowed("https://pacs.qq.com/#x"));
    }

    #[test]
    fn insecure_http_when_allowed() {
        assert!(check("http://his.hospital.local", true).is_ok());
    }
}
