//! Faults, load and hostile input: the client must not lose a request, hang, leak a token
//! or panic. Every loop here is bounded in count and time, and talks only to 127.0.0.1.

use crate::common;

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use crate::common::{client_with, emulator_client, emulator_with_backend, options};
use apim_client::prelude::*;
use apim_client::{ApimClient, ApimClientOptions, ErrorKind, RetryOptions, StaticTokenCredential};
use apim_emulator::{Fault, RetryAfter};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::timeout;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const BOUND: Duration = Duration::from_secs(60);

/// [`common::reconnect`], bounded in time.
async fn reconnect(client: &ApimClient) -> apim_client::Result<()> {
    timeout(BOUND, common::reconnect(client, "proxybackend", None))
        .await
        .expect("bounded")
}

// ---- faults ----

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let emulator = emulator_with_backend().await;
    let at = SystemTime::now() + Duration::from_secs(2);
    emulator.inject(
        Fault::Status {
            status: 429,
            retry_after: Some(RetryAfter::HttpDate(at)),
        },
        1,
    );
    let started = Instant::now();
    reconnect(&emulator_client(&emulator, common::quick_retries()))
        .await
        .unwrap();
    // HTTP dates have one-second resolution: the wait is at least a second.
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(emulator.requests().len(), 2);
}

#[tokio::test]
async fn retries_are_bounded_by_count() {
    let emulator = emulator_with_backend().await;
    emulator.inject(
        Fault::Status {
            status: 503,
            retry_after: None,
        },
        100,
    );
    let client = emulator_client(
        &emulator,
        RetryOptions {
            max_retries: 2,
            ..common::quick_retries()
        },
    );
    let err = reconnect(&client).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.code(), Some("ServiceUnavailable"));
    assert_eq!(emulator.requests().len(), 3);

    emulator.clear_faults();
    emulator.inject(
        Fault::Status {
            status: 500,
            retry_after: None,
        },
        1,
    );
    let no_retries = emulator_client(&emulator, RetryOptions::none());
    assert_eq!(
        reconnect(&no_retries).await.unwrap_err().status(),
        Some(500)
    );
    assert_eq!(emulator.requests().len(), 4);
}

#[tokio::test]
async fn a_server_wait_beyond_the_time_budget_is_not_taken() {
    let emulator = emulator_with_backend().await;
    emulator.inject(Fault::throttle(3600), 1);
    let started = Instant::now();
    let err = reconnect(&emulator_client(&emulator, common::quick_retries()))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(emulator.requests().len(), 1);
}

#[tokio::test]
async fn a_server_wait_beyond_any_clock_is_not_taken_and_does_not_panic() {
    for (name, value) in [
        ("retry-after", "18446744073709551615"),
        ("x-ms-retry-after-ms", "18446744073709551615"),
        ("retry-after", "Fri, 31 Dec 9999 23:59:59 GMT"),
    ] {
        let server = answer(ResponseTemplate::new(503).insert_header(name, value)).await;
        let started = Instant::now();
        let err = reconnect(&common::client(&server.uri())).await.unwrap_err();
        assert_eq!(err.status(), Some(503), "{name}: {value}");
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn retries_are_bounded_by_time() {
    let emulator = emulator_with_backend().await;
    emulator.inject(
        Fault::Status {
            status: 503,
            retry_after: Some(RetryAfter::Millis(400)),
        },
        100,
    );
    let retry = RetryOptions {
        max_retries: 100,
        max_elapsed: Duration::from_secs(1),
        ..common::quick_retries()
    };
    let started = Instant::now();
    let err = reconnect(&emulator_client(&emulator, retry))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(
        (2..=4).contains(&emulator.requests().len()),
        "{}",
        emulator.requests().len()
    );
}

#[tokio::test]
async fn a_retry_is_cut_off_when_the_time_budget_ends() {
    let emulator = emulator_with_backend().await;
    emulator.inject(
        Fault::Status {
            status: 503,
            retry_after: Some(RetryAfter::Millis(300)),
        },
        1,
    );
    // The retry meets a stuck server; only its 5 s request timeout would end it.
    emulator.inject(Fault::Delay(Duration::from_secs(10)), 1);
    let opts = ApimClientOptions {
        request_timeout: Duration::from_secs(5),
        retry: RetryOptions {
            max_elapsed: Duration::from_secs(1),
            ..common::quick_retries()
        },
        ..options(emulator.endpoint())
    };
    let client = client_with(Arc::new(StaticTokenCredential::new(emulator.token())), opts);
    let started = Instant::now();
    let err = reconnect(&client).await.unwrap_err();
    let took = started.elapsed();
    assert!(matches!(err.kind(), ErrorKind::Timeout), "{err:?}");
    assert!(err.to_string().contains("max_elapsed"), "{err}");
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_millis(2_500),
        "a 1 s budget took {took:?}"
    );
    assert_eq!(emulator.requests().len(), 2);
}

#[tokio::test]
async fn dropping_the_future_mid_request_leaves_the_client_usable() {
    let emulator = emulator_with_backend().await;
    let client = emulator_client(&emulator, common::quick_retries());
    emulator.inject(Fault::Delay(Duration::from_secs(3)), 1);
    let abandoned = timeout(
        Duration::from_millis(200),
        client.backend_reconnect("rg1", "apimService1", "proxybackend", None),
    )
    .await;
    assert!(abandoned.is_err(), "the delayed request was still running");
    let started = Instant::now();
    reconnect(&client).await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the next request did not wait for the abandoned one"
    );
}

