//! The shipped methods against the REST description's official examples
//! (`codegen/description/examples/`, x-ms-examples of 2024-05-01, 664 files).
//!
//! `cases.rs` (written by `cargo run -p apim-codegen`) holds, per example, the call of the
//! shipped method through its handle with the example's parameters (its request body read
//! into the method's typed body), and the success code to answer. For each one this test
//! starts from a fresh local server (127.0.0.1) that answers the example's status, headers
//! and body, and checks:
//! - **decoded**: the call returns `Ok` with the typed model (every item of a list);
//! - **request**: what arrived has the example's path (the REST template filled with its
//!   parameters), query parameters and body (JSON-equal, its `null` members left out:
//!   the client writes an absent value as absent);
//! - **kept**: the typed model, written back, holds every member of the example's answer
//!   (`null` members aside). What a model drops is printed and must be the list below;
//! - **read-modify-write**: a `get` whose group creates the resource at the same path has
//!   the create called with the answer decoded as the create's body; the body sent must
//!   hold every member of the answer (bar `null`s).
//!
//! Polling: an answer's `Location`/`Azure-AsyncOperation` on management.azure.com points
//! at the local server; a poll is answered 200 with the example's body marked
//! `Succeeded`, and `Retry-After` is dropped so the test does not wait.

mod cases;

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use apim_client::{ApimClient, Pager, PollingOptions, Response, StaticTokenCredential};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::common;

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/codegen/description/examples");

type Call = Pin<Box<dyn Future<Output = Result<Value, String>> + Send>>;

/// A read-modify-write's create: the code it answers with (a create may accept only
/// 201), and the call given the read's answer as its body.
type Rewrite = (u16, fn(&'static ApimClient, Value) -> Call);

/// One example of one operation.
struct Case {
    operation_id: &'static str,
    file: &'static str,
    method: &'static str,
    /// The REST template, `{serviceName}` form.
    path: &'static str,
    /// The wire names of the operation's query parameters (`api-version` aside).
    query: &'static [&'static str],
    /// The example's parameter that is the request body.
    body: Option<&'static str>,
    /// The example's answer the server gives.
    status: u16,
    /// The call, given the example's body; the decoded model as JSON.
    call: fn(&'static ApimClient, Option<Value>) -> Call,
    /// For a read: the create at the same path.
    rewrite: Option<Rewrite>,
}

/// The example's body as the method's body type.
fn typed<T: DeserializeOwned>(body: Option<Value>) -> Result<T, String> {
    let body = body.ok_or("the example has no body")?;
    serde_json::from_value(body).map_err(|e| format!("the request body does not decode: {e}"))
}

/// The answer's model, written back as JSON.
fn decoded<T: Serialize>(answer: apim_client::Result<Response<T>>) -> Result<Value, String> {
    let answer = answer.map_err(|e| format!("the call failed: {e}"))?;
    serde_json::to_value(answer.model()).map_err(|e| format!("the model does not write: {e}"))
}

/// The first page's items, written back as a page (`{"value": [..]}`). One request: an
/// example's `nextLink` points at Azure, not here.
async fn items<T: Serialize + DeserializeOwned + Send + 'static>(
    mut pager: Pager<T>,
) -> Result<Value, String> {
    let page = match pager.next_page().await {
        Some(page) => page.map_err(|e| format!("the call failed: {e}"))?,
        None => return Ok(serde_json::json!({"value": []})),
    };
    if let Some(error) = page.errors.first() {
        return Err(format!("an item does not decode: {error:?}"));
    }
    let value =
        serde_json::to_value(&page.value).map_err(|e| format!("the items do not write: {e}"))?;
    let mut page_json = serde_json::json!({ "value": value });
    if let Some(count) = page.count {
        page_json["count"] = count.into();
    }
    if let Some(link) = page.next_link {
        page_json["nextLink"] = link.into();
    }
    Ok(page_json)
}

/// What the local server answers: the example's answer first, then (polls) 200 with its
/// body marked `Succeeded`.
struct Answers {
    first: ResponseTemplate,
    polled: ResponseTemplate,
    count: AtomicUsize,
}

impl Respond for Answers {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        match self.count.fetch_add(1, Ordering::SeqCst) {
            0 => self.first.clone(),
            _ => self.polled.clone(),
        }
    }
}

/// How one example fared.
#[derive(Default)]
struct Outcome {
    failure: Option<String>,
    request: Vec<String>,
    dropped: Vec<String>,
}

