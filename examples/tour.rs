//! A first hour with apim, against the local emulator (no Azure account):
//!
//! ```text
//! cargo run --example tour
//! ```
//!
//! It creates an API with two operations and a policy, puts it in a product, subscribes
//! to the product and reads the keys, pages through the APIs, updates the API with the
//! ETag it read, deletes it and sees the 404. `conformance/tour.py` is the same program
//! written with the official Python SDK.

use std::sync::Arc;

use apim_client::models::*;
use apim_client::prelude::*;
use apim_client::{ApimClient, ApimClientOptions, StaticTokenCredential};

const RG: &str = "rg1";
const SVC: &str = "apim-tour";
const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = apim_emulator::Emulator::start().await?;
    emulator.put_json(&format!("/subscriptions/{SUBSCRIPTION}/resourceGroups/{RG}/providers/Microsoft.ApiManagement/service/{SVC}"), serde_json::json!({}))?;
    let options = ApimClientOptions {
        endpoint: emulator.endpoint().into(),
        allow_http_loopback: true,
        ..Default::default()
    };
    let client = ApimClient::new(
        SUBSCRIPTION,
        Arc::new(StaticTokenCredential::new(emulator.token())),
        Some(options),
    )?;

    // An API: name, path, service URL and protocols in one expression; long-running.
    let echo = ApiCreateOrUpdateParameter::new("echo")
        .display_name("Echo API")
        .service_url("https://echo.example.com")
        .protocols([Protocol::Https]);
    let api = client
        .api()
        .create_or_update(RG, SVC, "echo", &echo, None)
        .await?
        .into_model();
    println!(
        "created {:?} at /{}",
        api.name,
        api.properties.map(|p| p.path).unwrap_or_default()
    );

    // Two operations, and the API's policy.
    let item = ParameterContract::new("id", "string").required(true);
    let get_item =
        OperationContract::new("Get item", "GET", "/items/{id}").template_parameters([item]);
    client
        .api_operation()
        .create_or_update(RG, SVC, "echo", "get-item", &get_item, None)
        .await?;
    let list_items = OperationContract::new("List items", "GET", "/items");
    client
        .api_operation()
        .create_or_update(RG, SVC, "echo", "list-items", &list_items, None)
        .await?;
    let policy = PolicyContract::default().value("<policies><inbound><base /></inbound><backend><base /></backend><outbound><base /></outbound></policies>").format(PolicyContentFormat::Xml);
    client
        .api_policy()
        .create_or_update(RG, SVC, "echo", &PolicyIdName::Policy, &policy, None)
        .await?;

    // A product with the API in it, and a subscription to the product with its keys.
    let product = ProductContract::new("Echo product")
        .subscription_required(true)
        .state(ProductState::Published);
    let product = client
        .product()
        .create_or_update(RG, SVC, "echo-product", &product, None)
        .await?
        .into_model();
    let link = ProductApiLinkContract::default().api_id(api.id.clone().unwrap_or_default());
    client
        .product_api_link()
        .create_or_update(RG, SVC, "echo-product", "echo-link", &link)
        .await?;
    let subscription = SubscriptionCreateParameters::default()
        .display_name("Echo subscription")
        .scope(product.id.unwrap_or_default());
    client
        .subscription()
        .create_or_update(RG, SVC, "echo-sub", &subscription, None)
        .await?;
    let keys = client
        .subscription()
        .list_secrets(RG, SVC, "echo-sub")
        .await?
        .into_model();
    println!(
        "subscription keys: {keys:?}, primary key of {} characters",
        keys.primary_key.as_deref().map_or(0, str::len)
    );

    // Every API, one per page.
    let mut pages = client.api().list_by_service(
        RG,
        SVC,
        Some(ApiListByServiceOptions {
            top: Some(1),
            ..Default::default()
        }),
    );
    while let Some(page) = pages.next_page().await {
        println!(
            "page: {:?}",
            page?
                .value
                .iter()
                .map(|api| api.name.clone())
                .collect::<Vec<_>>()
        );
    }

    // Read, update with the ETag read, delete with the ETag of the update.
    let read = client.api().get(RG, SVC, "echo").await?;
    let etag = read.etag().ok_or("the API came without an ETag")?;
    let update = ApiUpdateContract::default().description("Echoes what it is sent.");
    let updated = client.api().update(RG, SVC, "echo", etag, &update).await?;
    let etag = updated.etag().ok_or("the update came without an ETag")?;
    client.api().delete(RG, SVC, "echo", etag, None).await?;
    match client.api().get(RG, SVC, "echo").await {
        Err(e) if e.is_not_found() => println!("deleted: {e}"),
        other => return Err(format!("expected a 404, got {other:?}").into()),
    }
    Ok(())
}
