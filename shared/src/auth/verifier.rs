//! Verifies access tokens: EdDSA only, a known key id, and `exp`, `nbf`, `iss`, `aud` and the
//! token type all checked.

use std::collections::HashMap;

use anyhow::Context;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};

use super::claims::{ACCESS_TOKEN_TYPE, AccessClaims};
use super::keys::{JwkSet, SigningKey};
use super::revocation::DenyList;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Clock skew tolerated between the services' clocks, in seconds.
const LEEWAY_SECS: u64 = 30;

/// Why a token was refused. Callers see only "invalid" or "expired".
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("the access token has expired")]
    Expired,
    #[error("the access token is invalid: {0}")]
    Invalid(&'static str),
    /// Its session ended (log-out, password change, …) before the token expired.
    #[error("the access token's session has ended")]
    SessionEnded,
}

pub struct JwtVerifier {
    keys: HashMap<String, DecodingKey>,
    validation: Validation,
    ended: DenyList,
}

impl JwtVerifier {
    /// Trusts every Ed25519 key in the set, for tokens with this issuer and audience.
    pub fn from_jwks(jwks: &JwkSet, issuer: &str, audience: &str) -> anyhow::Result<Self> {
        let mut keys = HashMap::new();
        for jwk in &jwks.keys {
            anyhow::ensure!(
                jwk.kty == "OKP" && jwk.crv == "Ed25519",
                "key {} is not an Ed25519 key",
                jwk.kid
            );
            let x = URL_SAFE_NO_PAD
                .decode(&jwk.x)
                .with_context(|| format!("key {}: x is not base64url", jwk.kid))?;
            anyhow::ensure!(x.len() == 32, "key {}: x is not 32 bytes", jwk.kid);
            keys.insert(jwk.kid.clone(), DecodingKey::from_ed_der(&x));
        }
        anyhow::ensure!(!keys.is_empty(), "no verification key");

        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.leeway = LEEWAY_SECS;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        Ok(Self {
            keys,
            validation,
            ended: DenyList::default(),
        })
    }

    /// The verifier for the key the caller itself signs with.
    pub fn for_signing_key(key: &SigningKey, issuer: &str, audience: &str) -> anyhow::Result<Self> {
        Self::from_jwks(&key.jwks(), issuer, audience)
    }

    pub fn verify(&self, token: &str) -> Result<AccessClaims, TokenError> {
        // `decode_header` refuses `alg: none` (not an algorithm it knows).
        let header =
            jsonwebtoken::decode_header(token).map_err(|_| TokenError::Invalid("malformed"))?;
        if header.alg != Algorithm::EdDSA {
            return Err(TokenError::Invalid("algorithm not allowed"));
        }
        let key = match &header.kid {
            Some(kid) => self.keys.get(kid),
            None if self.keys.len() == 1 => self.keys.values().next(),
            None => None,
        }
        .ok_or(TokenError::Invalid("unknown signing key"))?;

        let data =
            jsonwebtoken::decode::<AccessClaims>(token, key, &self.validation).map_err(|err| {
                match err.kind() {
                    ErrorKind::ExpiredSignature => TokenError::Expired,
                    ErrorKind::ImmatureSignature => TokenError::Invalid("not valid yet"),
                    ErrorKind::InvalidAudience => TokenError::Invalid("wrong audience"),
                    ErrorKind::InvalidIssuer => TokenError::Invalid("wrong issuer"),
                    ErrorKind::InvalidSignature => TokenError::Invalid("bad signature"),
                    ErrorKind::MissingRequiredClaim(_) | ErrorKind::Json(_) => {
                        TokenError::Invalid("missing or malformed claims")
                    }
                    _ => TokenError::Invalid("malformed"),
                }
            })?;
        if data.claims.typ != ACCESS_TOKEN_TYPE {
            return Err(TokenError::Invalid("not an access token"));
        }
        if self.ended.is_denied(data.claims.sid) {
            return Err(TokenError::SessionEnded);
        }
        Ok(data.claims)
    }

