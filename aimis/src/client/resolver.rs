//! Name resolution without a thread per request.
//!
//! ureq resolves the host before it looks in its connection pool, and when any timeout
//! covers resolution (the per-attempt `timeout_global` does) it runs `getaddrinfo` on a
//! new thread so that the wait can be abandoned. That thread costs about 60 µs on an
//! idle machine and several hundred on a busy one, on every request, even over a
//! kept-alive connection to an IP address. This resolver answers IP addresses at once
//! and remembers a name's addresses for a short while, and hands only a real look-up
//! to ureq's resolver, which keeps it within the attempt's deadline.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};

type Remembered = HashMap<String, (Instant, ResolvedSocketAddrs)>;
use ureq::unversioned::transport::NextTimeout;

/// How long looked-up addresses are used before the name is looked up again: short
/// enough for a DNS fail-over to reach the client within the minute.
const REMEMBER: Duration = Duration::from_secs(30);

#[derive(Debug, Default)]
pub(crate) struct CachingResolver {
    lookup: DefaultResolver,
    remembered: Mutex<Remembered>,
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let (Some(scheme), Some(authority)) = (uri.scheme(), uri.authority()) else {
            return self.lookup.resolve(uri, config, timeout);
        };
        let host = authority.host();
        let literal = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        let port = authority.port_u16().or_else(|| match scheme.as_str() {
            "http" => Some(80),
            "https" => Some(443),
            _ => None,
        });
        if let (Ok(ip), Some(port)) = (literal.parse::<IpAddr>(), port) {
            let mut addresses = self.empty();
            addresses.push(SocketAddr::new(ip, port));
            return Ok(addresses);
        }
        let key = format!("{scheme}://{authority}");
        let now = Instant::now();
        if let Some((at, addresses)) = self.lock().get(&key) {
            if now.duration_since(*at) < REMEMBER {
                return Ok(addresses.clone());
            }
        }
        let addresses = self.lookup.resolve(uri, config, timeout)?;
        self.lock().insert(key, (now, addresses.clone()));
        Ok(addresses)
    }
}

impl CachingResolver {
    fn lock(&self) -> std::sync::MutexGuard<'_, Remembered> {
        self.remembered
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ureq::unversioned::transport::time::Duration as Timeout;

    fn resolve(resolver: &CachingResolver, url: &str) -> Vec<SocketAddr> {
        let uri: Uri = url.parse().unwrap();
        let config = ureq::Agent::config_builder().build();
        let timeout = NextTimeout {
            after: Timeout::from(Duration::from_secs(5)),
            reason: ureq::Timeout::Resolve,
            per_read: None,
            per_write: None,
        };
        resolver.resolve(&uri, &config, timeout).unwrap().to_vec()
    }

    #[test]
    fn addresses_are_answered_at_once_and_names_remembered() {
        let resolver = CachingResolver::default();
        assert_eq!(
            resolve(&resolver, "http://127.0.0.1:8600/x"),
            ["127.0.0.1:8600".parse().unwrap()]
        );
        assert_eq!(
            resolve(&resolver, "https://[::1]/x"),
            ["[::1]:443".parse().unwrap()]
        );
        assert_eq!(
            resolve(&resolver, "http://10.1.2.3"),
            ["10.1.2.3:80".parse().unwrap()]
        );
        assert!(resolver.lock().is_empty(), "addresses are not remembered");
        let first = resolve(&resolver, "http://localhost:8600");
        assert!(
            first
                .iter()
                .all(|a| a.ip().is_loopback() && a.port() == 8600)
        );
        assert_eq!(resolver.lock().len(), 1);
        assert_eq!(resolve(&resolver, "http://localhost:8600/other"), first);
    }
}
