//! Operation groups through their handles: every shipped group's trait in scope at once
//! with a user's own trait, each with a `get`, and no call ambiguous.

use apim_client::models::{
    BackendContract, BackendContractProperties, BackendProtocol, TagProductLinkContract,
};
use apim_client::prelude::*;
use apim_client::{ApimClient, Result, apim_operation};

use crate::common;

const RG: &str = "rg1";
const SERVICE: &str = "apimService1";

/// A user's own operation group with a `get`, implemented on the client itself as the
/// README's "Extending" section shows.
pub(crate) trait ProductApi {
    #[apim_operation(GET, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/products/<product_id>", status = [200])]
    async fn get(
        &self,
        resource_group_name: &str,
        service_name: &str,
        product_id: &str,
    ) -> Result<serde_json::Value>;
}

impl ProductApi for ApimClient {}

fn backend(url: &str) -> BackendContract {
    BackendContract::new(BackendContractProperties::single(
        url,
        BackendProtocol::Http,
    ))
}

/// Three shipped groups' `get` and the user's `get`, in one function.
async fn read_all(client: &ApimClient) -> Result<Vec<String>> {
    let service_backend = client.backend().get(RG, SERVICE, "b1").await?;
    let workspace_backend = client
        .workspace_backend()
        .get(RG, SERVICE, "ws1", "b1")
        .await?;
    let link = client
        .tag_product_link()
        .get(RG, SERVICE, "t1", "l1")
        .await?;
    let product = client.get(RG, SERVICE, "p1").await?;
    let url = |b: BackendContract| b.properties.and_then(|p| p.url).unwrap_or_default();
    Ok(vec![
        url(service_backend.into_model()),
        url(workspace_backend.into_model()),
        link.into_model()
            .properties
            .map(|p| p.product_id)
            .unwrap_or_default(),
        product["properties"]["displayName"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    ])
}

#[tokio::test]
async fn every_group_and_a_users_trait_each_with_a_get_in_one_function() {
    let emulator = common::emulator_with(&["workspaces/ws1", "tags/t1"]).await;
    let client = common::quick_client(&emulator);
    client
        .backend()
        .create_or_update(RG, SERVICE, "b1", &backend("https://service.example"), None)
        .await
        .unwrap();
    let workspace_backends = client.workspace_backend();
    let created = workspace_backends
        .create_or_update(
            RG,
            SERVICE,
            "ws1",
            "b1",
            &backend("https://ws.example"),
            None,
        )
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    client
        .tag_product_link()
        .create_or_update(
            RG,
            SERVICE,
            "t1",
            "l1",
            &TagProductLinkContract::new("/products/p1"),
        )
        .await
        .unwrap();
    emulator
        .put_json(
            "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1/products/p1",
            serde_json::json!({"displayName": "Starter"}),
        )
        .unwrap();

    let read = read_all(&client).await.unwrap();
    assert_eq!(
        read,
        [
            "https://service.example",
            "https://ws.example",
            "/products/p1",
            "Starter"
        ]
    );

    let paths: Vec<String> = emulator
        .requests()
        .iter()
        .filter(|r| r.method == "GET")
        .map(|r| r.path.clone())
        .collect();
    assert!(
        paths
            .iter()
            .any(|p| p.ends_with("/service/apimService1/backends/b1"))
    );
    assert!(
        paths
            .iter()
            .any(|p| p.ends_with("/workspaces/ws1/backends/b1"))
    );
    assert!(
        paths
            .iter()
            .any(|p| p.ends_with("/tags/t1/productLinks/l1"))
    );
}

#[tokio::test]
async fn a_handle_moves_into_a_spawned_task() {
    let emulator = common::emulator_with(&[]).await;
    let backends = common::quick_client(&emulator).backend();
    let task = tokio::spawn(async move {
        backends
            .create_or_update(RG, SERVICE, "b2", &backend("https://spawned.example"), None)
            .await
            .map(|r| r.status())
    });
    assert_eq!(task.await.unwrap().unwrap(), 201);
}

#[tokio::test]
async fn group_path_values_get_their_documented_rules() {
    let emulator = apim_emulator::Emulator::start().await.unwrap();
    let client = common::quick_client(&emulator);
    let err = client
        .tag_product_link()
        .get(RG, SERVICE, "t#1", "l1")
        .await
        .unwrap_err();
    assert!(err.is_invalid_argument(), "{err}");
    assert!(err.to_string().contains("`tag_id`"), "{err}");
    assert!(
        emulator.requests().is_empty(),
        "nothing sent: {:?}",
        emulator.requests()
    );
}
