//! A user's own test with the emulator: start it, seed resources, inject faults (a
//! throttle, a failing long-running operation), call, read the request log. The test
//! itself is under 40 lines.

use std::sync::Arc;

use apim_client::prelude::*;
use apim_client::{ApimClient, ApimClientOptions, Poller, StaticTokenCredential, apim_operation};
use apim_emulator::{Emulator, Fault, LroFault};
use serde_json::json;

trait Apis {
    #[apim_operation(DELETE, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/apis/<api_id>", status = [202, 204], final_state = "location")]
    fn delete_api(
        &self,
        resource_group_name: &str,
        service_name: &str,
        api_id: &str,
        #[header("If-Match")] if_match: &str,
    ) -> Poller<()>;
}
impl Apis for ApimClient {}

const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";
const SVC: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ApiManagement/service/svc";

#[tokio::test]
async fn my_tool_survives_throttling_and_reports_a_failed_delete() {
    let emulator = Emulator::start().await.unwrap();
    let backend = json!({"url": "https://b1.example", "protocol": "http"});
    emulator
        .put_json(&format!("{SVC}/backends/b1"), backend)
        .unwrap();
    let api = json!({"displayName": "Echo", "path": "echo"});
    emulator.put_json(&format!("{SVC}/apis/echo"), api).unwrap();
    emulator.inject(Fault::throttle(0), 1); // the next request answers 429
    let failure = LroFault::Failed {
        code: "Conflict".into(),
        message: "in use".into(),
    };
    emulator.inject_lro(failure, 1); // the next long-running operation fails

    let options = ApimClientOptions {
        endpoint: emulator.endpoint().into(),
        allow_http_loopback: true,
        ..Default::default()
    };
    let token = Arc::new(StaticTokenCredential::new(emulator.token()));
    let client = ApimClient::new(SUBSCRIPTION, token, Some(options)).unwrap();

    let read = client.backend().get("rg", "svc", "b1").await.unwrap(); // after a retry
    assert_eq!(read.status(), 200);
    let err = client
        .delete_api("rg", "svc", "echo", "*")
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (Some("Conflict"), Some("in use"))
    );

    let log = emulator.requests();
    let statuses: Vec<u16> = log.iter().map(|r| r.status).take(3).collect();
    assert_eq!(statuses, [429, 200, 202]);
    assert!(
        log.iter()
            .all(|r| r.query.as_deref().unwrap_or("").contains("api-version"))
    );
}
