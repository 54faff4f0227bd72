//! `--tls-cert` / `--tls-key`: HTTPS for the receiver. Handshakes run on tasks of their
//! own, so a slow or silent client never holds up the others.

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::crypto::ring;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::server::TlsStream;

use crate::error::InboxError;

/// The certificate chain and its private key, as PEM files.
#[derive(Clone, Debug)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// How long a client may take over the handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

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

/// A listener that hands axum connections once their TLS handshake is done.
pub(crate) struct TlsListener {
    ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    addr: SocketAddr,
}

impl TlsListener {
    /// Accepts on `listener`; the accept loop ends with the runtime.
    pub(crate) fn new(listener: TcpListener, config: Arc<ServerConfig>) -> io::Result<Self> {
        let addr = listener.local_addr()?;
        let acceptor = TlsAcceptor::from(config);
        let (tx, ready) = mpsc::channel(64);
        tokio::spawn(async move {
            loop {
                let (stream, peer) = match listener.accept().await {
                    Ok(accepted) => accepted,
                    Err(_) => {
                        // Out of file descriptors and the like: wait and go on.
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let (acceptor, tx) = (acceptor.clone(), tx.clone());
                tokio::spawn(async move {
                    if let Ok(Ok(tls)) =
                        tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await
                    {
                        let _ = tx.send((tls, peer)).await;
                    }
                });
            }
        });
        Ok(TlsListener { ready, addr })
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(ready) => ready,
            // The accept loop is gone (the runtime is stopping): nothing more comes.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(self.addr)
    }
}
