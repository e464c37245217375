//! Long-running operations, as APIM 2024-05-01 runs them: the first answer, the status URL
//! (`Azure-AsyncOperation`), the result URL (`Location`), and injected LRO faults.

use apim_emulator::LroFault;
use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Harness, Resp, SERVICE, is_uuid, json_body, send};

fn api(id: &str) -> String {
    format!("{SERVICE}/apis/{id}")
}

fn named_value(id: &str) -> String {
    format!("{SERVICE}/namedValues/{id}")
}

fn backup() -> String {
    format!("{SERVICE}/backup")
}

fn backup_parameters() -> Value {
    json!({"storageAccount": "acct", "containerName": "backups", "backupName": "b1"})
}

/// An API's PUT body.
fn api_body(path: &str) -> Value {
    json!({"properties": {"displayName": "Echo", "path": path, "protocols": ["https"]}})
}

/// The two URLs a first answer gives.
pub(crate) struct Links {
    status: String,
    result: String,
    operation_id: String,
}

impl Harness {
    /// Checks the first answer's `Azure-AsyncOperation`, `Location` and `Retry-After`, and
    /// returns the URLs.
    pub(crate) fn links(&self, first: &Resp) -> Links {
        let status = first
            .header("azure-asyncoperation")
            .unwrap_or_else(|| panic!("no Azure-AsyncOperation: {first:?}"));
        let result = first
            .header("location")
            .unwrap_or_else(|| panic!("no Location: {first:?}"));
        let prefix = format!("{}{SERVICE}/operationStatuses/", self.emulator.endpoint());
        let operation_id = status
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix("?api-version=2024-05-01"))
            .unwrap_or_else(|| panic!("status URL {status}"));
        assert!(is_uuid(operation_id), "{operation_id}");
        assert_eq!(
            result,
            format!(
                "{}{SERVICE}/operationResults/{operation_id}?api-version=2024-05-01",
                self.emulator.endpoint()
            )
        );
        Links {
            status: status.to_string(),
            result: result.to_string(),
            operation_id: operation_id.to_string(),
        }
    }

    /// An authenticated GET of an absolute URL.
    pub(crate) async fn poll(&self, url: &str) -> Resp {
        send(self.http.get(url).bearer_auth(self.emulator.token())).await
    }

    /// Polls the status URL until it is no longer in progress, checking each in-progress
    /// answer; returns the number of in-progress answers and the last status body.
    pub(crate) async fn poll_status_to_end(&self, links: &Links) -> (u32, Value) {
        let mut in_progress = 0;
        loop {
            let resp = self.poll(&links.status).await;
            assert_eq!(resp.status, 200, "{resp:?}");
            let body = resp.json();
            if body["status"] != "InProgress" {
                assert_eq!(resp.header("retry-after"), None);
                return (in_progress, body);
            }
            in_progress += 1;
            assert!(in_progress <= 10, "never finishes");
            assert_eq!(resp.header("retry-after"), Some("0"));
            assert!(body["percentComplete"].is_number(), "{body}");
            assert!(body.get("endTime").is_none(), "{body}");
        }
    }

    pub(crate) async fn post(&self, path: &str, body: Option<&Value>) -> Resp {
        let request = self.request(Method::POST, path);
        send(match body {
            Some(body) => json_body(request, body),
            None => request,
        })
        .await
    }

    /// An unconditional PATCH (`If-Match: *`, which the description requires).
    pub(crate) async fn patch(&self, path: &str, body: &Value) -> Resp {
        send(json_body(
            self.request(Method::PATCH, path).header("if-match", "*"),
            body,
        ))
        .await
    }

    /// An unconditional DELETE (`If-Match: *`, which the description requires).
    pub(crate) async fn delete(&self, path: &str) -> Resp {
        send(self.request(Method::DELETE, path).header("if-match", "*")).await
    }
}

impl Links {
    pub(crate) fn result(&self) -> &str {
        &self.result
    }
}

fn assert_rfc3339(value: &Value) {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("{value} is not text"));
    let bytes = text.as_bytes();
    assert!(
        text.len() >= 20 && bytes[4] == b'-' && bytes[10] == b'T' && text.ends_with('Z'),
        "{text}"
    );
}

