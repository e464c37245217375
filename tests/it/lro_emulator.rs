//! Declared long-running operations against the emulator, end to end: API create and
//! delete, named value create and update, and service backup; failure and cancellation
//! injected in the emulator; status URLs that answer 404 at first.

use std::time::Duration;

use apim_client::{
    ApimClient, ApimClientOptions, ErrorKind, OperationState, Poller, PollingOptions,
    apim_operation,
};
use apim_emulator::{Emulator, LroFault};
use serde_json::{Value, json};

use crate::common;

const RG: &str = "rg1";
const SERVICE: &str = "apimService1";
const SERVICE_PATH: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1";

/// The long-running operations of the 2024-05-01 API that the emulator runs, declared
/// as the Python SDK's `begin_*` methods describe them.
trait LongRunningApi {
    #[apim_operation(PUT, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/apis/<api_id>", status = [200, 201], final_state = "location")]
    fn create_api(
        &self,
        resource_group_name: &str,
        service_name: &str,
        api_id: &str,
        #[body] parameters: &Value,
    ) -> Poller<Value>;

    #[apim_operation(GET, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/apis/<api_id>", status = [200])]
    async fn get_api(
        &self,
        resource_group_name: &str,
        service_name: &str,
        api_id: &str,
    ) -> apim_client::Result<Value>;

    #[apim_operation(DELETE, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/apis/<api_id>", status = [202, 204], final_state = "location")]
    fn delete_api(
        &self,
        resource_group_name: &str,
        service_name: &str,
        api_id: &str,
        #[header("If-Match")] if_match: &str,
    ) -> Poller<()>;

    #[apim_operation(PUT, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/namedValues/<named_value_id>", status = [200, 201])]
    fn create_named_value(
        &self,
        resource_group_name: &str,
        service_name: &str,
        named_value_id: &str,
        #[body] parameters: &Value,
    ) -> Poller<Value>;

    #[apim_operation(PATCH, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/namedValues/<named_value_id>", status = [200, 202], final_state = "location")]
    fn update_named_value(
        &self,
        resource_group_name: &str,
        service_name: &str,
        named_value_id: &str,
        #[header("If-Match")] if_match: &str,
        #[body] parameters: &Value,
    ) -> Poller<Value>;

    #[apim_operation(POST, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/backup", status = [200, 202], final_state = "location")]
    fn backup(
        &self,
        resource_group_name: &str,
        service_name: &str,
        #[body] parameters: &Value,
    ) -> Poller<Value>;
}

impl LongRunningApi for ApimClient {}

/// An emulator that asks for no wait between polls, and a client that polls every 20 ms.
async fn emulator_and_client() -> (Emulator, ApimClient) {
    let emulator = common::emulator_with(&[]).await;
    emulator.set_lro_retry_after(None);
    let options = ApimClientOptions {
        polling: PollingOptions {
            default_interval: Duration::from_millis(20),
            min_interval: Duration::from_millis(10),
            ..PollingOptions::default()
        },
        ..common::options(emulator.endpoint())
    };
    let client = common::client_with(
        std::sync::Arc::new(apim_client::StaticTokenCredential::new(emulator.token())),
        options,
    );
    (emulator, client)
}

fn echo_api() -> Value {
    json!({"properties": {"displayName": "Echo API", "path": "echo", "protocols": ["https"],
        "serviceUrl": "https://echo.example"}})
}

