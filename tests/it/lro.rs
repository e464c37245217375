//! Long-running operations on the wire (wiremock on 127.0.0.1): each polling header style,
//! the quirks APIM really answers with, failure, cancellation, waits, the time limit, the
//! foreign origin, resuming and dropping.

use std::sync::Arc;
use std::time::{Duration, Instant};

use apim_client::{
    ApimClient, ApimClientOptions, ErrorKind, OperationState, PollStatus, Poller, PollingOptions,
    apim_operation,
};
use futures_util::StreamExt;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common;

trait ThingApi {
    #[apim_operation(PUT, "/subscriptions/<subscription_id>/things/<name>", status = [200, 201])]
    fn create(&self, name: &str, #[body] thing: &Value) -> Poller<Value>;

    #[apim_operation(DELETE, "/subscriptions/<subscription_id>/things/<name>", status = [200, 202, 204])]
    fn delete(&self, name: &str) -> Poller<()>;

    #[apim_operation(POST, "/subscriptions/<subscription_id>/things/<name>/act", status = [200, 202])]
    fn act(&self, name: &str) -> Poller<Value>;

    /// A DELETE whose description names a final model (as `ApiGateway_Delete`'s does).
    #[apim_operation(DELETE, "/subscriptions/<subscription_id>/things/<name>", status = [200, 202, 204], final_state = "location")]
    fn delete_returning(&self, name: &str) -> Poller<Option<Value>>;

    #[apim_operation(POST, "/subscriptions/<subscription_id>/things/<name>/act", status = [200, 202], final_state = "azure-async-operation")]
    fn act_with_status_result(&self, name: &str) -> Poller<Value>;
}

impl ThingApi for ApimClient {}

const THING: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/things/t1";

/// A client that polls fast: no server wait below 10 ms, 20 ms when none is given.
fn fast_client(server: &MockServer) -> ApimClient {
    client_polling(
        server,
        PollingOptions {
            default_interval: Duration::from_millis(20),
            min_interval: Duration::from_millis(10),
            ..PollingOptions::default()
        },
    )
}

fn client_polling(server: &MockServer, polling: PollingOptions) -> ApimClient {
    let options = ApimClientOptions {
        polling,
        ..common::options(&server.uri())
    };
    common::client_with(Arc::new(common::CountingCredential::default()), options)
}

/// Mounts `answers` on GETs of `at`, in order, one request each; the last one repeats.
async fn answer_gets(server: &MockServer, at: &str, answers: Vec<ResponseTemplate>) {
    let last = answers.len() - 1;
    for (i, answer) in answers.into_iter().enumerate() {
        let mock = Mock::given(method("GET"))
            .and(path(at))
            .respond_with(answer);
        let mock = if i < last {
            mock.up_to_n_times(1)
        } else {
            mock
        };
        mock.mount(server).await;
    }
}

/// Mounts the first answer: `verb` answers `status` with `header` pointing at `path` on
/// the same server (with the api-version, as ARM writes it).
async fn answer_first(server: &MockServer, verb: &str, status: u16, header: &str, path: &str) {
    let url = format!("{}{path}?api-version=2024-05-01", server.uri());
    Mock::given(method(verb))
        .respond_with(ResponseTemplate::new(status).insert_header(header, url.as_str()))
        .mount(server)
        .await;
}

fn status(word: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"id": "op1", "name": "op1", "status": word}))
}

/// Every status until the end, then the final value.
async fn drive<T: apim_client::__private::ResponseBody + Send + 'static>(
    mut poller: Poller<T>,
) -> (Vec<PollStatus>, apim_client::Result<T>) {
    let mut statuses = Vec::new();
    while let Some(status) = poller.next_status().await {
        match status {
            Ok(status) => statuses.push(status),
            Err(e) => return (statuses, Err(e)),
        }
    }
    (
        statuses,
        poller.await.map(apim_client::Response::into_model),
    )
}

fn states(statuses: &[PollStatus]) -> Vec<OperationState> {
    statuses.iter().map(|s| s.state.clone()).collect()
}

async fn requests(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect()
}

