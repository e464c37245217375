//! Shared helpers for the workspace tests: each exists once, here.
#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use apim_client::{
    ApimClient, ApimClientOptions, RetryOptions, StaticTokenCredential, TokenCredential,
};
use azure_core::credentials::{AccessToken, TokenRequestOptions};
use azure_core::time::OffsetDateTime;

pub(crate) const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";
pub(crate) const TOKEN: &str = "test-token-7f3a";

/// Fast retries so tests that exercise them stay short.
pub(crate) fn quick_retries() -> RetryOptions {
    RetryOptions {
        max_retries: 3,
        initial_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_elapsed: Duration::from_secs(10),
    }
}

pub(crate) fn options(endpoint: &str) -> ApimClientOptions {
    ApimClientOptions {
        endpoint: endpoint.to_owned(),
        allow_http_loopback: true,
        retry: quick_retries(),
        ..Default::default()
    }
}

pub(crate) fn client(endpoint: &str) -> ApimClient {
    client_with(
        Arc::new(StaticTokenCredential::new(TOKEN)),
        options(endpoint),
    )
}

/// A client with `credential` and `options` (whose endpoint it uses).
pub(crate) fn client_with(
    credential: Arc<dyn TokenCredential>,
    options: ApimClientOptions,
) -> ApimClient {
    ApimClient::new(SUBSCRIPTION, credential, Some(options)).expect("valid test client")
}

/// A credential that hands out `token-1`, `token-2`, ... and counts the calls.
#[derive(Debug, Default)]
pub(crate) struct CountingCredential {
    pub calls: AtomicUsize,
}

#[async_trait::async_trait]
impl TokenCredential for CountingCredential {
    async fn get_token(
        &self,
        scopes: &[&str],
        _: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        assert_eq!(scopes.len(), 1);
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        Ok(AccessToken::new(
            format!("token-{n}"),
            OffsetDateTime::now_utc() + azure_core::time::Duration::hours(1),
        ))
    }
}

/// The demo backend every emulator test reconnects.
pub(crate) const BACKEND_PATH: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1/backends/proxybackend";

/// The service the emulator tests work in (`rg1`/`apimService1`).
pub(crate) const SERVICE_PATH: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1";

/// A fresh emulator with the service at [`SERVICE_PATH`] and an empty resource at each of
/// `children` (paths below it): the emulator, like APIM, needs a resource's parents.
pub(crate) async fn emulator_with(children: &[&str]) -> apim_emulator::Emulator {
    let emulator = apim_emulator::Emulator::start()
        .await
        .expect("emulator starts");
    emulator
        .put_json(
            SERVICE_PATH,
            serde_json::json!({"publisherName": "Contoso"}),
        )
        .expect("valid service path");
    for child in children {
        emulator
            .put_json(&format!("{SERVICE_PATH}/{child}"), serde_json::json!({}))
            .expect("valid resource path");
    }
    emulator
}

/// A fresh emulator with the backend at [`BACKEND_PATH`].
pub(crate) async fn emulator_with_backend() -> apim_emulator::Emulator {
    let emulator = apim_emulator::Emulator::start()
        .await
        .expect("emulator starts");
    emulator
        .put_json(
            BACKEND_PATH,
            serde_json::json!({"url": "https://backend.example.invalid", "protocol": "http"}),
        )
        .expect("valid backend path");
    emulator
}

/// A client for `emulator`, with its token and these retry settings.
pub(crate) fn emulator_client(
    emulator: &apim_emulator::Emulator,
    retry: RetryOptions,
) -> ApimClient {
    let credential = Arc::new(StaticTokenCredential::new(emulator.token()));
    let options = ApimClientOptions {
        retry,
        ..options(emulator.endpoint())
    };
    ApimClient::new(SUBSCRIPTION, credential, Some(options)).expect("valid test client")
}

/// A client for `emulator` with [`quick_retries`].
pub(crate) fn quick_client(emulator: &apim_emulator::Emulator) -> ApimClient {
    emulator_client(emulator, quick_retries())
}

/// `BackendReconnectApi::backend_reconnect` of `backend` in `rg1`/`apimService1`, after `after`
/// when given (otherwise without a body).
pub(crate) async fn reconnect(
    client: &ApimClient,
    backend: &str,
    after: Option<Duration>,
) -> apim_client::Result<()> {
    use apim_client::apis::BackendReconnectApi;
    let body = after.map(apim_client::models::BackendReconnectRequest::after);
    client
        .backend_reconnect("rg1", "apimService1", backend, body.as_ref())
        .await
}

/// Mounts on `server`: `first` for the next `times` requests, `then` for every one after.
pub(crate) async fn answer_then(
    server: &wiremock::MockServer,
    first: wiremock::ResponseTemplate,
    times: u64,
    then: wiremock::ResponseTemplate,
) {
    use wiremock::{Mock, matchers::any};
    Mock::given(any())
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(any()).respond_with(then).mount(server).await;
}
