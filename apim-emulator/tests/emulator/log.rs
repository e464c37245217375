//! The request log and the per-response headers.

use std::sync::Arc;

use apim_emulator::{Fault, LOG_MAX_BYTES, RECORDED_BODY_MAX_BYTES};
use reqwest::Method;
use serde_json::json;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::common::{Harness, STEP, backend, is_uuid, json_body, send};

#[tokio::test]
async fn records_each_request_as_it_arrived() {
    let h = Harness::new().await;
    let body = json!({"properties": {"url": "https://a/"}});
    let put = send(json_body(
        h.request(Method::PUT, &backend("b%201"))
            .header("x-custom", "v"),
        &body,
    ))
    .await;
    let get = h.get(&backend("b%201")).await;
    h.emulator.inject(Fault::throttle(1), 1);
    let throttled = h.get(&backend("b%201")).await;

    let log = h.emulator.requests();
    assert_eq!(log.len(), 3);
    let first = &log[0];
    assert_eq!(first.method, "PUT");
    assert_eq!(
        first.path,
        backend("b%201"),
        "the path is kept percent-encoded"
    );
    assert_eq!(first.query.as_deref(), Some("api-version=2024-05-01"));
    assert_eq!(first.body, serde_json::to_vec(&body).unwrap());
    assert_eq!(first.status, 201);
    assert_eq!(first.request_id, put.header("x-ms-request-id").unwrap());
    assert_eq!(first.header("X-Custom"), Some("v"));
    assert!(
        first
            .headers
            .iter()
            .all(|(name, _)| *name == name.to_lowercase()),
        "{:?}",
        first.headers
    );
    assert_eq!(
        first.header("authorization"),
        Some("Bearer <redacted>"),
        "the scheme is kept, the credential never"
    );

    assert_eq!(
        (log[1].method.as_str(), log[1].status, log[1].body.len()),
        ("GET", 200, 0)
    );
    assert_eq!(log[1].request_id, get.header("x-ms-request-id").unwrap());
    assert_eq!(
        log[2].status, 429,
        "faulted requests are logged with the fault's status"
    );
    assert_eq!(
        log[2].request_id,
        throttled.header("x-ms-request-id").unwrap()
    );
}

/// A real token sent to the emulator by mistake must not end up in a test's output.
#[tokio::test]
async fn the_log_keeps_no_credential_and_its_debug_prints_none() {
    const REFUSED: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.real-looking";
    let h = Harness::new().await;
    let refused = send(h.http.get(h.url(&backend("b1"), "")).bearer_auth(REFUSED)).await;
    assert_eq!(refused.status, 401);
    h.get(&backend("b1")).await;
    send(
        h.request(Method::GET, &backend("b1"))
            .header("proxy-authorization", format!("Basic {REFUSED}"))
            .header("x-ms-authorization-auxiliary", format!("Bearer {REFUSED}")),
    )
    .await;

    let log = h.emulator.requests();
    assert_eq!(log.len(), 3);
    for request in &log {
        assert_eq!(request.header("authorization"), Some("Bearer <redacted>"));
    }
    assert_eq!(
        log[2].header("proxy-authorization"),
        Some("Basic <redacted>")
    );
    assert_eq!(
        log[2].header("x-ms-authorization-auxiliary"),
        Some("Bearer <redacted>")
    );
    let shown = format!("{log:?} {log:#?}");
    for secret in [REFUSED, h.emulator.token()] {
        assert!(!shown.contains(secret), "a credential in the log: {shown}");
    }
}

#[tokio::test]
async fn request_ids_are_fresh_and_client_request_id_is_echoed() {
    let h = Harness::new().await;
    let a = send(
        h.request(Method::GET, &backend("b1"))
            .header("x-ms-client-request-id", "my-id-1"),
    )
    .await;
    let b = h.get(&backend("b1")).await;
    assert_eq!(a.header("x-ms-client-request-id"), Some("my-id-1"));
    assert_eq!(b.header("x-ms-client-request-id"), None);
    assert_ne!(a.header("x-ms-request-id"), b.header("x-ms-request-id"));
    // Errors from every layer carry it too (checked by `send`): auth, api-version, faults.
    send(h.http.get(h.url(&backend("b1"), ""))).await;
    send(
        h.http
            .get(format!("{}{}", h.emulator.endpoint(), backend("b1")))
            .bearer_auth(h.emulator.token()),
    )
    .await;
    h.emulator.inject(Fault::unavailable(1), 1);
    let faulted = send(
        h.request(Method::GET, &backend("b1"))
            .header("x-ms-client-request-id", "my-id-2"),
    )
    .await;
    assert_eq!(faulted.header("x-ms-client-request-id"), Some("my-id-2"));
    assert_eq!(
        faulted.header("x-ms-correlation-request-id"),
        faulted.header("x-ms-request-id")
    );
    let correlated = send(
        h.request(Method::GET, &backend("b1"))
            .header("x-ms-correlation-request-id", "corr-1"),
    )
    .await;
    assert_eq!(
        correlated.header("x-ms-correlation-request-id"),
        Some("corr-1")
    );
    assert!(h.emulator.requests().iter().all(|r| is_uuid(&r.request_id)));
}

/// The load the client's tests put on it: 10,000 requests, 256 in flight.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_are_all_served_and_logged() {
    let h = Harness::new().await;
    h.put_backend("b1", "https://a/").await;
    let total = 10_000;
    let in_flight = Arc::new(Semaphore::new(256));
    let mut tasks = JoinSet::new();
    for _ in 0..total {
        let request = h.request(Method::GET, &backend("b1"));
        let in_flight = in_flight.clone();
        tasks.spawn(async move {
            let _permit = in_flight.acquire_owned().await.expect("semaphore open");
            send(request).await.status
        });
    }
    // A bound against hanging, not a speed target: 10,000 requests on a busy 2-core
    // machine can take longer than one ordinary step.
    let statuses = tokio::time::timeout(4 * STEP, tasks.join_all())
        .await
        .expect("10,000 requests did not finish within a minute");
    assert_eq!(statuses.len(), total);
    assert!(statuses.iter().all(|&s| s == 200));
    let log = h.emulator.requests();
    assert_eq!(log.len(), total + 1);
    assert!(log.iter().all(|r| matches!(r.status, 200 | 201)));
}

/// Thirty rejected 15 MiB PUTs once kept 450 MiB of bodies alive in the log.
#[tokio::test]
async fn large_bodies_do_not_grow_the_log_without_bound() {
    const BODY: usize = 15 << 20;
    let h = Harness::new().await;
    let body = vec![b'x'; BODY];
    for _ in 0..30 {
        let put = send(
            h.request(Method::PUT, &backend("big"))
                .header("content-type", "application/json")
                .body(body.clone()),
        )
        .await;
        assert_eq!(put.status, 400, "not JSON");
    }
    let log = h.emulator.requests();
    assert_eq!(log.len(), 30);
    for request in &log {
        assert_eq!(request.body.len(), RECORDED_BODY_MAX_BYTES);
        assert_eq!((request.body_len, request.body_truncated), (BODY, true));
    }
    let retained = h.emulator.request_log_bytes();
    assert!(retained < LOG_MAX_BYTES, "the log retains {retained} bytes");
    let bodies: usize = log.iter().map(|r| r.body.len()).sum();
    assert!(
        bodies <= retained,
        "{bodies} bytes of bodies, {retained} counted"
    );
}