#[tokio::test]
async fn put_with_azure_async_operation_reads_the_original_uri_at_the_end() {
    let server = MockServer::start().await;
    let monitor = format!("{}/operations/op1?api-version=2024-05-01&t=x", server.uri());
    Mock::given(method("PUT"))
        .and(path(THING))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("azure-asyncoperation", monitor.as_str())
                .set_body_json(json!({"properties": {"provisioningState": "InProgress"}})),
        )
        .mount(&server)
        .await;
    answer_gets(
        &server,
        "/operations/op1",
        vec![
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "InProgress", "percentComplete": 50})),
            status("Succeeded"),
        ],
    )
    .await;
    answer_gets(
        &server,
        THING,
        vec![ResponseTemplate::new(200).set_body_json(
            json!({"name": "t1", "properties": {"provisioningState": "Succeeded"}}),
        )],
    )
    .await;
    let (statuses, thing) = drive(fast_client(&server).create("t1", &json!({}))).await;
    assert_eq!(thing.unwrap()["name"], "t1");
    assert_eq!(
        states(&statuses),
        [
            OperationState::Running("InProgress".into()),
            OperationState::Running("InProgress".into()),
            OperationState::Succeeded
        ]
    );
    assert_eq!(statuses[1].percent_complete, Some(50.0));
    assert_eq!(
        requests(&server).await,
        [
            format!("PUT {THING}"),
            "GET /operations/op1".into(),
            "GET /operations/op1".into(),
            format!("GET {THING}")
        ]
    );
    // The status URL is followed exactly as written, its api-version included.
    let polled = &server.received_requests().await.unwrap()[1];
    assert_eq!(polled.url.query(), Some("api-version=2024-05-01&t=x"));
}

#[tokio::test]
async fn operation_location_is_followed_and_a_delete_without_location_ends_without_a_body() {
    let server = MockServer::start().await;
    answer_first(
        &server,
        "DELETE",
        202,
        "operation-location",
        "/operations/op2",
    )
    .await;
    answer_gets(
        &server,
        "/operations/op2",
        vec![status("Running"), status("succeeded")],
    )
    .await;
    let (statuses, result) = drive(fast_client(&server).delete("t1")).await;
    result.unwrap();
    assert_eq!(statuses.len(), 3);
    assert_eq!(
        statuses[0].state,
        OperationState::Running("Accepted".into())
    );
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn delete_with_location_only_polls_it_until_204() {
    let server = MockServer::start().await;
    let location = format!("{}/results/op3?api-version=2024-05-01", server.uri());
    Mock::given(method("DELETE"))
        .respond_with(
            ResponseTemplate::new(202)
                .insert_header("location", location.as_str())
                .insert_header("retry-after", "0"),
        )
        .mount(&server)
        .await;
    answer_gets(
        &server,
        "/results/op3",
        vec![
            ResponseTemplate::new(202),
            ResponseTemplate::new(202),
            ResponseTemplate::new(204),
        ],
    )
    .await;
    let (statuses, result) = drive(fast_client(&server).delete("t1")).await;
    result.unwrap();
    assert_eq!(states(&statuses).last(), Some(&OperationState::Succeeded));
    assert_eq!(
        requests(&server).await.len(),
        4,
        "no final read after the 204"
    );
}

#[tokio::test]
async fn an_empty_final_body_is_no_resource() {
    let server = MockServer::start().await;
    answer_first(&server, "DELETE", 202, "location", "/results/gone").await;
    answer_gets(&server, "/results/gone", vec![ResponseTemplate::new(204)]).await;
    assert_eq!(
        fast_client(&server)
            .delete_returning("t1")
            .await
            .unwrap()
            .into_model(),
        None
    );
}

#[tokio::test]
async fn post_reads_the_location_for_its_result() {
    let server = MockServer::start().await;
    let monitor = format!("{}/operations/op4?api-version=2024-05-01", server.uri());
    let location = format!("{}/results/op4?api-version=2024-05-01", server.uri());
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(202)
                .insert_header("azure-asyncoperation", monitor.as_str())
                .insert_header("location", location.as_str()),
        )
        .mount(&server)
        .await;
    answer_gets(&server, "/operations/op4", vec![status("Succeeded")]).await;
    answer_gets(
        &server,
        "/results/op4",
        vec![ResponseTemplate::new(200).set_body_json(json!({"result": 42}))],
    )
    .await;
    let result = fast_client(&server).act("t1").await.unwrap().into_model();
    assert_eq!(result["result"], 42);

    // With `final_state = "azure-async-operation"` the status resource is the result.
    let status_result = fast_client(&server)
        .act_with_status_result("t1")
        .await
        .unwrap()
        .into_model();
    assert_eq!(status_result["status"], "Succeeded");
}