#[tokio::test]
async fn every_official_example_decodes_and_sends_its_request() {
    let server = MockServer::start().await;
    let mut clients: BTreeMap<String, &'static ApimClient> = BTreeMap::new();
    let mut outcomes = BTreeMap::new();
    let mut rewrites = BTreeMap::new();
    let mut operations = BTreeSet::new();
    for case in cases::CASES {
        operations.insert(case.operation_id);
        let example = read_example(case.file);
        let subscription = example["parameters"]["subscriptionId"]
            .as_str()
            .unwrap_or(common::SUBSCRIPTION)
            .to_owned();
        let client = *clients
            .entry(subscription.clone())
            .or_insert_with(|| Box::leak(Box::new(client(&server.uri(), &subscription))));
        let answer = &example["responses"][case.status.to_string()];
        let outcome = run(&server, client, case, &example, answer).await;
        outcomes.insert((case.operation_id, case.file), outcome);
        if let (Some((status, rewrite)), Some(body)) = (case.rewrite, answer.get("body")) {
            let outcome = run_rewrite(&server, client, status, rewrite, body).await;
            rewrites.insert((case.operation_id, case.file), outcome);
        }
    }

    let failed: Vec<_> = outcomes
        .iter()
        .filter_map(|(key, o)| o.failure.as_ref().map(|f| (key, f)))
        .collect();
    let differing: Vec<_> = outcomes
        .iter()
        .filter(|(_, o)| o.failure.is_none() && !o.request.is_empty())
        .collect();
    let dropping: Vec<_> = outcomes
        .iter()
        .filter(|(_, o)| o.failure.is_none() && !o.dropped.is_empty())
        .collect();
    let decoded = outcomes.len() - failed.len();
    let matching = decoded - differing.len();
    eprintln!(
        "examples: {} examples of {} operations ({} more lack a required parameter); \
         {decoded} decoded; {matching} sent the example's request; {} kept every member",
        outcomes.len(),
        operations.len(),
        cases::INCOMPLETE.len(),
        decoded - dropping.len(),
    );
    for ((id, file), failure) in &failed {
        eprintln!("  FAILED {id} ({file}): {failure}");
    }
    for ((id, file), outcome) in &differing {
        eprintln!("  REQUEST {id} ({file}): {}", outcome.request.join("; "));
    }
    for ((id, file), outcome) in &dropping {
        eprintln!("  DROPPED {id} ({file}): {}", outcome.dropped.join(", "));
    }
    let rewritten = rewrites.values().filter(|o| o.failure.is_none()).count();
    let keeping = rewrites
        .values()
        .filter(|o| o.failure.is_none() && o.dropped.is_empty())
        .count();
    eprintln!(
        "read-modify-write: {} reads with a create at the same path; {rewritten} answers \
         are valid create bodies; {keeping} sent back every member",
        rewrites.len()
    );
    for ((id, file), outcome) in &rewrites {
        match &outcome.failure {
            Some(failure) => eprintln!("  NOT A BODY {id} ({file}): {failure}"),
            None if !outcome.dropped.is_empty() => {
                eprintln!(
                    "  RMW DROPPED {id} ({file}): {}",
                    outcome.dropped.join(", ")
                );
            }
            None => {}
        }
    }
    for (file, reason) in cases::INCOMPLETE {
        eprintln!("  INCOMPLETE {file}: {reason}");
    }

    let exceptions: BTreeMap<&str, &str> = EXCEPTIONS.iter().copied().collect();
    let unexplained: Vec<String> = failed
        .iter()
        .map(|((_, file), _)| *file)
        .chain(differing.iter().map(|((_, file), _)| *file))
        .filter(|file| !exceptions.contains_key(file))
        .map(str::to_owned)
        .collect();
    assert!(
        unexplained.is_empty(),
        "examples that fail or send another request, with no reason in EXCEPTIONS: {unexplained:?}"
    );
    let dropped: BTreeSet<String> = outcomes
        .values()
        .chain(rewrites.values())
        .flat_map(|o| o.dropped.iter().cloned())
        .collect();
    let known: BTreeSet<String> = DROPPED.iter().map(|(f, _)| (*f).to_owned()).collect();
    assert_eq!(
        dropped, known,
        "the members the models drop are not the list DROPPED"
    );
}

/// The examples that fail or send another request, each with why it is the example's
/// fault, not the client's.
const EXCEPTIONS: &[(&str, &str)] = &[];

