//! `--tls-cert` / `--tls-key`: HTTPS for the receiver. Each handshake runs on its
//! connection's task, within the header deadline (see `http.rs`), so a slow or silent
//! client never holds up the others.

use std::path::PathBuf;
use std::sync::Arc;

use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::crypto::ring;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::error::InboxError;

/// The certificate chain and its private key, as PEM files.
#[derive(Clone, Debug)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl TlsFiles {
    /// Reads both files. Errors name the option and the file, never the key's content.
    pub(crate) fn config(&self) -> Result<Arc<ServerConfig>, InboxError> {
        let bad = |option: &'static str, path: &PathBuf, rule: String| InboxError::BadOption {
            option,
            rule: format!("{}: {rule}", path.display()),
        };
        let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&self.cert)
            .and_then(|certs| certs.collect::<Result<_, _>>())
            .map_err(|e| {
                bad(
                    "--tls-cert",
                    &self.cert,
                    format!("cannot read a PEM certificate chain ({e})"),
                )
            })?;
        if chain.is_empty() {
            return Err(bad("--tls-cert", &self.cert, "holds no certificate".into()));
        }
        let key = PrivateKeyDer::from_pem_file(&self.key).map_err(|_| {
            bad(
                "--tls-key",
                &self.key,
                "holds no PEM private key (PKCS#8, PKCS#1 or SEC1)".into(),
            )
        })?;
        let mut config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| InboxError::Io(format!("TLS: {e}")))?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(|e| {
                bad(
                    "--tls-key",
                    &self.key,
                    format!("does not fit the certificate ({e})"),
                )
            })?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }
}