#[tokio::test]
async fn api_create_answers_201_in_progress_then_succeeds_after_the_polls() {
    let h = Harness::new().await;
    let first = h.put(&api("echo"), &api_body("echo")).await;
    assert_eq!(first.status, 201, "{first:?}");
    assert_eq!(first.header("retry-after"), Some("0"));
    let pending = first.json();
    assert_eq!(pending["id"], api("echo"));
    assert_eq!(pending["name"], "echo");
    assert_eq!(pending["type"], "Microsoft.ApiManagement/service/apis");
    assert_eq!(pending["properties"]["path"], "echo");
    assert_eq!(pending["properties"]["provisioningState"], "InProgress");
    let links = h.links(&first);
    // Being created: not there yet, as in APIM.
    h.get(&api("echo")).await.arm_error(404, "ResourceNotFound");

    let first_poll = h.poll(&links.status).await.json();
    assert_eq!(
        first_poll["id"],
        format!("{SERVICE}/operationStatuses/{}", links.operation_id)
    );
    assert_eq!(first_poll["name"], links.operation_id.as_str());
    assert_eq!(first_poll["status"], "InProgress");
    assert_eq!(first_poll["percentComplete"], 33);
    assert_rfc3339(&first_poll["startTime"]);
    let (in_progress, done) = h.poll_status_to_end(&links).await;
    assert_eq!(in_progress, 1, "two polls in progress by default");
    assert_eq!(done["status"], "Succeeded");
    assert_eq!(done["startTime"], first_poll["startTime"]);
    assert_rfc3339(&done["endTime"]);
    assert!(done.get("percentComplete").is_none() && done.get("error").is_none());

    let stored = h.get(&api("echo")).await;
    assert_eq!(stored.status, 200);
    assert_eq!(
        stored.json()["properties"]["provisioningState"],
        "Succeeded"
    );
    assert_eq!(stored.json()["properties"]["displayName"], "Echo");
    let result = h.poll(&links.result).await;
    assert_eq!(result.status, 200);
    assert_eq!(result.json(), stored.json());
    assert_eq!(result.header("etag"), stored.header("etag"));
    // Finished operations stay finished.
    assert_eq!(h.poll(&links.status).await.json()["status"], "Succeeded");
}

#[tokio::test]
async fn api_replace_answers_200_and_the_old_resource_stays_until_done() {
    let h = Harness::new().await;
    h.emulator
        .put_json(&api("Echo"), json!({"displayName": "Old", "path": "old"}))
        .expect("valid path");
    let first = h.put(&api("echo"), &api_body("new")).await;
    assert_eq!(first.status, 200, "{first:?}");
    assert_eq!(first.json()["name"], "Echo", "keeps the created casing");
    assert_eq!(first.json()["properties"]["path"], "new");
    assert_eq!(
        first.json()["properties"]["provisioningState"],
        "InProgress"
    );
    let links = h.links(&first);
    assert_eq!(
        h.get(&api("echo")).await.json()["properties"]["path"],
        "old"
    );
    h.poll_status_to_end(&links).await;
    assert_eq!(
        h.get(&api("echo")).await.json()["properties"]["path"],
        "new"
    );
}

#[tokio::test]
async fn result_url_answers_202_until_done_and_polls_of_both_urls_count() {
    let h = Harness::new().await;
    let first = h
        .put(
            &named_value("nv1"),
            &json!({"properties": {"displayName": "nv1", "value": "v"}}),
        )
        .await;
    assert_eq!(first.status, 201, "{first:?}");
    let links = h.links(&first);
    assert_eq!(h.poll(&links.status).await.json()["status"], "InProgress");
    let waiting = h.poll(&links.result).await;
    assert_eq!(waiting.status, 202, "{waiting:?}");
    assert!(waiting.body.is_empty());
    assert_eq!(waiting.header("location"), Some(links.result.as_str()));
    assert_eq!(waiting.header("retry-after"), Some("0"));
    let done = h.poll(&links.result).await;
    assert_eq!(done.status, 200, "{done:?}");
    assert_eq!(done.json()["properties"]["value"], "v");
    assert_eq!(done.json()["properties"]["provisioningState"], "Succeeded");
    assert_eq!(done.header("retry-after"), None);
    assert_eq!(h.get(&named_value("nv1")).await.json(), done.json());
}

