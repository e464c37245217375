//! The shipped methods and Microsoft's generator agree on the wire, for all 613 operations.
//!
//! `cases.rs` holds, per operation, the request the official Python SDK's own
//! `build_*_request` produced for recorded sample arguments, and the call of the shipped
//! method (through its group's handle, with typed bodies and options) with the same
//! samples (written by `cargo run -p apim-codegen` from `codegen/description/`). This test
//! makes each call against a recording server that answers a sample of the operation's
//! model, and compares what arrived with what the SDK built: method, path as sent
//! (percent-encoded), query parameters, and the headers the SDK sets; the call must also
//! decode the answer. Operations that differ must be exactly the allow-list.

mod cases;

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;

use apim_client::{ApimClient, Pager};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::common;

/// The operations in the description (`codegen/description/apim-2024-05-01.json`).
const OPERATIONS: usize = 613;

type Call = Pin<Box<dyn Future<Output = apim_client::Result<()>> + Send>>;

/// One operation: what to answer, how to call it, what the SDK sent.
struct Case {
    operation_id: &'static str,
    answer: Answer,
    sent: Sent,
    call: fn(&'static ApimClient) -> Call,
}

/// A success the operation accepts, which needs no polling and no next page.
struct Answer {
    status: u16,
    body: &'static str,
}

/// The request the SDK built for the samples.
struct Sent {
    method: &'static str,
    path: &'static str,
    query: &'static str,
    headers: &'static [(&'static str, &'static str)],
}

/// Reads the first page: that is the one request the SDK's builder describes.
async fn first_page<T: serde::de::DeserializeOwned + Send + 'static>(
    mut pager: Pager<T>,
) -> apim_client::Result<()> {
    match pager.next_page().await {
        Some(page) => page.map(drop),
        None => Ok(()),
    }
}

#[tokio::test]
async fn every_operation_sends_what_the_sdk_sends() {
    assert_eq!(cases::CASES.len(), OPERATIONS);
    let server = MockServer::start().await;
    let client: &'static ApimClient = Box::leak(Box::new(common::client(&server.uri())));

    let mut differing = BTreeMap::new();
    for case in cases::CASES {
        server.reset().await;
        let answer = ResponseTemplate::new(case.answer.status)
            .set_body_raw(case.answer.body, "application/json");
        Mock::given(any()).respond_with(answer).mount(&server).await;
        let outcome = (case.call)(client).await;
        let received = server.received_requests().await.expect("recording is on");
        let differences = differences(&case.sent, outcome, &received);
        if !differences.is_empty() {
            differing.insert(case.operation_id, differences);
        }
    }

    let agreeing = OPERATIONS - differing.len();
    eprintln!("oracle: {agreeing}/{OPERATIONS} operations send what the SDK sends and succeed");
    for (operation_id, differences) in &differing {
        eprintln!("  {operation_id}: {}", differences.join("; "));
    }
    let known: BTreeMap<&str, &str> = cases::KNOWN_DISAGREEMENTS.iter().copied().collect();
    let unexpected: Vec<_> = differing
        .keys()
        .filter(|id| !known.contains_key(*id))
        .collect();
    let now_agreeing: Vec<_> = known
        .keys()
        .filter(|id| !differing.contains_key(*id))
        .collect();
    assert!(
        unexpected.is_empty() && now_agreeing.is_empty(),
        "the allow-list (codegen/src/allow_list.rs) is not exact: differing but not listed \
         {unexpected:?}; listed but agreeing {now_agreeing:?}"
    );
}

/// Everything in which the one request that arrived differs from the SDK's, and the
/// call's failure if it failed: before sending (a refusal), or on our canned answer.
fn differences(sent: &Sent, outcome: apim_client::Result<()>, received: &[Request]) -> Vec<String> {
    let request = match (received, &outcome) {
        ([request], _) => request,
        ([], Err(e)) => return vec![format!("nothing sent: {e}")],
        (requests, _) => return vec![format!("{} requests, not one", requests.len())],
    };
    let mut differences = Vec::new();
    if request.method.as_str() != sent.method {
        differences.push(format!("method {} (SDK {})", request.method, sent.method));
    }
    if request.url.path() != sent.path {
        differences.push(format!("path {} (SDK {})", request.url.path(), sent.path));
    }
    let query = request.url.query().unwrap_or_default();
    if query_pairs(query) != query_pairs(sent.query) {
        differences.push(format!("query {query} (SDK {})", sent.query));
    }
    for (name, value) in sent.headers {
        let ours = request
            .headers
            .get(*name)
            .map(|v| v.to_str().unwrap_or("<not text>"));
        if ours != Some(value) {
            differences.push(format!("header {name}: {ours:?} (SDK {value:?})"));
        }
    }
    if let Err(e) = outcome {
        differences.push(format!("sent as the SDK does, but the call failed: {e}"));
    }
    differences
}

/// The raw (still percent-encoded) `name=value` pairs in order of name: the order of query
/// parameters carries no meaning, and ours puts `api-version` first where the SDK puts it
/// last. The encoding of each pair must be the same, character for character.
fn query_pairs(query: &str) -> Vec<&str> {
    let mut pairs: Vec<&str> = query.split('&').filter(|pair| !pair.is_empty()).collect();
    pairs.sort_unstable();
    pairs
}