#[tokio::test]
async fn a_put_without_headers_polls_the_provisioning_state_of_the_resource() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"properties": {"provisioningState": "Creating"}})),
        )
        .mount(&server)
        .await;
    answer_gets(
        &server,
        THING,
        vec![
            ResponseTemplate::new(200)
                .set_body_json(json!({"properties": {"provisioningState": "Creating"}})),
            ResponseTemplate::new(200).set_body_json(
                json!({"name": "t1", "properties": {"provisioningState": "Succeeded"}}),
            ),
        ],
    )
    .await;
    let (statuses, thing) = drive(fast_client(&server).create("t1", &json!({}))).await;
    assert_eq!(thing.unwrap()["name"], "t1");
    assert_eq!(
        statuses[0].state,
        OperationState::Running("Creating".into())
    );
    assert_eq!(
        requests(&server).await.len(),
        3,
        "the last poll is the final resource"
    );
}

#[tokio::test]
async fn quirk_a_status_without_status_reads_the_provisioning_state() {
    let server = MockServer::start().await;
    answer_first(
        &server,
        "PUT",
        201,
        "azure-asyncoperation",
        "/operations/op5",
    )
    .await;
    answer_gets(
        &server,
        "/operations/op5",
        vec![
            ResponseTemplate::new(200)
                .set_body_json(json!({"properties": {"provisioningState": "Succeeded"}})),
        ],
    )
    .await;
    answer_gets(
        &server,
        THING,
        vec![ResponseTemplate::new(200).set_body_json(json!({"name": "t1"}))],
    )
    .await;
    let thing = fast_client(&server)
        .create("t1", &json!({}))
        .await
        .unwrap()
        .into_model();
    assert_eq!(thing["name"], "t1");
}

#[tokio::test]
async fn quirk_a_location_at_the_resource_answers_404_until_the_import_ends() {
    let server = MockServer::start().await;
    let location = format!("{}{THING}?api-version=2024-05-01&asyncId=1", server.uri());
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(201).insert_header("location", location.as_str()))
        .mount(&server)
        .await;
    answer_gets(
        &server,
        THING,
        vec![
            ResponseTemplate::new(404)
                .set_body_json(json!({"error": {"code": "ResourceNotFound"}})),
            ResponseTemplate::new(404)
                .set_body_json(json!({"error": {"code": "ResourceNotFound"}})),
            ResponseTemplate::new(202),
            ResponseTemplate::new(200).set_body_json(json!({"name": "imported"})),
        ],
    )
    .await;
    let (statuses, thing) = drive(fast_client(&server).create("t1", &json!({}))).await;
    assert_eq!(thing.unwrap()["name"], "imported");
    assert_eq!(
        statuses[1].state,
        OperationState::Running("NotFound".into())
    );
}

#[tokio::test]
async fn quirk_a_first_answer_that_is_already_final_is_not_polled() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"name": "t1", "properties": {"provisioningState": "Succeeded"}}),
            ),
        )
        .mount(&server)
        .await;
    let thing = fast_client(&server)
        .create("t1", &json!({}))
        .await
        .unwrap()
        .into_model();
    assert_eq!(thing["name"], "t1");
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    fast_client(&server).delete("t1").await.unwrap();
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_delete_or_post_answered_200_without_a_polling_header_is_final_whatever_its_body_says() {
    let server = MockServer::start().await;
    let deleting = json!({"name": "t1", "properties": {"provisioningState": "Deleting"}});
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&deleting))
        .mount(&server)
        .await;
    let acting = json!({"result": 7, "properties": {"provisioningState": "InProgress"}});
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&acting))
        .mount(&server)
        .await;
    let client = fast_client(&server);
    let (statuses, deleted) = drive(client.delete("t1")).await;
    deleted.unwrap();
    assert_eq!(states(&statuses), [OperationState::Succeeded]);
    let acted = tokio::time::timeout(Duration::from_secs(10), client.act("t1"))
        .await
        .expect("no polling")
        .unwrap();
    assert_eq!(acted.status(), 200, "the first answer is the final one");
    assert_eq!(acted.into_model(), acting, "the first answer is the result");
    assert_eq!(
        requests(&server).await,
        [format!("DELETE {THING}"), format!("POST {THING}/act")],
        "nothing polled"
    );
}