#[tokio::test]
async fn api_delete_answers_202_then_204_and_the_api_is_gone() {
    let h = Harness::new().await;
    h.emulator
        .put_json(&api("echo"), json!({"path": "echo"}))
        .expect("valid path");
    let first = h.delete(&api("echo")).await;
    assert_eq!(first.status, 202, "{first:?}");
    assert!(first.body.is_empty());
    assert_eq!(first.header("retry-after"), Some("0"));
    let links = h.links(&first);
    assert_eq!(
        h.get(&api("echo")).await.status,
        200,
        "still there while deleting"
    );
    for _ in 0..2 {
        assert_eq!(h.poll(&links.result).await.status, 202);
    }
    let done = h.poll(&links.result).await;
    assert_eq!(done.status, 204, "{done:?}");
    assert!(done.body.is_empty());
    h.get(&api("echo")).await.arm_error(404, "ResourceNotFound");
    assert_eq!(h.poll(&links.status).await.json()["status"], "Succeeded");
}

#[tokio::test]
async fn deleting_a_missing_api_is_204_at_once_and_starts_nothing() {
    let h = Harness::new().await;
    h.emulator.inject_lro(LroFault::Canceled, 1);
    let resp = h.delete(&api("none")).await;
    assert_eq!(resp.status, 204, "{resp:?}");
    assert_eq!(resp.header("azure-asyncoperation"), None);
    assert_eq!(resp.header("location"), None);
    // The fault is still there for the next operation that starts.
    let first = h.put(&api("a"), &api_body("a")).await;
    let (_, done) = h.poll_status_to_end(&h.links(&first)).await;
    assert_eq!(done["status"], "Canceled");
}

#[tokio::test]
async fn preconditions_are_checked_before_an_operation_starts() {
    let h = Harness::new().await;
    h.emulator
        .put_json(&api("echo"), json!({"path": "echo"}))
        .expect("valid path");
    for resp in [
        send(
            h.request(Method::DELETE, &api("echo"))
                .header("if-match", "\"stale\""),
        )
        .await,
        send(json_body(
            h.request(Method::PUT, &api("echo"))
                .header("if-match", "\"stale\""),
            &api_body("x"),
        ))
        .await,
        send(json_body(
            h.request(Method::PUT, &api("new")).header("if-match", "*"),
            &api_body("x"),
        ))
        .await,
    ] {
        resp.arm_error(412, "PreconditionFailed");
        assert_eq!(resp.header("azure-asyncoperation"), None);
    }
    h.patch(&named_value("none"), &json!({"properties": {}}))
        .await
        .arm_error(404, "ResourceNotFound");
    h.put(&api("echo"), &json!({"nope": 1}))
        .await
        .arm_error(400, "ValidationError");
}

#[tokio::test]
async fn named_value_patch_answers_202_and_merges_when_done() {
    let h = Harness::new().await;
    let seeded = h
        .emulator
        .put_json(
            &named_value("nv1"),
            json!({"displayName": "nv1", "value": "a", "tags": ["t"]}),
        )
        .expect("valid path");
    let etag = h
        .get(&named_value("nv1"))
        .await
        .header("etag")
        .map(str::to_string);
    let first = send(json_body(
        h.request(Method::PATCH, &named_value("nv1"))
            .header("if-match", etag.as_deref().unwrap_or("*")),
        &json!({"properties": {"value": "b", "tags": null}}),
    ))
    .await;
    assert_eq!(first.status, 202, "{first:?}");
    assert!(first.body.is_empty());
    let links = h.links(&first);
    assert_eq!(h.get(&named_value("nv1")).await.json(), seeded);
    h.poll_status_to_end(&links).await;
    let done = h.poll(&links.result).await;
    assert_eq!(done.status, 200);
    assert_eq!(
        done.json()["properties"],
        json!({"displayName": "nv1", "value": "b", "provisioningState": "Succeeded"})
    );
    let now = h.get(&named_value("nv1")).await;
    assert_eq!(now.json(), done.json());
    assert_ne!(now.header("etag").map(str::to_string), etag, "a new ETag");
}

