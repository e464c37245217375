//! Paging rules for list operations, against wiremock on 127.0.0.1.

use crate::common;

use apim_client::{ApimClient, ErrorKind, Pager, apim_operation};
use futures_util::StreamExt;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

trait ThingApi {
    #[apim_operation(GET, "/subscriptions/<subscription_id>/things")]
    fn list_things(&self, #[query("$top")] top: Option<u32>) -> Pager<Value>;

    #[apim_operation(GET, "/subscriptions/<subscription_id>/things/<group>/items")]
    fn list_items(&self, group: &str) -> Pager<Value>;
}

impl ThingApi for ApimClient {}

const LIST: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/things";

fn page(items: &[&str], next: Option<String>) -> ResponseTemplate {
    let mut body = json!({"value": items.iter().map(|n| json!({"name": n})).collect::<Vec<_>>()});
    if let Some(next) = next {
        body["nextLink"] = json!(next);
    }
    ResponseTemplate::new(200).set_body_json(body)
}

fn names(items: &[Value]) -> Vec<&str> {
    items.iter().map(|v| v["name"].as_str().unwrap()).collect()
}

/// Three pages; the links carry their own query strings, which must be kept as given.
async fn three_pages(server: &MockServer) {
    let uri = server.uri();
    Mock::given(method("GET"))
        .and(path(LIST))
        .and(query_param("$top", "2"))
        .and(query_param("api-version", "2024-05-01"))
        .respond_with(page(
            &["a", "b"],
            Some(format!(
                "{uri}/next/page2?api-version=2024-05-01&$skiptoken=p%3D2&x=1"
            )),
        ))
        .mount(server)
        .await;
    Mock::given(path("/next/page2"))
        .and(query_param("$skiptoken", "p=2"))
        .and(query_param("x", "1"))
        .respond_with(page(
            &["c", "d"],
            Some(format!(
                "{uri}/next/page3?api-version=2024-05-01&$skiptoken=p%3D3"
            )),
        ))
        .mount(server)
        .await;
    Mock::given(path("/next/page3"))
        .respond_with(page(&["e"], None))
        .mount(server)
        .await;
}

#[tokio::test]
async fn follows_next_links_exactly_as_given() {
    let server = MockServer::start().await;
    three_pages(&server).await;
    let client = common::client(&server.uri());
    let items = client.list_things(Some(2)).collect_all().await.unwrap();
    assert_eq!(names(&items), ["a", "b", "c", "d", "e"]);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    assert_eq!(
        requests[1].url.query(),
        Some("api-version=2024-05-01&$skiptoken=p%3D2&x=1")
    );
    for request in &requests {
        assert_eq!(
            request.headers.get("authorization").unwrap(),
            &format!("Bearer {}", common::TOKEN)
        );
    }
}

#[tokio::test]
async fn the_pager_is_a_stream_of_items_and_of_pages() {
    let server = MockServer::start().await;
    three_pages(&server).await;
    let client = common::client(&server.uri());

    let streamed: Vec<Value> = client
        .list_things(Some(2))
        .map(|item| item.unwrap())
        .collect()
        .await;
    assert_eq!(names(&streamed), ["a", "b", "c", "d", "e"]);

    let mut pager = client.list_things(Some(2));
    let mut sizes = Vec::new();
    while let Some(page) = pager.next_page().await {
        sizes.push(page.unwrap().value.len());
    }
    assert_eq!(sizes, [2, 2, 1]);
    assert!(pager.next_page().await.is_none());
}

#[tokio::test]
async fn an_empty_next_link_ends_paging() {
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .respond_with(page(&["a"], Some(String::new())))
        .mount(&server)
        .await;
    let items = common::client(&server.uri())
        .list_things(None)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(names(&items), ["a"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_next_link_on_another_origin_is_refused() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(path(LIST))
        .respond_with(page(
            &["a"],
            Some(format!("{}/steal?api-version=2024-05-01", elsewhere.uri())),
        ))
        .mount(&server)
        .await;
    let mut pager = common::client(&server.uri()).list_things(None);
    assert_eq!(pager.next().await.unwrap().unwrap()["name"], "a");
    let err = pager.next().await.unwrap().unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Paging(_)), "{err:?}");
    assert!(err.to_string().contains("origin"), "{err}");
    assert!(pager.next().await.is_none(), "paging ends after an error");
    assert!(
        elsewhere.received_requests().await.unwrap().is_empty(),
        "the token must not leave the endpoint"
    );
}

#[tokio::test]
async fn a_repeated_next_link_is_an_error_not_a_loop() {
    let server = MockServer::start().await;
    let uri = server.uri();
    Mock::given(path(LIST))
        .respond_with(page(
            &["a"],
            Some(format!("{uri}/again?api-version=2024-05-01")),
        ))
        .mount(&server)
        .await;
    Mock::given(path("/again"))
        .respond_with(page(
            &["b"],
            Some(format!("{uri}/again?api-version=2024-05-01")),
        ))
        .mount(&server)
        .await;
    let err = common::client(&uri)
        .list_things(None)
        .collect_all()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("repeated"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn an_invalid_argument_surfaces_on_the_first_read() {
    let server = MockServer::start().await;
    let mut pager = common::client(&server.uri()).list_items("..");
    let err = pager.next().await.unwrap().unwrap_err();
    assert!(err.is_invalid_argument(), "{err:?}");
    assert!(pager.next().await.is_none());
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_failed_page_is_an_error_with_the_service_code() {
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({"error": {"code": "AuthorizationFailed", "message": "no"}})),
        )
        .mount(&server)
        .await;
    let err = common::client(&server.uri())
        .list_things(None)
        .collect_all()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("AuthorizationFailed"));
    assert_eq!(err.operation(), Some("list_things"));
}