#[tokio::test]
async fn a_new_location_from_a_202_poll_is_followed() {
    let server = MockServer::start().await;
    answer_first(&server, "DELETE", 202, "location", "/results/first").await;
    let next = format!("{}/results/second?api-version=2024-05-01", server.uri());
    answer_gets(
        &server,
        "/results/first",
        vec![ResponseTemplate::new(202).insert_header("location", next.as_str())],
    )
    .await;
    answer_gets(&server, "/results/second", vec![ResponseTemplate::new(204)]).await;
    let mut poller = fast_client(&server).delete("t1");
    poller.next_status().await.unwrap().unwrap();
    poller.next_status().await.unwrap().unwrap();
    // A resume token taken now re-attaches where the service moved the operation.
    let token = poller.resume_token().expect("running").to_owned();
    let (statuses, result) = tokio::time::timeout(Duration::from_secs(10), drive(poller))
        .await
        .expect("the new Location is polled, not the old one forever");
    result.unwrap();
    assert_eq!(states(&statuses), [OperationState::Succeeded]);
    assert_eq!(
        requests(&server).await,
        [
            format!("DELETE {THING}"),
            "GET /results/first".into(),
            "GET /results/second".into()
        ]
    );
    Poller::<()>::resume(&fast_client(&server), &token)
        .unwrap()
        .await
        .unwrap();
    assert_eq!(
        requests(&server).await.last().map(String::as_str),
        Some("GET /results/second")
    );

    // A new Location on another origin is refused before anything is sent there.
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    answer_first(&server, "DELETE", 202, "location", "/results/first").await;
    let foreign = format!("{}/results/x?api-version=2024-05-01", elsewhere.uri());
    answer_gets(
        &server,
        "/results/first",
        vec![ResponseTemplate::new(202).insert_header("location", foreign.as_str())],
    )
    .await;
    let err = tokio::time::timeout(Duration::from_secs(10), fast_client(&server).delete("t1"))
        .await
        .expect("bounded")
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Polling(_)), "{err}");
    assert!(err.to_string().contains("never sent elsewhere"), "{err}");
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn quirk_a_202_without_a_polling_header_on_delete_is_a_clear_error() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(202))
        .mount(&server)
        .await;
    let err = tokio::time::timeout(Duration::from_secs(5), fast_client(&server).delete("t1"))
        .await
        .expect("no hang")
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Polling(_)), "{err}");
    assert!(err.to_string().contains("nothing to poll"), "{err}");
    assert_eq!(err.operation(), Some("delete"));
}

#[tokio::test]
async fn failed_carries_the_arm_error_the_operation_and_the_request_id() {
    let server = MockServer::start().await;
    answer_first(
        &server,
        "DELETE",
        202,
        "azure-asyncoperation",
        "/operations/op6",
    )
    .await;
    answer_gets(
        &server,
        "/operations/op6",
        vec![
            ResponseTemplate::new(200)
                .insert_header("x-ms-request-id", "req-failed")
                .set_body_json(json!({"status": "Failed", "error": {
                "code": "ValidationError", "message": "The API is in use.",
                "details": [{"code": "InUse", "message": "by product p1"}]}})),
        ],
    )
    .await;
    let err = fast_client(&server).delete("t1").await.unwrap_err();
    let ErrorKind::OperationFailed(error) = err.kind() else {
        panic!("{err:?}");
    };
    assert_eq!(error.code.as_deref(), Some("ValidationError"));
    assert_eq!(error.details[0].code.as_deref(), Some("InUse"));
    assert_eq!(err.code(), Some("ValidationError"));
    assert_eq!(err.request_id(), Some("req-failed"));
    assert_eq!(err.operation(), Some("delete"));
    assert_eq!(
        err.to_string(),
        "delete: the long-running operation failed ValidationError: The API is in use. (request id req-failed)"
    );
}

