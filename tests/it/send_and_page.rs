//! The sending path and paging at their edges: a list declared on POST, one retry budget
//! across a 401, an oversized retryable answer, a credential error before sending, and
//! `nextLink`s that are relative, lack an api-version, repeat, or never end. (The proxy
//! from the environment is `tests/proxy_env.rs`: it sets process environment variables,
//! so it runs in a binary of its own.)

use std::sync::Arc;
use std::time::{Duration, Instant};

use apim_client::{ApimClient, ErrorKind, Pager, RetryOptions, apim_operation};
use futures_util::StreamExt;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{self, CountingCredential};

trait SearchApi {
    /// A list declared on POST, with its query in the body.
    #[apim_operation(POST, "/subscriptions/<subscription_id>/search", status = [200])]
    fn search(&self, #[body] query: &Value) -> Pager<Value>;

    #[apim_operation(GET, "/subscriptions/<subscription_id>/things", status = [200])]
    fn list_things(&self) -> Pager<Value>;
}

impl SearchApi for ApimClient {}

const SEARCH: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/search";
const THINGS: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/things";

fn page(name: &str, next: Option<String>) -> ResponseTemplate {
    let mut body = json!({"value": [{"name": name}]});
    if let Some(next) = next {
        body["nextLink"] = json!(next);
    }
    ResponseTemplate::new(200).set_body_json(body)
}

/// Mounts `answers` to be given in order, one request each; the last one repeats.
async fn answer_in_order(server: &MockServer, answers: Vec<ResponseTemplate>) {
    let last = answers.len() - 1;
    for (i, answer) in answers.into_iter().enumerate() {
        let mock = Mock::given(wiremock::matchers::any()).respond_with(answer);
        let mock = if i < last {
            mock.up_to_n_times(1)
        } else {
            mock
        };
        mock.mount(server).await;
    }
}

#[tokio::test]
async fn a_paged_post_sends_its_body_and_follows_next_link_with_get() {
    let server = MockServer::start().await;
    let next = format!("{}/search/page2?api-version=2024-05-01", server.uri());
    Mock::given(method("POST"))
        .and(path(SEARCH))
        .respond_with(page("a", Some(next)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/search/page2"))
        .respond_with(page("b", None))
        .mount(&server)
        .await;
    let query = json!({"filter": "name eq 'a'"});
    let items = common::client(&server.uri())
        .search(&query)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(items.len(), 2);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].method.as_str(), "POST");
    assert_eq!(
        serde_json::from_slice::<Value>(&requests[0].body).unwrap(),
        query
    );
    assert_eq!(requests[0].headers["content-type"], "application/json");
    assert_eq!(requests[1].method.as_str(), "GET");
    assert!(requests[1].body.is_empty());
}

#[tokio::test]
async fn a_401_does_not_reset_the_retry_budget() {
    let server = MockServer::start().await;
    answer_in_order(
        &server,
        vec![
            ResponseTemplate::new(503).insert_header("retry-after-ms", "700"),
            ResponseTemplate::new(401),
            ResponseTemplate::new(503),
            ResponseTemplate::new(503),
        ],
    )
    .await;
    let options = apim_client::ApimClientOptions {
        retry: RetryOptions {
            max_retries: 1,
            max_elapsed: Duration::from_secs(1),
            ..RetryOptions::default()
        },
        ..common::options(&server.uri())
    };
    let client = common::client_with(Arc::new(CountingCredential::default()), options);
    let started = Instant::now();
    let err = common::reconnect(&client, "proxybackend", None)
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(err.status(), Some(503), "{err}");
    // One retry in the whole call: the first attempt, the retry, and the retry's one
    // re-send with a fresh token after its 401. Before the fix: 4 requests in 1.41 s.
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    // The waits: 700 ms once. (A bound generous enough for a loaded machine; the count
    // above is what tells one budget from two.)
    assert!(elapsed < Duration::from_millis(2_500), "{elapsed:?}");
}

#[tokio::test]
async fn a_retryable_answer_over_the_cap_keeps_its_status_and_is_retried() {
    let huge = vec![b'x'; 17 << 20];
    let server = MockServer::start().await;
    answer_in_order(
        &server,
        vec![
            ResponseTemplate::new(503).set_body_raw(huge.clone(), "text/plain"),
            ResponseTemplate::new(202),
        ],
    )
    .await;
    common::reconnect(&common::client(&server.uri()), "proxybackend", None)
        .await
        .unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 2);

