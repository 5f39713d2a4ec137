//! Ed25519 signing keys and their public form as a JSON Web Key (RFC 8037).

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A public key as published in the JWKS document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Jwk {
    pub kty: String,
    pub crv: String,
    /// The 32-byte public key, base64url without padding.
    pub x: String,
    pub kid: String,
    pub alg: String,
    #[serde(rename = "use")]
    pub use_: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct JwkSet {
    pub keys: Vec<Jwk>,
}

impl Jwk {
    /// The JWK of an Ed25519 public key, with its RFC 7638 thumbprint as the key id.
    pub fn ed25519(public: &[u8; 32]) -> Self {
        Self {
            kty: "OKP".into(),
            crv: "Ed25519".into(),
            x: URL_SAFE_NO_PAD.encode(public),
            kid: thumbprint(public),
            alg: "EdDSA".into(),
            use_: "sig".into(),
        }
    }

    /// From an SPKI PEM public key (`openssl pkey -pubout`), the form `JWT_PUBLIC_KEY` takes.
    pub fn from_public_pem(pem: &str) -> anyhow::Result<Self> {
        let key = ed25519_dalek::VerifyingKey::from_public_key_pem(pem.trim())
            .map_err(|err| anyhow::anyhow!("{err}"))
            .context("JWT_PUBLIC_KEY is not an Ed25519 public key in PEM form")?;
        Ok(Self::ed25519(&key.to_bytes()))
    }
}

/// The private key that signs access tokens (held by the user service only).
pub struct SigningKey {
    pem: SecretString,
    encoding: EncodingKey,
    public: [u8; 32],
    kid: String,
}

impl SigningKey {
    /// From a PKCS#8 PEM, as written by `openssl genpkey -algorithm ed25519`.
    pub fn from_pem(pem: &str) -> anyhow::Result<Self> {
        let key = ed25519_dalek::SigningKey::from_pkcs8_pem(pem.trim())
            .map_err(|err| anyhow::anyhow!("{err}"))
            .context("JWT_PRIVATE_KEY is not an Ed25519 private key in PKCS#8 PEM form")?;
        Self::from_dalek(&key)
    }

    /// A fresh random key (development without a configured key, and tests).
    pub fn generate() -> anyhow::Result<Self> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|err| anyhow::anyhow!("no randomness: {err}"))?;
        Self::from_dalek(&ed25519_dalek::SigningKey::from_bytes(&seed))
    }

    fn from_dalek(key: &ed25519_dalek::SigningKey) -> anyhow::Result<Self> {
        let der = key
            .to_pkcs8_der()
            .map_err(|err| anyhow::anyhow!("encode signing key: {err}"))?;
        let public = key.verifying_key().to_bytes();
        let pem = key
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|err| anyhow::anyhow!("encode signing key: {err}"))?;
        Ok(Self {
            pem: SecretString::from(pem.as_str()),
            encoding: EncodingKey::from_ed_der(der.as_bytes()),
            public,
            kid: thumbprint(&public),
        })
    }

    /// The key in the form `JWT_PRIVATE_KEY` takes.
    pub fn to_pem(&self) -> &SecretString {
        &self.pem
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    pub fn public_key_bytes(&self) -> [u8; 32] {
        self.public
    }

    pub fn public_jwk(&self) -> Jwk {
        Jwk::ed25519(&self.public)
    }

    /// The public half as SPKI PEM, the form `JWT_PUBLIC_KEY` takes.
    pub fn public_pem(&self) -> anyhow::Result<String> {
        ed25519_dalek::VerifyingKey::from_bytes(&self.public)
            .map_err(|err| anyhow::anyhow!("{err}"))?
            .to_public_key_pem(LineEnding::LF)
            .map_err(|err| anyhow::anyhow!("encode public key: {err}"))
    }

    pub fn jwks(&self) -> JwkSet {
        JwkSet {
            keys: vec![self.public_jwk()],
        }
    }

    /// Signs any claims with EdDSA and this key's id in the header.
    pub fn sign<T: Serialize>(&self, claims: &T) -> anyhow::Result<String> {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.encoding).context("sign token")
    }
}

/// The RFC 7638 thumbprint of an Ed25519 public key: a stable key id.
fn thumbprint(public: &[u8; 32]) -> String {
    let canonical = format!(
        r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#,
        URL_SAFE_NO_PAD.encode(public)
    );
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    // `openssl genpkey -algorithm ed25519` output, for this test only.
    const PEM: &str = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIK2WohdX2J3uWMs0njZU7CVqGxbs+3vaX2lvzWlWzOGP\n-----END PRIVATE KEY-----\n";

    #[test]
    fn a_pem_key_loads_and_has_a_stable_id() {
        let a = SigningKey::from_pem(PEM).expect("valid pem");
        let b = SigningKey::from_pem(PEM).expect("valid pem");
        assert_eq!(a.kid(), b.kid());
        assert_eq!(a.public_jwk().x.len(), 43);
    }

    #[test]
    fn a_key_survives_its_pem_form() {
        let key = SigningKey::generate().expect("key");
        let again = SigningKey::from_pem(key.to_pem().expose_secret()).expect("pem");
        assert_eq!(key.kid(), again.kid());
    }

    #[test]
    fn the_public_pem_gives_the_same_jwk() {
        let key = SigningKey::generate().expect("key");
        let pem = key.public_pem().expect("pem");
        assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----"));
        assert_eq!(Jwk::from_public_pem(&pem).expect("jwk"), key.public_jwk());
        assert!(Jwk::from_public_pem("nope").is_err());
    }

    #[test]
    fn garbage_is_not_a_key() {
        let err = SigningKey::from_pem("not a key").err().expect("invalid");
        assert!(format!("{err:#}").contains("JWT_PRIVATE_KEY"));
    }

    #[test]
    fn generated_keys_differ() {
        let a = SigningKey::generate().expect("key");
        let b = SigningKey::generate().expect("key");
        assert_ne!(a.kid(), b.kid());
    }
}