#[tokio::test]
async fn canceled_is_its_own_error() {
    let server = MockServer::start().await;
    answer_first(
        &server,
        "DELETE",
        202,
        "azure-asyncoperation",
        "/operations/op7",
    )
    .await;
    answer_gets(&server, "/operations/op7", vec![status("Cancelled")]).await;
    let err = fast_client(&server).delete("t1").await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::OperationCanceled(_)),
        "{err:?}"
    );
}

/// A DELETE whose status URL says `InProgress` once, with `retry_after` on both answers.
async fn one_wait(server: &MockServer, retry_after: Option<&str>) {
    let monitor = format!("{}/operations/w?api-version=2024-05-01", server.uri());
    let mut first =
        ResponseTemplate::new(202).insert_header("azure-asyncoperation", monitor.as_str());
    let mut running = status("InProgress");
    if let Some(wait) = retry_after {
        first = first.insert_header("retry-after", wait);
        running = running.insert_header("retry-after", wait);
    }
    Mock::given(method("DELETE"))
        .respond_with(first)
        .mount(server)
        .await;
    answer_gets(server, "/operations/w", vec![running, status("Succeeded")]).await;
}

#[tokio::test]
async fn retry_after_seconds_and_dates_are_waited() {
    let server = MockServer::start().await;
    one_wait(&server, Some("1")).await;
    let started = Instant::now();
    fast_client(&server).delete("t1").await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "two waits of 1 s"
    );

    let server = MockServer::start().await;
    let date = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2));
    one_wait(&server, Some(&date)).await;
    let started = Instant::now();
    fast_client(&server).delete("t1").await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
}

/// How long a DELETE that is `InProgress` once takes, with these waits. The test server
/// is on loopback, where the first waits may be shorter than the minimum: `fast_polls`
/// says how many (`0`, as on any other endpoint: none).
async fn time_one_wait(
    retry_after: Option<&str>,
    default_ms: u64,
    min_ms: u64,
    fast_polls: u32,
) -> Duration {
    let server = MockServer::start().await;
    one_wait(&server, retry_after).await;
    let client = client_polling(
        &server,
        PollingOptions {
            default_interval: Duration::from_millis(default_ms),
            min_interval: Duration::from_millis(min_ms),
            loopback_fast_polls: fast_polls,
            ..PollingOptions::default()
        },
    );
    let started = Instant::now();
    client.delete("t1").await.unwrap();
    started.elapsed()
}

#[tokio::test]
async fn without_retry_after_the_default_interval_is_waited_and_never_less_than_the_minimum() {
    let took = time_one_wait(None, 300, 10, 20).await;
    assert!(
        took >= Duration::from_millis(600),
        "two default waits: {took:?}"
    );
    let took = time_one_wait(Some("0"), 10, 250, 0).await;
    assert!(
        took >= Duration::from_millis(500),
        "the minimum wins over 0: {took:?}"
    );
    // After the loopback's fast polls (here one), the minimum holds again.
    let took = time_one_wait(Some("0"), 10, 250, 1).await;
    assert!(
        took >= Duration::from_millis(250),
        "one fast poll, then the minimum: {took:?}"
    );
}

#[tokio::test]
async fn the_overall_limit_is_its_own_error() {
    let server = MockServer::start().await;
    answer_first(
        &server,
        "DELETE",
        202,
        "azure-asyncoperation",
        "/operations/forever",
    )
    .await;
    answer_gets(&server, "/operations/forever", vec![status("InProgress")]).await;
    let client = client_polling(
        &server,
        PollingOptions {
            default_interval: Duration::from_millis(50),
            min_interval: Duration::from_millis(10),
            max_duration: Duration::from_millis(400),
            ..PollingOptions::default()
        },
    );
    let err = tokio::time::timeout(Duration::from_secs(10), client.delete("t1"))
        .await
        .expect("bounded")
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::PollingTimedOut), "{err:?}");
}

