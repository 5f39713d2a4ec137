//! TLS for the connections a service opens to PostgreSQL and Redis.
//!
//! rustls on ring, the backend sentry's transport already brings (one crypto backend in the
//! build). A server's certificate is checked against the CA file the URL names
//! (`sslrootcert=`) or, without one, the system's roots; PostgreSQL's `sslmode=require`
//! encrypts without checking, as libpq does.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

/// How much of the server's certificate is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateCheck {
    /// Encrypted, but any certificate is accepted (libpq's `require`): safe against a
    /// listener, not against a machine in the middle.
    Nothing,
    /// Signed by a trusted CA, whatever host it names (libpq's `verify-ca`).
    Issuer,
    /// Signed by a trusted CA and issued for the host connected to (`verify-full`).
    IssuerAndHost,
}

/// Where the trusted CAs come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrustedRoots {
    /// The system's store (`/etc/ssl/certs` on Debian; `SSL_CERT_FILE` overrides it).
    System,
    /// A PEM file of one or more CA certificates.
    File(PathBuf),
}

impl fmt::Display for TrustedRoots {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::System => write!(f, "the system's CA store"),
            Self::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// The one crypto backend: ring, named explicitly so that another crate enabling aws-lc
/// cannot make rustls' choice ambiguous.
fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Makes ring the process default, for libraries that build their own `ClientConfig`
/// (the redis crate does).
pub fn install_default_provider() {
    if CryptoProvider::get_default().is_none() {
        // Fails only when another thread installed one meanwhile, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// A client configuration that checks the server's certificate as asked.
pub fn client_config(
    check: CertificateCheck,
    roots: &TrustedRoots,
) -> anyhow::Result<ClientConfig> {
    let provider = provider();
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .context("TLS protocol versions")?;
    let config = match check {
        CertificateCheck::IssuerAndHost => builder
            .with_root_certificates(load_roots(roots)?)
            .with_no_client_auth(),
        CertificateCheck::Issuer | CertificateCheck::Nothing => {
            let roots = match check {
                CertificateCheck::Issuer => Some(Arc::new(load_roots(roots)?)),
                _ => None,
            };
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(Relaxed { roots, provider }))
                .with_no_client_auth()
        }
    };
    Ok(config)
}

/// The trusted CAs; an unreadable file or one without a certificate is an error that names it.
pub fn load_roots(roots: &TrustedRoots) -> anyhow::Result<RootCertStore> {
    let mut store = RootCertStore::empty();
    match roots {
        TrustedRoots::System => {
            let found = rustls_native_certs::load_native_certs();
            for error in &found.errors {
                log::warn!("system CA store: {error}");
            }
            store.add_parsable_certificates(found.certs);
        }
        TrustedRoots::File(path) => {
            let pem = std::fs::read(path)
                .with_context(|| format!("read the CA file {}", path.display()))?;
            for cert in CertificateDer::pem_slice_iter(&pem) {
                let cert =
                    cert.with_context(|| format!("parse the CA file {} as PEM", path.display()))?;
                store
                    .add(cert)
                    .with_context(|| format!("use a certificate of {} as a CA", path.display()))?;
            }
        }
    }
    anyhow::ensure!(!store.is_empty(), "no CA certificate found in {roots}");
    Ok(store)
}

/// The checks rustls' own verifier does not make: `verify-ca` (the chain must lead to a
/// trusted CA; the name in the certificate is not compared with the host, for a server
/// reached by an address its certificate does not list) and `require` (`roots: None`: any
/// certificate). Either way the handshake's signatures are checked, so the session is bound
/// to the certificate the server sent.
#[derive(Debug)]
struct Relaxed {
    roots: Option<Arc<RootCertStore>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Relaxed {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Some(roots) = &self.roots {
            let cert = ParsedCertificate::try_from(end_entity)?;
            rustls::client::verify_server_cert_signed_by_trust_anchor(
                &cert,
                roots,
                intermediates,
                now,
                self.provider.signature_verification_algorithms.all,
            )?;
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// Splits `name=value` out of a URL's query string: the URL without it, and its
/// (percent-decoded) value. Other parameters keep their order.
pub fn take_query_param(url: &str, name: &str) -> (String, Option<String>) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_owned(), None);
    };
    let (query, fragment) = match query.split_once('#') {
        Some((query, fragment)) => (query, Some(fragment)),
        None => (query, None),
    };
    let mut value = None;
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        match pair.split_once('=') {
            Some((key, raw)) if key == name => value = Some(percent_decode(raw)),
            _ => kept.push(pair),
        }
    }
    let mut rest = base.to_owned();
    if !kept.is_empty() {
        rest.push('?');
        rest.push_str(&kept.join("&"));
    }
    if let Some(fragment) = fragment {
        rest.push('#');
        rest.push_str(fragment);
    }
    (rest, value)
}

/// `%2F` → `/`, `+` left alone (paths, not form data); a malformed escape stays as written.
fn percent_decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_parameter_is_taken_out_and_the_rest_kept_in_order() {
        let (rest, value) = take_query_param(
            "postgres://u:p@db:5432/app?sslmode=require&sslrootcert=%2Fetc%2Fca.pem&x=1",
            "sslrootcert",
        );
        assert_eq!(rest, "postgres://u:p@db:5432/app?sslmode=require&x=1");
        assert_eq!(value.as_deref(), Some("/etc/ca.pem"));

        let (rest, value) =
            take_query_param("rediss://cache:6379/0?sslrootcert=/ca.pem", "sslrootcert");
        assert_eq!(rest, "rediss://cache:6379/0");
        assert_eq!(value.as_deref(), Some("/ca.pem"));

        let (rest, value) = take_query_param("redis://cache:6379", "sslrootcert");
        assert_eq!(rest, "redis://cache:6379");
        assert_eq!(value, None);
    }

    #[test]
    fn a_missing_ca_file_is_named_in_the_error() {
        let roots = TrustedRoots::File(PathBuf::from("/nonexistent/ca.pem"));
        let err = client_config(CertificateCheck::IssuerAndHost, &roots).expect_err("no such file");
        assert!(
            format!("{err:#}").contains("/nonexistent/ca.pem"),
            "{err:#}"
        );
    }

    #[test]
    fn a_file_without_certificates_is_refused() {
        let path = std::env::temp_dir().join(format!("not-a-ca-{}.pem", uuid::Uuid::new_v4()));
        std::fs::write(&path, "hello").expect("write");
        let err = load_roots(&TrustedRoots::File(path.clone())).expect_err("no certificate");
        let _ = std::fs::remove_file(&path);
        assert!(
            format!("{err:#}").contains("no CA certificate found"),
            "{err:#}"
        );
    }

    #[test]
    fn skipping_the_certificate_check_needs_no_roots() {
        let roots = TrustedRoots::File(PathBuf::from("/nonexistent/ca.pem"));
        assert!(client_config(CertificateCheck::Nothing, &roots).is_ok());
    }
}
