//! Every role and option of the macro, on a user's own trait: declarations that must
//! compile. A module of the `ui` test (`tests/ui.rs`), so a declaration that stops
//! compiling fails the build of `cargo test`; not a trybuild case, since one case that
//! must build makes trybuild build, not only check, its whole project (its dependencies
//! and every failing case) and link it (BENCHMARKS.md §3e).

use apim_client::models::BackendReconnectRequest;
use apim_client::{ApimClient, Poller, Result, apim_operation};
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
pub struct Patch {
    pub properties: serde_json::Value,
}

#[derive(Deserialize)]
pub struct Page {
    pub value: Vec<serde_json::Value>,
}

pub trait UserApi {
    /// A long-running delete, polled by ARM's rules.
    #[apim_operation(DELETE, "/subscriptions/<subscription_id>/things/<thing_id>", status = [202, 204])]
    fn delete_slowly(&self, thing_id: &str, #[header("If-Match")] if_match: &str) -> Poller<()>;

    /// A long-running action whose result is read where `final_state` says.
    #[apim_operation(POST, "/subscriptions/<subscription_id>/things/<thing_id>/backup", status = [200, 202], final_state = "location")]
    fn backup(&self, thing_id: &str, #[body] patch: &Patch) -> Poller<serde_json::Value>;

    #[apim_operation(PUT, "/subscriptions/<subscription_id>/things/<thing_id>", status = [200, 201], final_state = "original-uri")]
    fn create(&self, thing_id: &str) -> Poller<Page>;

    #[apim_operation(
        PATCH,
        "/subscriptions/<subscription_id>/things/<thing_id>",
        final_state = "azure-async-operation"
    )]
    fn patch(&self, thing_id: &str) -> Poller<serde_json::Value>;

    /// An answer that may come in other media types than JSON.
    #[apim_operation(
        GET,
        "/subscriptions/<subscription_id>/things/<thing_id>/policy",
        accept = "application/json, application/vnd.ms-azure-apim.policy+xml"
    )]
    async fn policy(&self, thing_id: &str) -> Result<serde_json::Value>;

    /// Docs stay on the method.
    #[apim_operation(
        GET,
        "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/backends"
    )]
    async fn list(
        &self,
        resource_group_name: &str,
        service_name: &str,
        #[query("$filter")] filter: Option<&str>,
        #[query("$top")] top: Option<u32>,
        #[query] skip: Option<u32>,
    ) -> Result<Page>;

    #[apim_operation(PATCH, "/subscriptions/<subscription_id>/things/<thing_id>", status = [200, 204], api_version = "2023-09-01-preview")]
    async fn update(
        &self,
        thing_id: &str,
        #[header("If-Match")] if_match: &str,
        #[body] patch: &Patch,
    ) -> Result<()>;

    #[apim_operation(DELETE, "/subscriptions/<subscription_id>/things/<thing_id>")]
    async fn delete(
        &self,
        thing_id: String,
        #[header("If-Match")] if_match: Option<String>,
    ) -> Result<()>;

    /// A subscription given explicitly instead of the client's.
    #[apim_operation(POST, "/subscriptions/<subscription_id>/things/<id>/reconnect", status = [202], crate = ::apim_client)]
    async fn reconnect_in(
        &self,
        subscription_id: &str,
        id: u64,
        #[body] body: Option<&BackendReconnectRequest>,
    ) -> Result<()>;

    #[apim_operation(HEAD, "/subscriptions/<subscription_id>/things/<kind>")]
    async fn head(&self, kind: &str) -> Result<()>;

    #[apim_operation(PUT, "/things")]
    async fn put(&self, #[body] value: &serde_json::Value) -> Result<serde_json::Value>;

    /// Lifetimes are fine, `<type>` binds `r#type`, and the error type may be spelled out.
    #[apim_operation(GET, "/things/<type>", crate = "::apim_client")]
    async fn by_kind<'a>(&self, r#type: &'a str) -> Result<serde_json::Value, apim_client::Error>;
}

impl UserApi for ApimClient {}

/// A user's wrapper type gets the operations through `AsRef<ApimClient>`.
struct Wrapper(ApimClient);

impl AsRef<ApimClient> for Wrapper {
    fn as_ref(&self) -> &ApimClient {
        &self.0
    }
}

impl UserApi for Wrapper {}

fn assert_send<T: Send>(_: &T) {}

#[allow(dead_code)]
async fn calls(client: &ApimClient, wrapper: &Wrapper) -> Result<()> {
    let page = client
        .list("rg", "svc", Some("name eq 'x'"), Some(10), None)
        .await?;
    let _: Vec<serde_json::Value> = page.value;
    let patch = Patch {
        properties: serde_json::json!({}),
    };
    let future = client.update("t", "*", &patch);
    assert_send(&future);
    future.await?;
    client.delete("t".to_owned(), None).await?;
    client
        .reconnect_in("00000000-0000-0000-0000-000000000000", 7, None)
        .await?;
    wrapper.head("x").await?;
    let _: serde_json::Value = wrapper.put(&serde_json::json!({"a": 1})).await?;
    let _: serde_json::Value = client.by_kind("x").await?;
    Ok(())
}

/// The optional query parameters and headers of an operation, as one options argument.
#[derive(Debug, Clone, Default, apim_client::OperationOptions)]
pub struct ListThingsOptions {
    #[query("$filter")]
    pub filter: Option<String>,
    #[query("$top")]
    pub top: Option<u32>,
    /// `#[query]` alone: the field's own name.
    #[query]
    pub tags: Option<String>,
    #[header("If-Match")]
    pub if_match: Option<String>,
    /// Not an `Option`: always sent.
    #[query("expandApiVersionSet")]
    pub expand: bool,
}

pub trait OptionsApi {
    #[apim_operation(
        GET,
        "/subscriptions/<subscription_id>/things",
        operation_id = "Thing_ListByService"
    )]
    fn list_things(
        &self,
        #[query("$skip")] skip: Option<u32>,
        #[options] options: Option<ListThingsOptions>,
    ) -> apim_client::Pager<serde_json::Value>;

    #[apim_operation(
        DELETE,
        "/subscriptions/<subscription_id>/things/<thing_id>",
        operation_id = "Thing_Delete"
    )]
    async fn delete_thing(
        &self,
        thing_id: &str,
        #[options] options: Option<&ListThingsOptions>,
    ) -> Result<()>;
}

impl OptionsApi for ApimClient {}