/// The members the models drop (answer decoded and written back, or sent back by a
/// read-modify-write), each with the decision.
const DROPPED: &[(&str, &str)] = &[
    ("rmw:/id", READ_ONLY),
    ("rmw:/name", READ_ONLY),
    ("rmw:/type", READ_ONLY),
    ("rmw:/properties/builtIn", READ_ONLY),
    ("rmw:/properties/createdDate", READ_ONLY),
    ("rmw:/properties/expirationDate", READ_ONLY),
    ("rmw:/properties/isDefault", READ_ONLY),
    ("rmw:/properties/keyVault/lastStatus", READ_ONLY),
    ("rmw:/properties/registrationDate", READ_ONLY),
    ("rmw:/properties/subject", READ_ONLY),
    ("rmw:/properties/thumbprint", READ_ONLY),
    (
        "rmw:/properties/displayName",
        "a tag description's: the tag's name, set from the tag (TagDescriptionCreateParameters has no such field)",
    ),
    (
        "rmw:/properties/tagId",
        "a tag description's: the tag's id, from the path (TagDescriptionCreateParameters has no such field)",
    ),
];

/// Why a read-modify-write rightly leaves a member out.
const READ_ONLY: &str = "set by the service (read-only in the description): the create's body model has no such field, and the service ignores it";

fn read_example(file: &str) -> Value {
    let path = Path::new(EXAMPLES).join(file);
    let text = std::fs::read_to_string(&path).expect("the example file is checked in");
    serde_json::from_str(&text).expect("the example file is JSON")
}

fn client(endpoint: &str, subscription: &str) -> ApimClient {
    let options = apim_client::ApimClientOptions {
        polling: PollingOptions {
            default_interval: Duration::ZERO,
            min_interval: Duration::ZERO,
            max_duration: Duration::from_secs(10),
            ..Default::default()
        },
        ..common::options(endpoint)
    };
    ApimClient::new(
        subscription,
        Arc::new(StaticTokenCredential::new(common::TOKEN)),
        Some(options),
    )
    .expect("valid test client")
}

async fn run(
    server: &MockServer,
    client: &'static ApimClient,
    case: &Case,
    example: &Value,
    answer: &Value,
) -> Outcome {
    server.reset().await;
    Mock::given(any())
        .respond_with(answers(&server.uri(), case.status, answer))
        .mount(server)
        .await;
    let body = case.body.map(|key| example["parameters"][key].clone());
    let result = (case.call)(client, body.clone()).await;
    let received = server.received_requests().await.unwrap_or_default();
    let mut outcome = Outcome::default();
    match result {
        Ok(model) => {
            if let Some(answer) = answer.get("body") {
                // Polled to its end: the final body is the answer marked `Succeeded`.
                let mut answer = answer.clone();
                if received.len() > 1
                    && let Some(state) = answer.pointer_mut("/properties/provisioningState")
                {
                    *state = Value::String("Succeeded".into());
                }
                outcome.dropped = missing(&answer, &model, "");
            }
        }
        Err(e) => outcome.failure = Some(e),
    }
    match received.first() {
        Some(request) => outcome.request = request_differences(case, example, body, request),
        None if outcome.failure.is_none() => outcome.request = vec!["nothing sent".into()],
        None => {}
    }
    outcome
}