#[tokio::test]
async fn named_value_refresh_secret_answers_202_then_the_named_value() {
    let h = Harness::new().await;
    h.emulator
        .put_json(
            &named_value("kv"),
            json!({"displayName": "kv", "secret": true, "keyVault": {"secretIdentifier": "https://v/secrets/s"}}),
        )
        .expect("valid path");
    let first = h
        .post(&format!("{}/refreshSecret", named_value("kv")), None)
        .await;
    assert_eq!(first.status, 202, "{first:?}");
    assert!(first.body.is_empty());
    let links = h.links(&first);
    let (in_progress, _) = h.poll_status_to_end(&links).await;
    assert_eq!(in_progress, 2);
    let done = h.poll(&links.result).await;
    assert_eq!(done.status, 200);
    assert_eq!(done.json()["name"], "kv");
    assert_eq!(
        done.json()["properties"]["keyVault"]["secretIdentifier"],
        "https://v/secrets/s"
    );
    h.post(&format!("{}/refreshSecret", named_value("none")), None)
        .await
        .arm_error(404, "ResourceNotFound");
}

#[tokio::test]
async fn backup_answers_202_then_the_service() {
    let h = Harness::bare().await;
    h.post(&backup(), Some(&backup_parameters()))
        .await
        .arm_error(404, "ResourceNotFound");
    h.emulator
        .put_json(
            SERVICE,
            json!({"publisherEmail": "a@b.c", "publisherName": "p"}),
        )
        .expect("valid path");
    let incomplete = h
        .post(
            &backup(),
            Some(&json!({"storageAccount": "acct", "containerName": "c"})),
        )
        .await;
    let error = incomplete.arm_error(400, "ValidationError");
    assert_eq!(error["target"], "backupName");
    let first = h.post(&backup(), Some(&backup_parameters())).await;
    assert_eq!(first.status, 202, "{first:?}");
    assert!(first.body.is_empty());
    let links = h.links(&first);
    h.poll_status_to_end(&links).await;
    let done = h.poll(&links.result).await;
    assert_eq!(done.status, 200);
    assert_eq!(done.json()["type"], "Microsoft.ApiManagement/service");
    assert_eq!(done.json()["properties"]["publisherName"], "p");
}

#[tokio::test]
async fn a_failed_operation_reports_the_arm_error_and_changes_nothing() {
    let h = Harness::new().await;
    h.emulator.inject_lro(
        LroFault::Failed {
            code: "ServiceUpdateFailed".into(),
            message: "The gateway did not accept the API.".into(),
        },
        1,
    );
    let first = h.put(&api("echo"), &api_body("echo")).await;
    assert_eq!(first.status, 201);
    let links = h.links(&first);
    let (in_progress, done) = h.poll_status_to_end(&links).await;
    assert_eq!(in_progress, 2);
    assert_eq!(done["status"], "Failed");
    assert_rfc3339(&done["endTime"]);
    assert_eq!(
        done["error"],
        json!({"code": "ServiceUpdateFailed", "message": "The gateway did not accept the API.", "details": []})
    );
    let result = h.poll(&links.result).await;
    let error = result.arm_error(400, "ServiceUpdateFailed");
    assert_eq!(error["message"], "The gateway did not accept the API.");
    h.get(&api("echo")).await.arm_error(404, "ResourceNotFound");
    // One fault, one operation.
    let next = h.put(&api("echo"), &api_body("echo")).await;
    let (_, done) = h.poll_status_to_end(&h.links(&next)).await;
    assert_eq!(done["status"], "Succeeded");
}

#[tokio::test]
async fn a_canceled_operation_is_409_and_changes_nothing() {
    let h = Harness::new().await;
    h.emulator
        .put_json(&api("echo"), json!({"path": "echo"}))
        .expect("valid path");
    h.emulator.inject_lro(LroFault::Canceled, 1);
    let first = h.delete(&api("echo")).await;
    assert_eq!(first.status, 202);
    let links = h.links(&first);
    let (_, done) = h.poll_status_to_end(&links).await;
    assert_eq!(done["status"], "Canceled");
    assert_rfc3339(&done["endTime"]);
    assert!(done.get("error").is_none());
    h.poll(&links.result)
        .await
        .arm_error(409, "OperationCanceled");
    assert_eq!(h.get(&api("echo")).await.status, 200, "not deleted");
}