#[tokio::test]
async fn a_stuck_request_ends_with_a_timeout_and_is_not_retried() {
    let emulator = emulator_with_backend().await;
    emulator.inject(Fault::Delay(Duration::from_secs(10)), 5);
    let opts = ApimClientOptions {
        request_timeout: Duration::from_millis(300),
        ..options(emulator.endpoint())
    };
    let client = client_with(Arc::new(StaticTokenCredential::new(emulator.token())), opts);
    let started = Instant::now();
    let err = reconnect(&client).await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Timeout), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(emulator.requests().len(), 1);
}

/// A credential whose identity endpoint accepted the connection and went silent.
#[derive(Debug)]
struct SilentCredential;

#[async_trait::async_trait]
impl apim_client::TokenCredential for SilentCredential {
    async fn get_token(
        &self,
        _: &[&str],
        _: Option<azure_core::credentials::TokenRequestOptions<'_>>,
    ) -> azure_core::Result<azure_core::credentials::AccessToken> {
        std::future::pending().await
    }
}

#[tokio::test]
async fn a_hanging_credential_ends_the_call_with_a_credential_error() {
    let server = answer(ResponseTemplate::new(202)).await;
    let opts = ApimClientOptions {
        request_timeout: Duration::from_secs(1),
        credential_timeout: Duration::from_millis(500),
        retry: RetryOptions {
            max_elapsed: Duration::from_secs(5),
            ..common::quick_retries()
        },
        ..options(&server.uri())
    };
    let client = client_with(Arc::new(SilentCredential), opts);
    let started = Instant::now();
    let err = timeout(
        Duration::from_secs(10),
        common::reconnect(&client, "proxybackend", None),
    )
    .await
    .expect("the credential call is bounded")
    .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Credential), "{err:?}");
    assert!(
        err.to_string().contains("did not answer within 500ms"),
        "{err}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

// ---- load ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_reconnects_with_256_in_flight() {
    const TOTAL: usize = 10_000;
    const IN_FLIGHT: usize = 256;
    let emulator = emulator_with_backend().await;
    let client = emulator_client(&emulator, RetryOptions::default());
    let started = Instant::now();
    let workers: Vec<_> = (0..IN_FLIGHT)
        .map(|worker| {
            let client = client.clone();
            tokio::spawn(async move {
                let mut ok: usize = 0;
                for _ in (worker..TOTAL).step_by(IN_FLIGHT) {
                    client
                        .backend_reconnect("rg1", "apimService1", "proxybackend", None)
                        .await?;
                    ok += 1;
                }
                apim_client::Result::<usize>::Ok(ok)
            })
        })
        .collect();
    let mut succeeded = 0;
    for worker in workers {
        succeeded += timeout(Duration::from_secs(120), worker)
            .await
            .expect("bounded")
            .unwrap()
            .expect("no errors");
    }
    assert_eq!(succeeded, TOTAL);
    assert_eq!(emulator.reconnects().len(), TOTAL);
    eprintln!(
        "load: {TOTAL} reconnects, {IN_FLIGHT} in flight, {:?}, peak RSS of the test process {} (client and emulator)",
        started.elapsed(),
        peak_rss()
    );
}

fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l["VmHWM:".len()..].trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into())
}

// ---- security ----

#[tokio::test]
async fn redirects_are_not_followed_so_the_token_stays_home() {
    let elsewhere = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(202))
        .mount(&elsewhere)
        .await;
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/steal", elsewhere.uri())),
        )
        .mount(&server)
        .await;
    let err = reconnect(&common::client(&server.uri())).await.unwrap_err();
    assert_eq!(err.status(), Some(307));
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}

// ---- hostile or broken answers ----

async fn answer(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn malformed_and_mistyped_models_are_decode_errors() {
    for body in [
        &b"{\"name\": \"b1\", \"properties\": "[..],
        b"<html>oops</html>",
        b"{\"properties\": {\"url\": 42}}",
        b"\"just a string\"",
        b"\xff\xfe",
    ] {
        let server =
            answer(ResponseTemplate::new(200).set_body_raw(body.to_vec(), "application/json"))
                .await;
        let err = common::client(&server.uri())
            .backend()
            .get("rg1", "apimService1", "b1")
            .await
            .unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Decode), "{body:?}: {err:?}");
        assert!(
            err.to_string()
                .starts_with("Backend_Get: the response body could not be decoded"),
            "{err}"
        );
    }
}

#[tokio::test]
async fn a_huge_body_is_refused_not_buffered() {
    let huge = vec![b' '; 17 << 20];
    let server = answer(ResponseTemplate::new(200).set_body_raw(huge, "application/json")).await;
    let err = common::client(&server.uri())
        .backend()
        .get("rg1", "apimService1", "b1")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("larger than 16 MiB"), "{err}");
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "not retried"
    );
}

#[tokio::test]
async fn odd_error_answers_still_give_a_clear_error() {
    let cases = [
        ResponseTemplate::new(400).set_body_raw(b"\xff\xfe not utf-8".to_vec(), "text/plain"),
        ResponseTemplate::new(409).set_body_raw(
            b"{\"error\": \"just a string\"}".to_vec(),
            "application/json",
        ),
        ResponseTemplate::new(404)
            .set_body_raw(b"{\"error\": {\"code\": ".to_vec(), "application/json"),
        ResponseTemplate::new(412).insert_header("x-ms-error-code", "PreconditionFailed"),
    ];
    for template in cases {
        let server = answer(template).await;
        let err = reconnect(&common::client(&server.uri())).await.unwrap_err();
        assert!(err.status().is_some(), "{err:?}");
        assert!(!err.to_string().contains('\n'), "one line: {err}");
    }
}

#[tokio::test]
async fn garbage_wait_headers_fall_back_to_backoff() {
    let server = MockServer::start().await;
    common::answer_then(
        &server,
        ResponseTemplate::new(503)
            .insert_header("retry-after", "soon")
            .insert_header("x-ms-retry-after-ms", "-5"),
        2,
        ResponseTemplate::new(202),
    )
    .await;
    reconnect(&common::client(&server.uri())).await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

/// A server that promises 100 bytes, sends 10 and hangs up: a truncated answer.
#[tokio::test]
async fn a_truncated_body_is_a_transport_error_after_retries() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let mut served = 0;
        while served < 4 {
            let Ok(Ok((mut stream, _))) = timeout(BOUND, listener.accept()).await else {
                break;
            };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf).await;
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"name\":1")
                .await;
            served += 1;
        }
        served
    });
    let err = common::client(&endpoint)
        .backend()
        .get("rg1", "apimService1", "b1")
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Transport), "{err:?}");
    assert_eq!(
        server.await.unwrap(),
        4,
        "the first attempt and three retries"
    );
}