#[tokio::test]
async fn an_api_is_created_and_deleted_through_pollers() {
    let (emulator, client) = emulator_and_client().await;
    let mut creating = client.create_api(RG, SERVICE, "echo", &echo_api());
    let mut states = Vec::new();
    while let Some(status) = creating.next_status().await {
        states.push(status.unwrap().state);
    }
    let api = creating.await.unwrap().into_model();
    assert_eq!(api["name"], "echo");
    assert_eq!(api["properties"]["provisioningState"], "Succeeded");
    assert_eq!(
        states.first(),
        Some(&OperationState::Running("InProgress".into()))
    );
    assert_eq!(states.last(), Some(&OperationState::Succeeded));

    // A plain GET after completion sees the final resource.
    let read = client.get_api(RG, SERVICE, "echo").await.unwrap();
    assert_eq!(read["properties"]["displayName"], "Echo API");

    client.delete_api(RG, SERVICE, "echo", "*").await.unwrap();
    let err = client.get_api(RG, SERVICE, "echo").await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    // Deleting what is not there: 204 at once, nothing to poll.
    client.delete_api(RG, SERVICE, "echo", "*").await.unwrap();

    let log: Vec<String> = emulator
        .requests()
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r.method,
                r.path.rsplit('/').nth(1).unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(log[0], "PUT apis");
    assert!(log[1].starts_with("GET operationStatuses"), "{log:?}");
}

#[tokio::test]
async fn a_named_value_is_created_then_updated() {
    let (_emulator, client) = emulator_and_client().await;
    let created = client
        .create_named_value(
            RG,
            SERVICE,
            "nv1",
            &json!({"properties": {"displayName": "nv1", "value": "one"}}),
        )
        .await
        .unwrap()
        .into_model();
    assert_eq!(created["properties"]["displayName"], "nv1");
    let updated = client
        .update_named_value(
            RG,
            SERVICE,
            "nv1",
            "*",
            &json!({"properties": {"value": "two", "tags": ["t"]}}),
        )
        .await
        .unwrap()
        .into_model();
    assert_eq!(updated["properties"]["tags"], json!(["t"]));
}

#[tokio::test]
async fn a_service_backup_runs_to_its_result() {
    let (emulator, client) = emulator_and_client().await;
    emulator
        .put_json(
            SERVICE_PATH,
            json!({"publisherEmail": "a@example.com", "publisherName": "A"}),
        )
        .unwrap();
    let mut poller = client.backup(
        RG,
        SERVICE,
        &json!({"storageAccount": "acct", "containerName": "backups", "backupName": "b1"}),
    );
    poller.next_status().await.unwrap().unwrap();
    assert!(poller.resume_token().is_some());
    let result = poller.await.unwrap().into_model();
    assert_eq!(result["name"], SERVICE);
}

#[tokio::test]
async fn failed_and_canceled_operations_are_errors_with_the_arm_error() {
    let (emulator, client) = emulator_and_client().await;
    emulator.inject_lro(
        LroFault::Failed {
            code: "ValidationError".into(),
            message: "The API cannot be imported.".into(),
        },
        1,
    );
    let err = client
        .create_api(RG, SERVICE, "echo", &echo_api())
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::OperationFailed(_)),
        "{err:?}"
    );
    assert_eq!(err.code(), Some("ValidationError"));
    assert_eq!(err.message(), Some("The API cannot be imported."));
    assert_eq!(err.operation(), Some("create_api"));
    assert!(err.request_id().is_some());

    emulator.inject_lro(LroFault::Canceled, 1);
    let err = client
        .create_api(RG, SERVICE, "echo", &echo_api())
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::OperationCanceled(_)),
        "{err:?}"
    );
}

#[tokio::test]
async fn status_urls_that_answer_404_at_first_are_polled_through() {
    let (emulator, client) = emulator_and_client().await;
    emulator.inject_lro(LroFault::StatusNotFound(3), 1);
    let api = client
        .create_api(RG, SERVICE, "echo", &echo_api())
        .await
        .unwrap()
        .into_model();
    assert_eq!(api["name"], "echo");
}

#[tokio::test]
async fn the_emulators_retry_after_is_honoured() {
    let emulator = common::emulator_with(&[]).await;
    emulator.set_lro_polls(1);
    emulator.set_lro_retry_after(Some(1));
    let client = common::quick_client(&emulator);
    let started = std::time::Instant::now();
    client
        .create_api(RG, SERVICE, "echo", &echo_api())
        .await
        .unwrap();
    // A Retry-After of 1 s (not below the client's floor), before each of the two polls.
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}