async fn run_rewrite(
    server: &MockServer,
    client: &'static ApimClient,
    status: u16,
    rewrite: fn(&'static ApimClient, Value) -> Call,
    read: &Value,
) -> Outcome {
    server.reset().await;
    let answer = serde_json::json!({ "body": read });
    Mock::given(any())
        .respond_with(answers(&server.uri(), status, &answer))
        .mount(server)
        .await;
    let mut outcome = Outcome::default();
    if let Err(e) = rewrite(client, read.clone()).await {
        outcome.failure = Some(e);
        return outcome;
    }
    let received = server.received_requests().await.unwrap_or_default();
    match received
        .first()
        .map(|r| serde_json::from_slice::<Value>(&r.body))
    {
        Some(Ok(sent)) => outcome.dropped = missing(read, &sent, "rmw:"),
        Some(Err(e)) => outcome.failure = Some(format!("the create sent no JSON: {e}")),
        None => outcome.failure = Some("the create sent nothing".into()),
    }
    outcome
}

/// The example's answer (status, headers with Azure's origin made local, body), and what a
/// poll is answered.
fn answers(origin: &str, status: u16, answer: &Value) -> Answers {
    let body = answer.get("body");
    let mut first = ResponseTemplate::new(status);
    if let Some(headers) = answer.get("headers").and_then(Value::as_object) {
        for (name, value) in headers {
            let value = match value {
                Value::String(text) => text.replace("https://management.azure.com", origin),
                other => other.to_string(),
            };
            if !name.eq_ignore_ascii_case("retry-after") {
                first = first.insert_header(name.as_str(), value.as_str());
            }
        }
    }
    let text = |body: &Value| match body {
        // A text answer (a policy as XML, a link) is sent as it is.
        Value::String(text) if !text.trim_start().starts_with(['{', '[']) => {
            serde_json::to_string(text).unwrap_or_default()
        }
        other => other.to_string(),
    };
    if let Some(body) = body {
        first = first.set_body_raw(text(body), "application/json");
    }
    let mut done = body.cloned().unwrap_or_else(|| serde_json::json!({}));
    if let Some(state) = done.pointer_mut("/properties/provisioningState") {
        *state = Value::String("Succeeded".into());
    }
    // What an `Azure-AsyncOperation` monitor reads; a model ignores the extra member.
    if let Some(object) = done.as_object_mut() {
        object
            .entry("status")
            .or_insert_with(|| Value::String("Succeeded".into()));
    }
    Answers {
        first,
        polled: ResponseTemplate::new(200).set_body_raw(text(&done), "application/json"),
        count: AtomicUsize::new(0),
    }
}

/// How the request that arrived differs from the example's: path, query, body.
fn request_differences(
    case: &Case,
    example: &Value,
    body: Option<Value>,
    request: &Request,
) -> Vec<String> {
    let parameters = &example["parameters"];
    let mut differences = Vec::new();
    if request.method.as_str() != case.method {
        differences.push(format!("method {}", request.method));
    }
    let expected = expected_path(case.path, parameters);
    let sent: Vec<String> = request
        .url
        .path_segments()
        .map(|segments| segments.map(decoded_text).collect())
        .unwrap_or_default();
    if sent != expected {
        differences.push(format!(
            "path /{} (example /{})",
            sent.join("/"),
            expected.join("/")
        ));
    }
    let mut expected_query: BTreeSet<(String, String)> = case
        .query
        .iter()
        .filter_map(|name| {
            let value = parameters.get(*name)?;
            Some(((*name).to_owned(), text_of(value)))
        })
        .collect();
    if let Some(version) = parameters.get("api-version") {
        expected_query.insert(("api-version".into(), text_of(version)));
    }
    let sent_query: BTreeSet<(String, String)> = request.url.query_pairs().into_owned().collect();
    if sent_query != expected_query {
        differences.push(format!("query {sent_query:?} (example {expected_query:?})"));
    }
    if let Some(body) = body {
        match serde_json::from_slice::<Value>(&request.body) {
            Ok(sent) => {
                let lost = missing(&body, &sent, "");
                let added = missing(&sent, &body, "");
                if !lost.is_empty() || !added.is_empty() {
                    differences.push(format!("body without {lost:?}, with {added:?}"));
                }
            }
            Err(e) => differences.push(format!("the body sent is not JSON: {e}")),
        }
    }
    differences
}

/// The REST template's segments, each placeholder the example's value.
fn expected_path(template: &str, parameters: &Value) -> Vec<String> {
    template
        .trim_start_matches('/')
        .split('/')
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => parameters.get(name).map(text_of).unwrap_or_default(),
                None => segment.to_owned(),
            },
        )
        .collect()
}

fn decoded_text(segment: &str) -> String {
    percent_encoding::percent_decode_str(segment)
        .decode_utf8_lossy()
        .into_owned()
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The members of `expected` (bar `null`s) that `actual` lacks or holds another value of,
/// as JSON pointers under `prefix`. Numbers compare as numbers (`1` and `1.0`); texts that
/// are date-times compare as the instants they name.
fn missing(expected: &Value, actual: &Value, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    walk(expected, actual, prefix.to_owned(), &mut out);
    out
}

fn walk(expected: &Value, actual: &Value, at: String, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Null, _) => {}
        (Value::Object(want), Value::Object(have)) => {
            for (key, value) in want {
                let here = format!("{at}/{key}");
                match have.get(key) {
                    Some(found) => walk(value, found, here, out),
                    None if value.is_null() => {}
                    None => out.push(here),
                }
            }
        }
        (Value::Array(want), Value::Array(have)) => {
            let kept: Vec<&Value> = want.iter().filter(|v| !v.is_null()).collect();
            if kept.len() != have.len() {
                out.push(format!("{at} ({} items, {} kept)", kept.len(), have.len()));
                return;
            }
            for (index, (value, found)) in kept.into_iter().zip(have).enumerate() {
                walk(value, found, format!("{at}/{index}"), out);
            }
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => {}
        (Value::String(a), Value::String(b)) if same_text(a, b) => {}
        _ if expected == actual => {}
        _ => out.push(format!("{at} ({expected} -> {actual})")),
    }
}

/// Equal texts, or the same instant written two ways (`2017-06-01T00:00:00` and
/// `2017-06-01T00:00:00Z`), or the same duration (`PT1H` and `PT60M`).
fn same_text(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if let (Ok(a), Ok(b)) = (
        apim_client::datetime::parse(a),
        apim_client::datetime::parse(b),
    ) {
        return a == b;
    }
    matches!(
        (apim_client::duration::parse(a), apim_client::duration::parse(b)),
        (Ok(a), Ok(b)) if a == b
    )
}
