//! Injected faults: status answers with retry headers, delays, dropped connections.

use std::time::{Duration, Instant, SystemTime};

use apim_emulator::{Fault, RetryAfter};
use reqwest::Method;

use crate::common::{Harness, backend, bounded, send};

#[tokio::test]
async fn throttle_answers_429_with_retry_after_then_normal() {
    let h = Harness::new().await;
    h.put_backend("b1", "https://a/").await;
    h.emulator.inject(Fault::throttle(7), 1);
    let resp = h.get(&backend("b1")).await;
    resp.arm_error(429, "TooManyRequests");
    assert_eq!(resp.header("retry-after"), Some("7"));
    assert_eq!(resp.header("x-ms-retry-after-ms"), None);
    assert_eq!(
        h.get(&backend("b1")).await.status,
        200,
        "one fault, one request"
    );
}

#[tokio::test]
async fn millis_retry_after_uses_x_ms_retry_after_ms() {
    let h = Harness::new().await;
    h.emulator.inject(
        Fault::Status {
            status: 429,
            retry_after: Some(RetryAfter::Millis(1500)),
        },
        1,
    );
    let resp = h.get(&backend("b1")).await;
    resp.arm_error(429, "TooManyRequests");
    assert_eq!(resp.header("x-ms-retry-after-ms"), Some("1500"));
    assert_eq!(resp.header("retry-after"), None);
}

#[tokio::test]
async fn http_date_retry_after() {
    let h = Harness::new().await;
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_900_000_000);
    h.emulator.inject(
        Fault::Status {
            status: 503,
            retry_after: Some(RetryAfter::HttpDate(at)),
        },
        1,
    );
    let resp = h.get(&backend("b1")).await;
    resp.arm_error(503, "ServiceUnavailable");
    assert_eq!(
        resp.header("retry-after"),
        Some("Sun, 17 Mar 2030 17:46:40 GMT")
    );
}

#[tokio::test]
async fn unavailable_and_other_statuses() {
    let h = Harness::new().await;
    h.emulator.inject(Fault::unavailable(2), 1);
    h.emulator.inject(
        Fault::Status {
            status: 500,
            retry_after: None,
        },
        1,
    );
    let resp = h.get(&backend("b1")).await;
    resp.arm_error(503, "ServiceUnavailable");
    assert_eq!(resp.header("retry-after"), Some("2"));
    let resp = h.get(&backend("b1")).await;
    resp.arm_error(500, "InjectedFault");
    assert_eq!(resp.header("retry-after"), None);
    h.get(&backend("b1"))
        .await
        .arm_error(404, "ResourceNotFound");
    // A status that cannot be a final answer becomes 500 rather than breaking the connection.
    h.emulator.inject(
        Fault::Status {
            status: 100,
            retry_after: None,
        },
        1,
    );
    h.get(&backend("b1")).await.arm_error(500, "InjectedFault");
}

#[tokio::test]
async fn count_is_consumed_in_fifo_order_then_normal() {
    let h = Harness::new().await;
    h.put_backend("b1", "https://a/").await;
    h.emulator.inject(Fault::throttle(1), 2);
    h.emulator.inject(Fault::unavailable(1), 1);
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(h.get(&backend("b1")).await.status);
    }
    assert_eq!(statuses, [429, 429, 503, 200]);
}

#[tokio::test]
async fn faults_apply_to_any_path() {
    let h = Harness::new().await;
    h.emulator.inject(Fault::throttle(1), 1);
    let resp = send(
        h.http
            .get(format!("{}/anything", h.emulator.endpoint()))
            .bearer_auth(h.emulator.token()),
    )
    .await;
    resp.arm_error(429, "TooManyRequests");
}

#[tokio::test]
async fn clear_faults_forgets_pending_ones() {
    let h = Harness::new().await;
    h.emulator.inject(Fault::throttle(1), 5);
    h.emulator.clear_faults();
    h.get(&backend("b1"))
        .await
        .arm_error(404, "ResourceNotFound");
}

#[tokio::test]
async fn delay_waits_then_handles_normally() {
    let h = Harness::new().await;
    h.put_backend("b1", "https://a/").await;
    h.emulator
        .inject(Fault::Delay(Duration::from_millis(300)), 1);
    let started = Instant::now();
    let resp = h.get(&backend("b1")).await;
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(resp.status, 200);
    assert_eq!(resp.json()["name"], "b1");
    let started = Instant::now();
    h.get(&backend("b1")).await;
    assert!(
        started.elapsed() < Duration::from_millis(300),
        "the delay applies once"
    );
}

#[tokio::test]
async fn delayed_requests_do_not_block_others() {
    let h = Harness::new().await;
    h.emulator.inject(Fault::Delay(Duration::from_secs(2)), 1);
    let path = backend("b1");
    let slow = h.get(&path);
    let fast = async {
        // Give the slow request time to arrive and take the fault first.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let started = Instant::now();
        h.get(&backend("b1")).await;
        started.elapsed()
    };
    let (_, fast_elapsed) = tokio::join!(slow, fast);
    assert!(fast_elapsed < Duration::from_secs(1), "{fast_elapsed:?}");
}

#[tokio::test]
async fn drop_connection_surfaces_as_a_transport_error() {
    let h = Harness::new().await;
    h.put_backend("b1", "https://a/").await;
    h.emulator.inject(Fault::DropConnection, 1);
    let result = bounded(h.request(Method::GET, &backend("b1")).send()).await;
    let error = result.expect_err("a dropped connection is not a response");
    assert!(!error.is_timeout(), "{error:?}");
    assert!(error.status().is_none(), "{error:?}");
    assert_eq!(
        h.get(&backend("b1")).await.status,
        200,
        "the next request is handled normally"
    );
    let log = h.emulator.requests();
    let statuses: Vec<u16> = log.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [201, 0, 200]);
}

/// ARM authenticates first, and throttles per principal: a request without this
/// emulator's token is answered 401 and leaves the injected faults to the requests that
/// carry it, so a stray or wrongly authenticated request cannot take a test's fault.
#[tokio::test]
async fn faults_are_left_to_authenticated_requests() {
    let h = Harness::new().await;
    h.put_backend("b1", "https://a/").await;
    h.emulator.inject(Fault::throttle(1), 1);
    h.emulator.inject(Fault::DropConnection, 1);
    let url = h.url(&backend("b1"), "");
    send(h.http.get(&url))
        .await
        .arm_error(401, "AuthenticationFailed");
    send(h.http.get(&url).bearer_auth("not-the-token"))
        .await
        .arm_error(401, "InvalidAuthenticationToken");
    h.get(&backend("b1"))
        .await
        .arm_error(429, "TooManyRequests");
    let dropped = bounded(h.request(Method::GET, &backend("b1")).send()).await;
    assert!(dropped.is_err(), "{dropped:?}");
    assert_eq!(h.get(&backend("b1")).await.status, 200);
    let statuses: Vec<u16> = h.emulator.requests().iter().map(|r| r.status).collect();
    assert_eq!(&statuses[1..], [401, 401, 429, 0, 200]);
}
