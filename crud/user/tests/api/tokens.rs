//! The access token checks every service relies on, seen through `GET /users/me`.

use awc::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use shared::auth::{JwkSet, JwtVerifier, SigningKey};

use crate::helpers::{Body, call, spawn_app};

#[actix_web::test]
async fn requests_without_a_token_get_401() {
    let app = spawn_app().await;
    let reply = app.get("/users/me", None).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.code(), "unauthenticated");
    assert!(reply.headers.get("www-authenticate").is_some());
}

#[actix_web::test]
async fn the_access_cookie_works_like_a_bearer_token() {
    let app = spawn_app().await;
    let user = app.new_user().await;
    let request = app
        .client
        .get(app.url("/users/me"))
        .insert_header(("cookie", format!("peerprep_access={}", user.access_token)));
    let reply = call(request, Body::Empty).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["id"], user.id.to_string());
}

#[actix_web::test]
async fn a_malformed_authorization_header_gets_401() {
    let app = spawn_app().await;
    let user = app.new_user().await;
    let request = app
        .client
        .get(app.url("/users/me"))
        .insert_header(("authorization", format!("Token {}", user.access_token)));
    assert_eq!(
        call(request, Body::Empty).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[actix_web::test]
async fn an_expired_token_gets_401_token_expired() {
    let app = spawn_app().await;
    let user = app.new_user().await;
    let mut claims = app.claims_for(&user);
    claims.iat -= 3600;
    claims.nbf -= 3600;
    claims.exp = claims.iat + 60;

    let reply = app.me(&app.sign(&claims)).await;

    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.code(), "token_expired");
}

#[actix_web::test]
async fn a_tampered_token_gets_401() {
    let app = spawn_app().await;
    let user = app.new_user().await;
    let mut claims = app.claims_for(&user);
    claims.role = shared::auth::Role::Admin;
    let forged_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).expect("json"));
    let parts: Vec<&str> = user.access_token.split('.').collect();

    let reply = app
        .me(&format!("{}.{forged_payload}.{}", parts[0], parts[2]))
        .await;

    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.code(), "invalid_token");
}

#[actix_web::test]
async fn an_alg_none_token_gets_401() {
    let app = spawn_app().await;
    let user = app.new_user().await;
    let claims = app.claims_for(&user);
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).expect("json"));

    for token in [
        format!("{header}.{payload}."),
        format!("{header}.{payload}"),
    ] {
        let reply = app.me(&token).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(reply.code(), "invalid_token");
    }
}

#[actix_web::test]
async fn a_token_signed_with_hmac_over_the_public_key_gets_401() {
    let app = spawn_app().await;
    let user = app.new_user().await;
    let claims = app.claims_for(&user);
    let jwks = app.get("/.well-known/jwks.json", None).await;
    let public_x = jwks.body["keys"][0]["x"].as_str().expect("x").to_owned();
    let mut header = Header::new(Algorithm::HS256);
    header.kid = jwks.body["keys"][0]["kid"].as_str().map(str::to_owned);

    for secret in [
        public_x.as_bytes().to_vec(),
        URL_SAFE_NO_PAD.decode(&public_x).expect("b64"),
    ] {
        let forged = jsonwebtoken::encode(&header, &claims, &EncodingKey::from_secret(&secret))
            .expect("sign");
        let reply = app.me(&forged).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(reply.code(), "invalid_token");
    }
}

#[actix_web::test]
async fn tokens_for_another_audience_issuer_type_or_key_get_401() {
    let app = spawn_app().await;
    let user = app.new_user().await;
    let base = app.claims_for(&user);

    let mut wrong_audience = base.clone();
    wrong_audience.aud = "some-other-app".into();
    let mut wrong_issuer = base.clone();
    wrong_issuer.iss = "someone-else".into();
    let mut wrong_type = base.clone();
    wrong_type.typ = "refresh".into();
    let mut not_yet_valid = base.clone();
    not_yet_valid.nbf += 3600;
    not_yet_valid.exp += 3600;
    let other_key = SigningKey::generate()
        .expect("key")
        .sign(&base)
        .expect("sign");

    for token in [
        app.sign(&wrong_audience),
        app.sign(&wrong_issuer),
        app.sign(&wrong_type),
        app.sign(&not_yet_valid),
        other_key,
    ] {
        let reply = app.me(&token).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
        assert_eq!(reply.code(), "invalid_token");
    }
    assert_eq!(app.me(&app.sign(&base)).await.status, StatusCode::OK);
}

#[actix_web::test]
async fn the_published_jwks_verifies_the_services_tokens() {
    let app = spawn_app().await;
    let user = app.new_user().await;
    let reply = app.get("/.well-known/jwks.json", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply.body["keys"][0].get("d").is_none(),
        "no private part is published"
    );
    let jwks: JwkSet = serde_json::from_value(reply.body).expect("a JWK set");

    let verifier =
        JwtVerifier::from_jwks(&jwks, "peerprep-user-service", "peerprep").expect("verifier");
    let claims = verifier.verify(&user.access_token).expect("verifies");

    assert_eq!(claims.sub, user.id);
    assert_eq!(claims.username, user.username);
    assert_eq!(claims.role, shared::auth::Role::User);
}