    let server = MockServer::start().await;
    answer_in_order(
        &server,
        vec![ResponseTemplate::new(503).set_body_raw(huge, "text/plain")],
    )
    .await;
    let err = common::reconnect(&common::client(&server.uri()), "proxybackend", None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503), "{err}");
    assert!(matches!(err.kind(), ErrorKind::Service(_)), "{err:?}");
    let message = err.message().unwrap_or_default();
    assert!(message.len() <= 1024, "a short message, not 17 MiB");
}

#[tokio::test]
async fn a_credential_error_carries_no_client_request_id_since_nothing_was_sent() {
    #[derive(Debug)]
    struct Failing;
    #[async_trait::async_trait]
    impl apim_client::TokenCredential for Failing {
        async fn get_token(
            &self,
            _: &[&str],
            _: Option<azure_core::credentials::TokenRequestOptions<'_>>,
        ) -> azure_core::Result<azure_core::credentials::AccessToken> {
            Err(azure_core::Error::with_message(
                azure_core::error::ErrorKind::Credential,
                "no login",
            ))
        }
    }
    let server = MockServer::start().await;
    let client = common::client_with(Arc::new(Failing), common::options(&server.uri()));
    let err = common::reconnect(&client, "proxybackend", None)
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Credential), "{err:?}");
    assert_eq!(err.client_request_id(), None);
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// Lists two pages, the first pointing at `/things/page2` with `link`; returns the
/// second request's query string.
async fn follow_second_page(server: &MockServer, link: String) -> Option<String> {
    Mock::given(path(THINGS))
        .respond_with(page("a", Some(link)))
        .mount(server)
        .await;
    Mock::given(path("/things/page2"))
        .respond_with(page("b", None))
        .mount(server)
        .await;
    let items = common::client(&server.uri())
        .list_things()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(items.len(), 2);
    let requests = server.received_requests().await.unwrap();
    requests[1].url.query().map(str::to_owned)
}

#[tokio::test]
async fn a_next_link_without_api_version_gets_the_first_requests() {
    let server = MockServer::start().await;
    let link = format!("{}/things/page2?$skiptoken=2", server.uri());
    assert_eq!(
        follow_second_page(&server, link).await.as_deref(),
        Some("$skiptoken=2&api-version=2024-05-01")
    );
}

#[tokio::test]
async fn a_relative_next_link_is_resolved_against_the_endpoint() {
    let server = MockServer::start().await;
    let link = "/things/page2?api-version=2024-05-01".to_owned();
    assert_eq!(
        follow_second_page(&server, link).await.as_deref(),
        Some("api-version=2024-05-01")
    );
}

#[tokio::test]
async fn a_next_link_differing_only_by_fragment_is_a_loop() {
    let server = MockServer::start().await;
    let base = format!("{}/things/again?api-version=2024-05-01", server.uri());
    answer_in_order(
        &server,
        vec![
            page("a", Some(format!("{base}#1"))),
            page("b", Some(format!("{base}#2"))),
            page("c", Some(format!("{base}#3"))),
        ],
    )
    .await;
    let mut pager = common::client(&server.uri()).list_things();
    let outcome = tokio::time::timeout(Duration::from_secs(10), async {
        let mut items = 0;
        while let Some(item) = pager.next().await {
            match item {
                Ok(_) => items += 1,
                Err(e) => return (items, Some(e)),
            }
        }
        (items, None)
    })
    .await
    .expect("paging ends");
    assert_eq!(outcome.0, 2);
    let err = outcome.1.expect("a paging error");
    assert!(matches!(err.kind(), ErrorKind::Paging(_)), "{err}");
    assert!(err.to_string().contains("repeated"), "{err}");
}

#[tokio::test]
async fn pages_are_bounded_by_an_option() {
    /// A fresh `nextLink` on every page: a service that pages forever.
    struct Endless(String, std::sync::atomic::AtomicUsize);
    impl wiremock::Respond for Endless {
        fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
            let n = self.1.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            page(
                "x",
                Some(format!("{}/things/p{n}?api-version=2024-05-01", self.0)),
            )
        }
    }
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(Endless(server.uri(), Default::default()))
        .mount(&server)
        .await;
    let options = apim_client::ApimClientOptions {
        max_pages: 5,
        ..common::options(&server.uri())
    };
    let client = common::client_with(Arc::new(CountingCredential::default()), options);
    let err = client.list_things().collect_all().await.unwrap_err();
    assert!(err.to_string().contains("more than 5 pages"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 5);
}