    /// The sessions that ended: tokens of theirs are refused. Follow the announcements with
    /// [`DenyList::follow`].
    pub fn ended_sessions(&self) -> &DenyList {
        &self.ended
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;
    use jsonwebtoken::{EncodingKey, Header};
    use uuid::Uuid;

    const ISS: &str = "issuer";
    const AUD: &str = "audience";

    fn claims(offset_secs: i64) -> AccessClaims {
        let now = chrono_now() + offset_secs;
        AccessClaims {
            iss: ISS.into(),
            aud: AUD.into(),
            sub: Uuid::new_v4(),
            iat: now,
            nbf: now,
            exp: now + 600,
            jti: Uuid::new_v4(),
            sid: Uuid::new_v4(),
            typ: ACCESS_TOKEN_TYPE.into(),
            role: Role::User,
            username: "ada".into(),
        }
    }

    fn chrono_now() -> i64 {
        jsonwebtoken::get_current_timestamp() as i64
    }

    fn setup() -> (SigningKey, JwtVerifier) {
        let key = SigningKey::generate().expect("key");
        let verifier = JwtVerifier::for_signing_key(&key, ISS, AUD).expect("verifier");
        (key, verifier)
    }

    #[test]
    fn a_valid_token_verifies() {
        let (key, verifier) = setup();
        let claims = claims(0);
        let token = key.sign(&claims).expect("sign");
        assert_eq!(verifier.verify(&token), Ok(claims));
    }

    #[test]
    fn an_expired_token_is_refused_as_expired() {
        let (key, verifier) = setup();
        let mut claims = claims(-3600);
        claims.exp = chrono_now() - 120;
        assert_eq!(
            verifier.verify(&key.sign(&claims).expect("sign")),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn a_token_from_the_future_is_refused() {
        let (key, verifier) = setup();
        let claims = claims(3600);
        assert!(verifier.verify(&key.sign(&claims).expect("sign")).is_err());
    }

    #[test]
    fn another_key_wrong_audience_wrong_issuer_and_wrong_type_are_refused() {
        let (_, verifier) = setup();
        let other = SigningKey::generate().expect("key");
        assert!(
            verifier
                .verify(&other.sign(&claims(0)).expect("sign"))
                .is_err()
        );

        let (key, verifier) = setup();
        let mut wrong_aud = claims(0);
        wrong_aud.aud = "elsewhere".into();
        assert_eq!(
            verifier.verify(&key.sign(&wrong_aud).expect("sign")),
            Err(TokenError::Invalid("wrong audience"))
        );
        let mut wrong_iss = claims(0);
        wrong_iss.iss = "elsewhere".into();
        assert!(
            verifier
                .verify(&key.sign(&wrong_iss).expect("sign"))
                .is_err()
        );
        let mut wrong_typ = claims(0);
        wrong_typ.typ = "refresh".into();
        assert_eq!(
            verifier.verify(&key.sign(&wrong_typ).expect("sign")),
            Err(TokenError::Invalid("not an access token"))
        );
    }

    #[test]
    fn a_token_of_an_ended_session_is_refused_and_the_others_still_verify() {
        let (key, verifier) = setup();
        let ended = claims(0);
        let other = claims(0);
        verifier
            .ended_sessions()
            .insert(&super::super::revocation::SessionsEnded::new(
                ended.sub,
                vec![ended.sid],
                std::time::Duration::from_secs(600),
            ));
        assert_eq!(
            verifier.verify(&key.sign(&ended).expect("sign")),
            Err(TokenError::SessionEnded)
        );
        assert_eq!(verifier.verify(&key.sign(&other).expect("sign")), Ok(other));
    }

    #[test]
    fn hmac_signed_with_the_public_key_is_refused() {
        let (key, verifier) = setup();
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(key.kid().to_owned());
        let forged = jsonwebtoken::encode(
            &header,
            &claims(0),
            &EncodingKey::from_secret(&key.public_key_bytes()),
        )
        .expect("sign");
        assert_eq!(
            verifier.verify(&forged),
            Err(TokenError::Invalid("algorithm not allowed"))
        );
    }

    #[test]
    fn alg_none_and_tampered_tokens_are_refused() {
        let (key, verifier) = setup();
        let token = key.sign(&claims(0)).expect("sign");
        let parts: Vec<&str> = token.split('.').collect();
        let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        assert!(
            verifier
                .verify(&format!("{none_header}.{}.", parts[1]))
                .is_err()
        );

        let mut admin = claims(0);
        admin.role = Role::Admin;
        let forged_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&admin).expect("json"));
        let tampered = format!("{}.{forged_payload}.{}", parts[0], parts[2]);
        assert_eq!(
            verifier.verify(&tampered),
            Err(TokenError::Invalid("bad signature"))
        );
        assert!(verifier.verify("not-a-token").is_err());
    }
}