#[tokio::test]
async fn status_not_found_answers_404_first_then_runs_as_usual() {
    let h = Harness::new().await;
    h.emulator.inject_lro(LroFault::StatusNotFound(2), 1);
    let first = h
        .post(&format!("{}/refreshSecret", named_value("kv")), None)
        .await;
    first.arm_error(404, "ResourceNotFound");
    h.emulator
        .put_json(&named_value("kv"), json!({"displayName": "kv"}))
        .expect("valid path");
    let first = h
        .post(&format!("{}/refreshSecret", named_value("kv")), None)
        .await;
    let links = h.links(&first);
    h.poll(&links.status)
        .await
        .arm_error(404, "ResourceNotFound");
    h.poll(&links.result)
        .await
        .arm_error(404, "ResourceNotFound");
    let (in_progress, done) = h.poll_status_to_end(&links).await;
    assert_eq!((in_progress, &done["status"]), (2, &json!("Succeeded")));
    assert_eq!(h.poll(&links.result).await.status, 200);
}

#[tokio::test]
async fn retry_after_is_configurable_and_omittable() {
    let h = Harness::new().await;
    h.emulator.set_lro_retry_after(Some(7));
    let first = h.put(&api("a"), &api_body("a")).await;
    assert_eq!(first.header("retry-after"), Some("7"));
    let links = h.links(&first);
    assert_eq!(h.poll(&links.status).await.header("retry-after"), Some("7"));
    assert_eq!(h.poll(&links.result).await.header("retry-after"), Some("7"));

    h.emulator.set_lro_retry_after(None);
    let first = h.put(&api("b"), &api_body("b")).await;
    assert_eq!(first.header("retry-after"), None);
    let links = h.links(&first);
    let status = h.poll(&links.status).await;
    assert_eq!(status.json()["status"], "InProgress");
    assert_eq!(status.header("retry-after"), None);
    let result = h.poll(&links.result).await;
    assert_eq!(result.status, 202);
    assert_eq!(result.header("retry-after"), None);
}

#[tokio::test]
async fn the_number_of_polls_is_configurable() {
    let h = Harness::new().await;
    h.emulator.set_lro_polls(0);
    let first = h.put(&api("a"), &api_body("a")).await;
    let links = h.links(&first);
    assert_eq!(
        h.poll(&links.result).await.status,
        200,
        "done at the first poll"
    );

    h.emulator.set_lro_polls(4);
    let first = h.put(&api("b"), &api_body("b")).await;
    let links = h.links(&first);
    let percents: Vec<Value> = {
        let mut seen = Vec::new();
        for _ in 0..4 {
            seen.push(h.poll(&links.status).await.json()["percentComplete"].clone());
        }
        seen
    };
    assert_eq!(percents, [json!(20), json!(40), json!(60), json!(80)]);
    assert_eq!(h.poll(&links.status).await.json()["status"], "Succeeded");
}

#[tokio::test]
async fn unknown_operations_are_404_and_monitors_answer_only_get() {
    let h = Harness::new().await;
    let unknown = "00000000-0000-0000-0000-000000000001";
    for monitor in ["operationStatuses", "operationResults"] {
        h.get(&format!("{SERVICE}/{monitor}/{unknown}"))
            .await
            .arm_error(404, "ResourceNotFound");
    }
    let first = h.put(&api("a"), &api_body("a")).await;
    let links = h.links(&first);
    // The same id under another service is another operation.
    let elsewhere = links.status.replace("apimService1", "otherService");
    h.poll(&elsewhere).await.arm_error(404, "ResourceNotFound");
    let id = links.operation_id.to_uppercase();
    assert_eq!(
        h.get(&format!("{SERVICE}/OPERATIONSTATUSES/{id}"))
            .await
            .status,
        200,
        "matched case-insensitively"
    );
    let resp = send(h.request(Method::DELETE, &format!("{SERVICE}/operationStatuses/{id}"))).await;
    resp.arm_error(405, "MethodNotAllowed");
    // Polls need the token and api-version like any request.
    let anonymous = send(h.http.get(&links.status)).await;
    anonymous.arm_error(401, "AuthenticationFailed");
}

