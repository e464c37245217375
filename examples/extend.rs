//! Extending apim with APIM operations it does not ship: a trait of your own, one
//! `#[apim_operation]` line per operation, implemented for `ApimClient`. Runs against the
//! local emulator:
//!
//! ```text
//! cargo run --example extend
//! ```

use std::sync::Arc;

use apim_client::{
    ApimClient, ApimClientOptions, OperationState, Poller, PollingOptions, Response, Result,
    StaticTokenCredential, apim_operation,
};
use apim_emulator::Emulator;
use serde::{Deserialize, Serialize};

/// `NamedValue_CreateOrUpdate`'s body: only the fields this program needs.
#[derive(Serialize, Debug)]
pub struct NamedValue {
    pub properties: NamedValueProperties,
}

#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct NamedValueProperties {
    pub display_name: String,
    pub value: String,
    pub secret: bool,
}

/// `NamedValue_ListValue`'s answer.
#[derive(Deserialize, Debug)]
pub struct NamedValueSecret {
    pub value: String,
}

/// Named values: create one, then read its secret value back.
pub trait NamedValueApi {
    /// Long-running: 201 (or 200) at once, done when the service says so.
    #[apim_operation(PUT, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/namedValues/<named_value_id>", status = [200, 201])]
    fn create_named_value(
        &self,
        resource_group_name: &str,
        service_name: &str,
        named_value_id: &str,
        #[body] named_value: &NamedValue,
    ) -> Poller<()>;

    #[apim_operation(POST, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/namedValues/<named_value_id>/listValue", status = [200])]
    async fn list_named_value(
        &self,
        resource_group_name: &str,
        service_name: &str,
        named_value_id: &str,
    ) -> Result<NamedValueSecret>;
}

/// APIs: read one with its ETag, delete it with that ETag. Untyped JSON is fine too.
pub trait ApiApi {
    #[apim_operation(GET, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/apis/<api_id>", status = [200])]
    async fn get_api(
        &self,
        resource_group_name: &str,
        service_name: &str,
        api_id: &str,
    ) -> Result<Response<serde_json::Value>>;

    /// Long-running in 2024-05-01: 202 with `Location` (or 204 when there is nothing to
    /// delete), then polled until the API is gone.
    #[apim_operation(DELETE, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/apis/<api_id>", status = [202, 204], final_state = "location")]
    fn delete_api(
        &self,
        resource_group_name: &str,
        service_name: &str,
        api_id: &str,
        #[header("If-Match")] if_match: &str,
        #[query("deleteRevisions")] delete_revisions: Option<bool>,
    ) -> Poller<()>;
}

impl NamedValueApi for ApimClient {}
impl ApiApi for ApimClient {}

pub const RESOURCE_GROUP: &str = "rg1";
pub const SERVICE: &str = "apimService1";

/// Uses the operations declared above and says what happened, a line per step.
pub async fn demo(client: &ApimClient) -> Result<Vec<String>> {
    let mut lines = Vec::new();
    let named_value = NamedValue {
        properties: NamedValueProperties {
            display_name: "backend-key".into(),
            value: "s3cret".into(),
            secret: true,
        },
    };
    client
        .create_named_value(RESOURCE_GROUP, SERVICE, "backend-key", &named_value)
        .await?;
    lines.push("created named value `backend-key`".to_owned());
    let secret = client
        .list_named_value(RESOURCE_GROUP, SERVICE, "backend-key")
        .await?;
    lines.push(format!(
        "listValue of `backend-key`: {} characters",
        secret.value.len()
    ));

    let api = client.get_api(RESOURCE_GROUP, SERVICE, "echo-api").await?;
    let etag = api.etag().unwrap_or("*").to_owned();
    lines.push(format!(
        "API `{}` ({}), ETag {etag}",
        api.model()["name"].as_str().unwrap_or("?"),
        api.model()["properties"]["displayName"]
            .as_str()
            .unwrap_or("?"),
    ));
    let mut deleting = client.delete_api(RESOURCE_GROUP, SERVICE, "echo-api", &etag, Some(true));
    while let Some(status) = deleting.next_status().await {
        let status = status?;
        let progress = status
            .percent_complete
            .map(|p| format!(" ({p:.0}%)"))
            .unwrap_or_default();
        lines.push(match status.state {
            OperationState::Running(word) => format!("deleting API `echo-api`: {word}{progress}"),
            state => format!("deleting API `echo-api`: {state:?}"),
        });
    }
    deleting.await?;
    lines.push("deleted API `echo-api` with that ETag".to_owned());
    match client.get_api(RESOURCE_GROUP, SERVICE, "echo-api").await {
        Err(e) if e.status() == Some(404) => {
            lines.push(format!("reading it again: {}", e.code().unwrap_or("404")));
        }
        other => lines.push(format!("reading it again unexpectedly gave {other:?}")),
    }
    Ok(lines)
}

/// An emulator with one API, and a client for it.
pub async fn emulator_and_client() -> std::io::Result<(Emulator, ApimClient)> {
    let emulator = Emulator::start().await?;
    emulator
        .put_json(
            "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1/apis/echo-api",
            serde_json::json!({"displayName": "Echo API", "path": "echo", "protocols": ["https"]}),
        )
        .map_err(std::io::Error::other)?;
    // The emulator finishes an operation after two polls and, here, asks for no wait;
    // against Azure keep the default polling options (the service's Retry-After, 30 s).
    emulator.set_lro_retry_after(None);
    let options = ApimClientOptions {
        endpoint: emulator.endpoint().to_owned(),
        allow_http_loopback: true,
        polling: PollingOptions {
            default_interval: std::time::Duration::from_millis(100),
            min_interval: std::time::Duration::from_millis(100),
            ..PollingOptions::default()
        },
        ..Default::default()
    };
    let credential = Arc::new(StaticTokenCredential::new(emulator.token()));
    let client = ApimClient::new(
        "00000000-0000-0000-0000-000000000000",
        credential,
        Some(options),
    )
    .map_err(std::io::Error::other)?;
    Ok((emulator, client))
}

#[tokio::main]
async fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    let (emulator, client) = emulator_and_client().await?;
    println!("emulator: {}", emulator.endpoint());
    for line in demo(&client).await? {
        println!("{line}");
    }
    Ok(())
}
