//! The exact requests `backend_reconnect` sends and how it treats each answer, against
//! wiremock on 127.0.0.1.

use crate::common;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::common::{CountingCredential, SUBSCRIPTION, TOKEN, client, client_with, options};
use apim_client::models::BackendReconnectRequest;
use apim_client::prelude::*;
use apim_client::{ApimClient, ApimClientOptions, ErrorKind, RetryOptions, StaticTokenCredential};
use serde_json::json;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const PATH: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1/backends/proxybackend/reconnect";

async fn accepting_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .respond_with(ResponseTemplate::new(202).insert_header("x-ms-request-id", "req-202"))
        .mount(&server)
        .await;
    server
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn sends_the_exact_reconnect_request() {
    let server = accepting_server().await;
    common::reconnect(
        &client(&server.uri()),
        "proxybackend",
        Some(Duration::from_secs(3)),
    )
    .await
    .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), PATH);
    assert_eq!(request.url.query(), Some("api-version=2024-05-01"));
    assert_eq!(
        header(request, "authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(header(request, "content-type"), Some("application/json"));
    assert_eq!(header(request, "accept"), Some("application/json"));
    assert_eq!(
        header(request, "user-agent"),
        Some(concat!("apim-client/", env!("CARGO_PKG_VERSION")))
    );
    let request_id = header(request, "x-ms-client-request-id").expect("client request id");
    assert_eq!(request_id.len(), 36, "{request_id}");
    assert_eq!(request.body, br#"{"properties":{"after":"PT3S"}}"#);
    let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body, json!({"properties": {"after": "PT3S"}}));
}

#[tokio::test]
async fn sends_no_body_without_parameters() {
    let server = accepting_server().await;
    common::reconnect(&client(&server.uri()), "proxybackend", None)
        .await
        .unwrap();

    let request = &server.received_requests().await.unwrap()[0];
    assert!(request.body.is_empty());
    assert_eq!(header(request, "content-type"), None);
    // ARM refuses a POST without Content-Length (411), so the empty body is explicit.
    assert_eq!(header(request, "content-length"), Some("0"));
}

#[tokio::test]
async fn every_request_has_its_own_client_request_id() {
    let server = accepting_server().await;
    let client = client(&server.uri());
    common::reconnect(&client, "proxybackend", None)
        .await
        .unwrap();
    common::reconnect(&client, "proxybackend", None)
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_ne!(
        header(&requests[0], "x-ms-client-request-id"),
        header(&requests[1], "x-ms-client-request-id")
    );
}

#[tokio::test]
async fn an_api_version_from_the_options_is_sent() {
    let server = accepting_server().await;
    let options = ApimClientOptions {
        api_version: "2023-09-01-preview".into(),
        ..options(&server.uri())
    };
    let client = client_with(Arc::new(StaticTokenCredential::new(TOKEN)), options);
    common::reconnect(&client, "proxybackend", None)
        .await
        .unwrap();
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.url.query(), Some("api-version=2023-09-01-preview"));
}

#[tokio::test]
async fn a_success_status_other_than_202_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let err = common::reconnect(&client(&server.uri()), "proxybackend", None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(200));
}

#[tokio::test]
async fn not_found_carries_the_arm_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-ms-request-id", "2f1b7c9e-req")
                .set_body_json(json!({"error": {"code": "ResourceNotFound", "message": "Backend not found.", "target": "backendId"}})),
        )
        .mount(&server)
        .await;
    let err = common::reconnect(&client(&server.uri()), "proxybackend", None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.code(), Some("ResourceNotFound"));
    assert_eq!(err.message(), Some("Backend not found."));
    assert_eq!(err.request_id(), Some("2f1b7c9e-req"));
    assert_eq!(err.operation(), Some("Backend_Reconnect"));
    assert_eq!(
        err.service_error().unwrap().target.as_deref(),
        Some("backendId")
    );
    assert!(err.client_request_id().is_some());
    assert_eq!(
        err.to_string(),
        "Backend_Reconnect: HTTP 404 ResourceNotFound: Backend not found. (request id 2f1b7c9e-req)"
    );
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "404 is not retried"
    );
}

#[tokio::test]
async fn throttling_is_retried_after_the_servers_wait() {
    let server = MockServer::start().await;
    common::answer_then(
        &server,
        ResponseTemplate::new(429).insert_header("Retry-After", "1"),
        1,
        ResponseTemplate::new(202),
    )
    .await;

    let started = Instant::now();
    common::reconnect(&client(&server.uri()), "proxybackend", None)
        .await
        .unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(1), "waited only {waited:?}");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        header(&requests[0], "x-ms-client-request-id"),
        header(&requests[1], "x-ms-client-request-id"),
        "a retry is the same logical request"
    );
}

