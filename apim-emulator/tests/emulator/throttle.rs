//! ARM's throttling buckets: off by default, then per subscription and kind, 429
//! `SubscriptionRequestsThrottled` with `Retry-After`, the remaining counts on every answer.

use apim_emulator::{Fault, ThrottleOptions};
use reqwest::Method;

use crate::common::{Harness, SERVICE, backend, send};

const REMAINING_READS: &str = "x-ms-ratelimit-remaining-subscription-reads";
const REMAINING_WRITES: &str = "x-ms-ratelimit-remaining-subscription-writes";
const REMAINING_DELETES: &str = "x-ms-ratelimit-remaining-subscription-deletes";

#[tokio::test]
async fn without_throttling_no_answer_carries_remaining_counts() {
    let h = Harness::new().await;
    for _ in 0..30 {
        let resp = h.get(SERVICE).await;
        assert_eq!(resp.status, 200);
        assert_eq!(resp.header(REMAINING_READS), None);
    }
    assert_eq!(h.emulator.throttled_requests(), 0);
}

#[tokio::test]
async fn an_empty_bucket_answers_arm_s_429_and_other_kinds_go_on() {
    let h = Harness::new().await;
    // Three of each kind, refilled far too slowly to matter within the test.
    h.emulator
        .set_throttle(Some(ThrottleOptions::uniform(3, 0.01)));
    for left in ["2", "1", "0"] {
        let resp = h.get(SERVICE).await;
        assert_eq!(resp.status, 200);
        assert_eq!(resp.header(REMAINING_READS), Some(left));
    }
    let refused = h.get(SERVICE).await;
    let error = refused.arm_error(429, "SubscriptionRequestsThrottled");
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("'read' requests for subscription '00000000-0000-0000-0000-000000000000'"),
        "{message}"
    );
    // 1 token at 0.01 a second: 100 s, in whole seconds as ARM writes it.
    assert_eq!(refused.header("retry-after"), Some("100"));
    assert_eq!(refused.header(REMAINING_READS), Some("0"));
    assert_eq!(h.emulator.throttled_requests(), 1);

    // Writes and deletes have buckets of their own.
    let put = h.put_backend("b1", "https://a/").await;
    assert_eq!(put.header(REMAINING_WRITES), Some("2"));
    assert_eq!(put.header(REMAINING_READS), None);
    let delete = send(
        h.request(Method::DELETE, &backend("b1"))
            .header("If-Match", "*"),
    )
    .await;
    assert_eq!(delete.status, 200, "{delete:?}");
    assert_eq!(delete.header(REMAINING_DELETES), Some("2"));
    // A refused request takes no fault: the fault goes to the next admitted one.
    h.emulator.inject(Fault::throttle(9), 1);
    h.get(SERVICE)
        .await
        .arm_error(429, "SubscriptionRequestsThrottled");
    let faulted = h
        .put(
            &backend("b2"),
            &serde_json::json!({"properties": {"url": "https://b/", "protocol": "http"}}),
        )
        .await;
    faulted.arm_error(429, "TooManyRequests");
    assert_eq!(h.emulator.throttled_requests(), 2);

    // Off again: no counts, no refusals.
    h.emulator.set_throttle(None);
    let resp = h.get(SERVICE).await;
    assert_eq!((resp.status, resp.header(REMAINING_READS)), (200, None));
}

#[tokio::test]
async fn requests_without_the_token_are_not_counted() {
    let h = Harness::new().await;
    h.emulator
        .set_throttle(Some(ThrottleOptions::uniform(1, 0.01)));
    for _ in 0..3 {
        let resp = send(h.http.get(h.url(SERVICE, "")).bearer_auth("wrong")).await;
        assert_eq!(resp.status, 401);
        assert_eq!(resp.header(REMAINING_READS), None);
    }
    assert_eq!(h.get(SERVICE).await.status, 200);
}

#[tokio::test]
async fn a_bucket_refills_at_its_rate() {
    let h = Harness::new().await;
    h.emulator
        .set_throttle(Some(ThrottleOptions::uniform(1, 20.0)));
    assert_eq!(h.get(SERVICE).await.status, 200);
    let refused = h.get(SERVICE).await;
    assert_eq!(refused.status, 429);
    // Under a second to the next token: ARM rounds up to 1.
    assert_eq!(refused.header("retry-after"), Some("1"));
    // 20 a second: a token after 50 ms; bounded rounds, so a slow machine is not a failure.
    let mut admitted = false;
    for _ in 0..40 {
        tokio::time::sleep(std::time::Duration::from_millis(60)).await;
        if h.get(SERVICE).await.status == 200 {
            admitted = true;
            break;
        }
    }
    assert!(admitted, "the bucket never refilled");
}