#[tokio::test]
async fn polls_are_recorded_in_the_request_log() {
    let h = Harness::new().await;
    let first = h.put(&api("a"), &api_body("a")).await;
    let links = h.links(&first);
    h.poll(&links.status).await;
    h.poll(&links.result).await;
    let log = h.emulator.requests();
    let summary: Vec<(&str, String, u16)> = log
        .iter()
        .map(|r| (r.method.as_str(), r.path.clone(), r.status))
        .collect();
    assert_eq!(
        summary,
        [
            ("PUT", api("a"), 201),
            (
                "GET",
                format!("{SERVICE}/operationStatuses/{}", links.operation_id),
                200
            ),
            (
                "GET",
                format!("{SERVICE}/operationResults/{}", links.operation_id),
                202
            ),
        ]
    );
}

#[tokio::test]
async fn a_patch_of_a_named_value_deleted_meanwhile_fails_not_found() {
    let h = Harness::new().await;
    h.emulator
        .put_json(&named_value("nv1"), json!({"displayName": "nv1"}))
        .expect("valid path");
    let first = h
        .patch(&named_value("nv1"), &json!({"properties": {"value": "b"}}))
        .await;
    let links = h.links(&first);
    // A named value's DELETE is not long-running: 200 at once.
    assert_eq!(h.delete(&named_value("nv1")).await.status, 200);
    let (_, done) = h.poll_status_to_end(&links).await;
    assert_eq!(done["status"], "Failed");
    assert_eq!(done["error"]["code"], "ResourceNotFound");
    h.poll(&links.result)
        .await
        .arm_error(404, "ResourceNotFound");
    h.get(&named_value("nv1"))
        .await
        .arm_error(404, "ResourceNotFound");
}

/// A long-running PUT re-checks, when it completes, what it was accepted on: its parents
/// (a workspace deleted meanwhile, even if created again since) and its `If-Match`.
#[tokio::test]
async fn a_long_running_put_completes_only_under_what_it_was_accepted_on() {
    let h = Harness::new().await;
    let workspace = format!("{SERVICE}/workspaces/w1");
    let child = format!("{workspace}/namedValues/nv1");
    let body = json!({"properties": {"displayName": "nv1", "value": "v"}});
    h.emulator
        .put_json(&workspace, json!({"displayName": "w1"}))
        .expect("valid path");
    let first = h.put(&child, &body).await;
    assert_eq!(first.status, 201, "{first:?}");
    let links = h.links(&first);
    assert_eq!(h.delete(&workspace).await.status, 200);
    h.emulator
        .put_json(&workspace, json!({"displayName": "w1 again"}))
        .expect("valid path");
    let (_, done) = h.poll_status_to_end(&links).await;
    assert_eq!(done["status"], "Failed", "{done}");
    assert_eq!(done["error"]["code"], "ResourceNotFound", "{done}");
    h.get(&child).await.arm_error(404, "ResourceNotFound");

    // Accepted with the resource's ETag; changed by someone else before it completes.
    let value = named_value("nv2");
    h.emulator
        .put_json(&value, json!({"displayName": "nv2", "value": "one"}))
        .expect("valid path");
    let etag = h
        .get(&value)
        .await
        .header("etag")
        .expect("an ETag")
        .to_owned();
    let first = send(json_body(
        h.request(Method::PUT, &value).header("if-match", &etag),
        &json!({"properties": {"displayName": "nv2", "value": "mine"}}),
    ))
    .await;
    assert_eq!(first.status, 200, "{first:?}");
    let links = h.links(&first);
    h.emulator
        .put_json(&value, json!({"displayName": "nv2", "value": "theirs"}))
        .expect("valid path");
    let (_, done) = h.poll_status_to_end(&links).await;
    assert_eq!(done["status"], "Failed", "{done}");
    assert_eq!(done["error"]["code"], "PreconditionFailed", "{done}");
    h.poll(links.result())
        .await
        .arm_error(412, "PreconditionFailed");
    assert_eq!(h.get(&value).await.json()["properties"]["value"], "theirs");
}