#[tokio::test]
async fn bad_request_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"error": {"code": "ValidationError", "message": "bad"}})),
        )
        .mount(&server)
        .await;
    let err = common::reconnect(&client(&server.uri()), "proxybackend", None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ValidationError"));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn retries_stop_at_the_configured_count() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let options = ApimClientOptions {
        retry: RetryOptions {
            max_retries: 2,
            ..common::quick_retries()
        },
        ..options(&server.uri())
    };
    let client = client_with(Arc::new(StaticTokenCredential::new(TOKEN)), options);
    let err = common::reconnect(&client, "proxybackend", None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn unauthorized_refreshes_the_token_once() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::header(
        "authorization",
        "Bearer token-1",
    ))
    .respond_with(ResponseTemplate::new(401))
    .mount(&server)
    .await;
    Mock::given(wiremock::matchers::header(
        "authorization",
        "Bearer token-2",
    ))
    .respond_with(ResponseTemplate::new(202))
    .mount(&server)
    .await;
    let credential = Arc::new(CountingCredential::default());
    let client = client_with(credential.clone(), options(&server.uri()));
    common::reconnect(&client, "proxybackend", None)
        .await
        .unwrap();
    assert_eq!(credential.calls.load(Ordering::SeqCst), 2);
    // The fresh token is cached: no third call.
    common::reconnect(&client, "proxybackend", None)
        .await
        .unwrap();
    assert_eq!(credential.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_second_unauthorized_is_returned() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"error": {"code": "InvalidAuthenticationToken", "message": "no"}}),
        ))
        .mount(&server)
        .await;
    let err = common::reconnect(&client(&server.uri()), "proxybackend", None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidAuthenticationToken"));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn the_token_is_fetched_once_under_concurrency() {
    let server = accepting_server().await;
    let credential = Arc::new(CountingCredential::default());
    let client = client_with(credential.clone(), options(&server.uri()));
    let calls: Vec<_> = (0..32)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { common::reconnect(&client, "proxybackend", None).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(credential.calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn invalid_arguments_are_refused_before_sending() {
    let server = accepting_server().await;
    let client = client(&server.uri());
    let cases = [
        ("rg/1", "apimService1", "b", "resource_group_name"),
        ("rg1", "1service", "b", "service_name"),
        ("rg1", "apimService1", "..", "backend_id"),
        ("rg1", "apimService1", "", "backend_id"),
        ("rg1", "apimService1", &"b".repeat(81), "backend_id"),
    ];
    for (rg, service, backend, parameter) in cases {
        let err = client
            .backend_reconnect(rg, service, backend, None)
            .await
            .unwrap_err();
        match err.kind() {
            ErrorKind::InvalidArgument { parameter: p, .. } => assert_eq!(p, parameter),
            other => panic!("expected invalid argument, got {other:?}"),
        }
        assert!(
            err.to_string()
                .starts_with("Backend_Reconnect: invalid argument"),
            "{err}"
        );
    }
    let too_fine = BackendReconnectRequest::after(Duration::from_nanos(50));
    let err = client
        .backend_reconnect("rg1", "apimService1", "b", Some(&too_fine))
        .await
        .unwrap_err();
    assert!(
        err.is_invalid_argument() && err.to_string().contains("100 ns"),
        "{err}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_future_is_send_and_spawnable() {
    let server = accepting_server().await;
    let client = client(&server.uri());
    let task = tokio::spawn(async move {
        client
            .backend_reconnect("rg1", "apimService1", "proxybackend", None)
            .await
    });
    task.await.unwrap().unwrap();
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let err = common::reconnect(&client(&endpoint), "proxybackend", None)
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Transport), "{err:?}");
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn a_slow_answer_ends_in_a_timeout_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(202).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let options = ApimClientOptions {
        request_timeout: Duration::from_millis(200),
        ..options(&server.uri())
    };
    let client = client_with(Arc::new(StaticTokenCredential::new(TOKEN)), options);
    let started = Instant::now();
    let err = common::reconnect(&client, "proxybackend", None)
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Timeout), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[test]
fn plain_http_is_refused_except_on_loopback() {
    let credential = Arc::new(StaticTokenCredential::new(TOKEN));
    for endpoint in ["http://management.azure.com", "http://192.0.2.1:8080"] {
        let options = ApimClientOptions {
            endpoint: endpoint.into(),
            allow_http_loopback: true,
            ..Default::default()
        };
        let err = ApimClient::new(SUBSCRIPTION, credential.clone(), Some(options)).unwrap_err();
        assert!(err.to_string().contains("TLS is required"), "{err}");
    }
    let options = ApimClientOptions {
        endpoint: "http://127.0.0.1:1".into(),
        ..Default::default()
    };
    assert!(ApimClient::new(SUBSCRIPTION, credential.clone(), Some(options)).is_err());
    let options = ApimClientOptions {
        endpoint: "http://127.0.0.1:1".into(),
        allow_http_loopback: true,
        ..Default::default()
    };
    assert!(ApimClient::new(SUBSCRIPTION, credential, Some(options)).is_ok());
}

#[test]
fn the_token_never_shows_in_debug_or_errors() {
    let credential = Arc::new(StaticTokenCredential::new(TOKEN));
    assert!(!format!("{credential:?}").contains(TOKEN));
    let client = ApimClient::new(SUBSCRIPTION, credential, None).unwrap();
    assert!(!format!("{client:?}").contains(TOKEN));
    assert!(
        ApimClient::new(
            "not-a-uuid",
            Arc::new(StaticTokenCredential::new(TOKEN)),
            None
        )
        .is_err()
    );
}

#[tokio::test]
async fn with_response_exposes_status_and_request_id() {
    let server = accepting_server().await;
    let response = client(&server.uri())
        .backend()
        .reconnect("rg1", "apimService1", "proxybackend", None)
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    assert_eq!(response.request_id(), Some("req-202"));
    assert_eq!(response.etag(), None);
}
