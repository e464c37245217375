//! apim-client against the emulator: the same semantics the real service has.

use crate::common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::{SUBSCRIPTION, client_with, options};
use apim_client::models::BackendReconnectRequest;
use apim_client::prelude::*;
use apim_client::{ErrorKind, StaticTokenCredential, TokenCredential};
use apim_emulator::{Fault, RetryAfter};
use azure_core::credentials::{AccessToken, TokenRequestOptions};

use crate::common::emulator_with_backend;

#[tokio::test]
async fn reconnects_an_existing_backend() {
    let emulator = emulator_with_backend().await;
    let client = common::quick_client(&emulator);
    let response = client
        .backend()
        .reconnect(
            "rg1",
            "apimService1",
            "proxybackend",
            Some(&BackendReconnectRequest::after(Duration::from_secs(150))),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    let reconnects = emulator.reconnects();
    assert_eq!(reconnects.len(), 1);
    assert_eq!(reconnects[0].subscription_id, SUBSCRIPTION);
    assert_eq!(reconnects[0].resource_group, "rg1");
    assert_eq!(reconnects[0].service_name, "apimService1");
    assert_eq!(reconnects[0].backend_id, "proxybackend");
    assert_eq!(reconnects[0].after.as_deref(), Some("PT2M30S"));
    assert_eq!(
        response.request_id(),
        Some(reconnects[0].request_id.as_str())
    );

    common::reconnect(&client, "proxybackend", None)
        .await
        .unwrap();
    assert_eq!(emulator.reconnects()[1].after, None);
}

#[tokio::test]
async fn a_missing_backend_is_not_found() {
    let emulator = emulator_with_backend().await;
    let err = common::reconnect(&common::quick_client(&emulator), "nosuchbackend", None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.code(), Some("ResourceNotFound"));
    assert!(err.request_id().is_some());
    assert!(emulator.reconnects().is_empty());
}

#[tokio::test]
async fn throttling_is_retried() {
    let emulator = emulator_with_backend().await;
    emulator.inject(
        Fault::Status {
            status: 429,
            retry_after: Some(RetryAfter::Millis(300)),
        },
        2,
    );
    let started = Instant::now();
    common::reconnect(&common::quick_client(&emulator), "proxybackend", None)
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(600));
    let statuses: Vec<u16> = emulator.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [429, 429, 202]);
    assert_eq!(emulator.reconnects().len(), 1);
}

#[tokio::test]
async fn unavailable_with_retry_after_seconds_is_retried() {
    let emulator = emulator_with_backend().await;
    emulator.inject(Fault::unavailable(1), 1);
    let started = Instant::now();
    common::reconnect(&common::quick_client(&emulator), "proxybackend", None)
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(emulator.requests().len(), 2);
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    let emulator = emulator_with_backend().await;
    emulator.inject(Fault::DropConnection, 1);
    common::reconnect(&common::quick_client(&emulator), "proxybackend", None)
        .await
        .unwrap();
    assert_eq!(emulator.reconnects().len(), 1);
}

#[tokio::test]
async fn a_wrong_token_is_refused() {
    let emulator = emulator_with_backend().await;
    let credential = Arc::new(StaticTokenCredential::new("not-the-emulator-token"));
    let client = client_with(credential, options(emulator.endpoint()));
    let err = common::reconnect(&client, "proxybackend", None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.code(), Some("InvalidAuthenticationToken"));
    assert!(!err.to_string().contains("not-the-emulator-token"));
    // The 401 was retried once with a fresh token from the credential.
    assert_eq!(emulator.requests().len(), 2);
    assert!(emulator.reconnects().is_empty());
}

/// A credential that cannot produce a token (a user not logged in, say).
#[derive(Debug)]
struct NoToken;

#[async_trait::async_trait]
impl TokenCredential for NoToken {
    async fn get_token(
        &self,
        _: &[&str],
        _: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        Err(azure_core::Error::with_message(
            azure_core::error::ErrorKind::Credential,
            "not logged in",
        ))
    }
}

#[tokio::test]
async fn without_a_token_nothing_is_sent() {
    let emulator = emulator_with_backend().await;
    let client = client_with(Arc::new(NoToken), options(emulator.endpoint()));
    let err = common::reconnect(&client, "proxybackend", None)
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Credential), "{err:?}");
    assert!(err.to_string().contains("not logged in"), "{err}");
    assert!(emulator.requests().is_empty());
}

#[tokio::test]
async fn a_slow_emulator_hits_the_request_timeout() {
    let emulator = emulator_with_backend().await;
    emulator.inject(Fault::Delay(Duration::from_secs(5)), 1);
    let opts = apim_client::ApimClientOptions {
        request_timeout: Duration::from_millis(300),
        ..options(emulator.endpoint())
    };
    let client = client_with(Arc::new(StaticTokenCredential::new(emulator.token())), opts);
    let err = common::reconnect(&client, "proxybackend", None)
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Timeout), "{err:?}");
    // The client is still usable afterwards.
    common::reconnect(&client, "proxybackend", None)
        .await
        .unwrap();
}