#[tokio::test]
async fn a_retry_after_beyond_any_clock_ends_polling_with_an_error_not_a_panic() {
    for wait in [
        "18446744073709551615".to_owned(),
        "Fri, 31 Dec 9999 23:59:59 GMT".to_owned(),
    ] {
        // A second in, so the elapsed time has whole seconds to add to the wait.
        let server = MockServer::start().await;
        let monitor = format!("{}/operations/w?api-version=2024-05-01", server.uri());
        Mock::given(method("DELETE"))
            .respond_with(
                ResponseTemplate::new(202)
                    .insert_header("azure-asyncoperation", monitor.as_str())
                    .insert_header("retry-after", "1"),
            )
            .mount(&server)
            .await;
        answer_gets(
            &server,
            "/operations/w",
            vec![status("InProgress").insert_header("retry-after", wait.as_str())],
        )
        .await;
        let polled = tokio::spawn(async move {
            let client = fast_client(&server);
            client.delete("t1").await
        });
        let err = tokio::time::timeout(Duration::from_secs(10), polled)
            .await
            .expect("no wait is taken past the polling limit")
            .expect("no panic")
            .unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::PollingTimedOut),
            "{wait}: {err:?}"
        );
    }
}

#[tokio::test]
async fn a_polling_url_on_another_origin_is_refused_before_anything_is_sent_there() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    let monitor = format!("{}/operations/x?api-version=2024-05-01", elsewhere.uri());
    Mock::given(method("DELETE"))
        .respond_with(
            ResponseTemplate::new(202).insert_header("azure-asyncoperation", monitor.as_str()),
        )
        .mount(&server)
        .await;
    let err = fast_client(&server).delete("t1").await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Polling(_)), "{err}");
    assert!(err.to_string().contains("never sent elsewhere"), "{err}");
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_poller_resumes_from_its_token() {
    let server = MockServer::start().await;
    answer_first(&server, "PUT", 201, "azure-asyncoperation", "/operations/r").await;
    answer_gets(
        &server,
        "/operations/r",
        vec![status("InProgress"), status("Succeeded")],
    )
    .await;
    answer_gets(
        &server,
        THING,
        vec![ResponseTemplate::new(200).set_body_json(json!({"name": "t1"}))],
    )
    .await;
    let client = fast_client(&server);
    let mut poller = client.create("t1", &json!({}));
    assert!(poller.resume_token().is_none(), "nothing sent yet");
    poller.next_status().await.unwrap().unwrap();
    let token = poller
        .resume_token()
        .expect("a token once running")
        .to_owned();
    drop(poller);

    // A later run: a new client, the token.
    let client = fast_client(&server);
    let thing = Poller::<Value>::resume(&client, &token)
        .unwrap()
        .await
        .unwrap()
        .into_model();
    assert_eq!(thing["name"], "t1");

    // A token that names another origin is refused.
    let other = MockServer::start().await;
    let err = Poller::<Value>::resume(&fast_client(&other), &token).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Polling(_)), "{err}");
    assert!(Poller::<()>::resume(&client, "not a token").is_err());
}

#[tokio::test]
async fn dropping_the_poller_stops_polling() {
    let server = MockServer::start().await;
    answer_first(
        &server,
        "DELETE",
        202,
        "azure-asyncoperation",
        "/operations/d",
    )
    .await;
    answer_gets(&server, "/operations/d", vec![status("InProgress")]).await;
    let mut poller = fast_client(&server).delete("t1");
    poller.next_status().await.unwrap().unwrap();
    poller.next_status().await.unwrap().unwrap();
    drop(poller);
    let sent = requests(&server).await.len();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        requests(&server).await.len(),
        sent,
        "nothing polls after the drop"
    );
}

#[tokio::test]
async fn polls_are_retried_like_any_request() {
    let server = MockServer::start().await;
    answer_first(
        &server,
        "DELETE",
        202,
        "azure-asyncoperation",
        "/operations/flaky",
    )
    .await;
    answer_gets(
        &server,
        "/operations/flaky",
        vec![ResponseTemplate::new(503), status("Succeeded")],
    )
    .await;
    let statuses: Vec<_> = fast_client(&server).delete("t1").collect().await;
    assert_eq!(statuses.len(), 2);
    assert!(statuses.iter().all(Result::is_ok));
    assert_eq!(requests(&server).await.len(), 3);
}
