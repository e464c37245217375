//! Bearer token and api-version checks, in ARM's order.

use reqwest::Method;

use crate::common::{Harness, backend, send};

#[tokio::test]
async fn missing_token_is_401_authentication_failed() {
    let h = Harness::new().await;
    let resp = send(h.http.get(h.url(&backend("b1"), ""))).await;
    resp.arm_error(401, "AuthenticationFailed");
    assert!(
        resp.header("www-authenticate")
            .is_some_and(|v| v.starts_with("Bearer")),
        "{resp:?}"
    );
}

#[tokio::test]
async fn wrong_token_or_scheme_is_401_invalid_authentication_token() {
    let h = Harness::new().await;
    let url = h.url(&backend("b1"), "");
    for request in [
        h.http
            .get(&url)
            .bearer_auth("emulator-00000000000000000000000000000000"),
        h.http
            .get(&url)
            .header("authorization", format!("Basic {}", h.emulator.token())),
        h.http.get(&url).header("authorization", "Bearer"),
        h.http
            .get(&url)
            .header("authorization", format!("Bearer {}x", h.emulator.token())),
    ] {
        let resp = send(request).await;
        resp.arm_error(401, "InvalidAuthenticationToken");
        assert!(
            resp.header("www-authenticate")
                .is_some_and(|v| v.starts_with("Bearer")),
            "{resp:?}"
        );
    }
}

#[tokio::test]
async fn token_scheme_is_case_insensitive() {
    let h = Harness::new().await;
    let request = h
        .http
        .get(h.url(&backend("b1"), ""))
        .header("authorization", format!("bearer {}", h.emulator.token()));
    // Authenticated: the backend simply does not exist.
    send(request).await.arm_error(404, "ResourceNotFound");
}

#[tokio::test]
async fn missing_api_version_is_400() {
    let h = Harness::new().await;
    let url = format!("{}{}", h.emulator.endpoint(), backend("b1"));
    let resp = send(h.http.get(&url).bearer_auth(h.emulator.token())).await;
    resp.arm_error(400, "MissingApiVersionParameter");
    let resp = send(
        h.http
            .get(format!("{url}?api-version="))
            .bearer_auth(h.emulator.token()),
    )
    .await;
    resp.arm_error(400, "MissingApiVersionParameter");
}

#[tokio::test]
async fn malformed_api_version_is_400() {
    let h = Harness::new().await;
    let url = format!(
        "{}{}?api-version=latest",
        h.emulator.endpoint(),
        backend("b1")
    );
    send(h.http.get(&url).bearer_auth(h.emulator.token()))
        .await
        .arm_error(400, "InvalidApiVersionParameter");
}

#[tokio::test]
async fn authentication_is_checked_before_api_version() {
    let h = Harness::new().await;
    let url = format!("{}{}", h.emulator.endpoint(), backend("b1"));
    send(h.http.get(&url))
        .await
        .arm_error(401, "AuthenticationFailed");
}

#[tokio::test]
async fn every_method_requires_the_token() {
    let h = Harness::new().await;
    h.emulator
        .put_json(&backend("b1"), serde_json::json!({}))
        .unwrap();
    for method in [
        Method::GET,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::POST,
    ] {
        let path = if method == Method::POST {
            format!("{}/reconnect", backend("b1"))
        } else {
            backend("b1")
        };
        send(h.http.request(method, h.url(&path, "")))
            .await
            .arm_error(401, "AuthenticationFailed");
    }
    assert!(
        h.emulator.get_json(&backend("b1")).is_some(),
        "nothing was deleted"
    );
    assert!(h.emulator.reconnects().is_empty());
}
