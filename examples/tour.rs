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

use apim_client::ApimClient;
use apim_client::models::*;
use apim_client::prelude::*;

// The emulator's default service, ready as a new APIM instance is (built-in groups,
// products, the Echo API, ...).
const RG: &str = apim_emulator::DEFAULT_RESOURCE_GROUP;
const SVC: &str = apim_emulator::DEFAULT_SERVICE_NAME;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = apim_emulator::Emulator::start().await?;
    let client = ApimClient::local(emulator.endpoint(), emulator.token())?;

    // An API: name, path, service URL and protocols in one expression; long-running.
    let apis = client.api();
    let echo = ApiCreateOrUpdateParameter::new("echo-tour")
        .display_name("Echo API")
        .service_url("https://echo.example.com")
        .protocols([Protocol::Https]);
    let api = apis.create_or_update(RG, SVC, "echo", &echo, None).await?;
    println!("created {:?}, {}", api.model().name, api.status());

    // Two operations, and the API's policy.
    let operations = client.api_operation();
    let item = ParameterContract::new("id", "string").required(true);
    let get = OperationContract::new("Get item", "GET", "/items/{id}").template_parameters([item]);
    operations
        .create_or_update(RG, SVC, "echo", "get-item", &get, None)
        .await?;
    let list = OperationContract::new("List items", "GET", "/items");
    operations
        .create_or_update(RG, SVC, "echo", "list-items", &list, None)
        .await?;
    let xml = "<policies><inbound><base /></inbound><backend><base /></backend></policies>";
    let policy = PolicyContract::default()
        .value(xml)
        .format(PolicyContentFormat::Xml);
    let policy_id = &PolicyIdName::Policy;
    client
        .api_policy()
        .create_or_update(RG, SVC, "echo", policy_id, &policy, None)
        .await?;

    // A product with the API in it, and a subscription to the product with its keys.
    let product = ProductContract::new("Echo product")
        .subscription_required(true)
        .state(ProductState::Published);
    let product = client
        .product()
        .create_or_update(RG, SVC, "echo", &product, None)
        .await?;
    let link = ProductApiLinkContract::default().api_id(api.model().id.clone().unwrap_or_default());
    client
        .product_api_link()
        .create_or_update(RG, SVC, "echo", "echo", &link)
        .await?;
    let subscription = SubscriptionCreateParameters::default()
        .display_name("Echo subscription")
        .scope(product.model().id.clone().unwrap_or_default());
    let subscriptions = client.subscription();
    subscriptions
        .create_or_update(RG, SVC, "echo-sub", &subscription, None)
        .await?;
    let keys = subscriptions.list_secrets(RG, SVC, "echo-sub").await?;
    let length = keys.model().primary_key.as_ref().map_or(0, String::len);
    println!("keys: {:?}, the primary one {length} long", keys.model());

    // Every API, one per page.
    let one = ApiListByServiceOptions {
        top: Some(1),
        ..Default::default()
    };
    let mut pages = apis.list_by_service(RG, SVC, Some(one));
    while let Some(page) = pages.next_page().await {
        println!(
            "page: {:?}",
            page?.value.iter().map(|a| &a.name).collect::<Vec<_>>()
        );
    }

    // Read, update with the ETag read, delete with the ETag of the update.
    let read = apis.get(RG, SVC, "echo").await?;
    let update = ApiUpdateContract::default().description("Echoes what it is sent.");
    let updated = apis
        .update(RG, SVC, "echo", read.etag().unwrap_or("*"), &update)
        .await?;
    apis.delete(RG, SVC, "echo", updated.etag().unwrap_or("*"), None)
        .await?;
    match apis.get(RG, SVC, "echo").await {
        Err(e) if e.is_not_found() => println!("deleted: {e}"),
        other => return Err(format!("expected a 404, got {other:?}").into()),
    }
    Ok(())
}
