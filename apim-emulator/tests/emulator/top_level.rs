//! Paths outside `service/{serviceName}`: the top-level gateways and their config
//! connections (`Microsoft.ApiManagement/gateways`), and the deleted services a service's
//! delete leaves until purged.

use reqwest::Method;
use serde_json::json;

use crate::common::{Harness, SERVICE, send};
use crate::service::{SUBSCRIPTION, service_in};

fn gateway(group: &str, name: &str) -> String {
    format!(
        "{SUBSCRIPTION}/resourceGroups/{group}/providers/Microsoft.ApiManagement/gateways/{name}"
    )
}

fn gateway_body() -> serde_json::Value {
    json!({"location": "East US", "sku": {"name": "Standard", "capacity": 1}, "properties": {}})
}

fn names(list: &crate::common::Resp) -> Vec<String> {
    assert_eq!(list.status, 200, "{list:?}");
    list.json()["value"]
        .as_array()
        .expect("value[]")
        .iter()
        .map(|item| item["name"].as_str().expect("a name").to_string())
        .collect()
}

#[tokio::test]
async fn a_gateway_is_created_updated_listed_and_deleted() {
    let h = Harness::bare().await;
    let g1 = gateway("rg1", "gw1");
    let first = h.put(&g1, &gateway_body()).await;
    assert_eq!(first.status, 201, "{first:?}");
    let status_url = first.header("azure-asyncoperation").expect("a status URL");
    assert!(
        status_url.contains("/providers/Microsoft.ApiManagement/gateways/gw1/operationStatuses/"),
        "{status_url}"
    );
    let created = h.run_to_end(&first).await.json();
    assert_eq!(created["type"], "Microsoft.ApiManagement/gateways");
    assert_eq!(created["id"], g1);
    assert_eq!(created["location"], "East US");
    assert_eq!(created["sku"]["name"], "Standard");
    assert!(created["etag"].is_string());
    let properties = &created["properties"];
    assert_eq!(properties["provisioningState"], "Succeeded");
    assert_eq!(
        properties["frontend"]["defaultHostname"],
        "gw1.eastus.gateway.azure-api.net"
    );
    assert_eq!(
        properties["configurationApi"]["hostname"],
        "gw1.eastus.configuration.azure-api.net"
    );

    let first = h
        .patch(&g1, &json!({"sku": {"name": "Standard", "capacity": 2}}))
        .await;
    assert_eq!(first.status, 202, "{first:?}");
    assert_eq!(h.run_to_end(&first).await.json()["sku"]["capacity"], 2);

    h.create_gateway(&gateway("rg2", "gw2")).await;
    let rg1 = h
        .get(&format!(
            "{SUBSCRIPTION}/resourceGroups/rg1/providers/Microsoft.ApiManagement/gateways"
        ))
        .await;
    assert_eq!(names(&rg1), ["gw1"]);
    let all = h
        .get(&format!(
            "{SUBSCRIPTION}/providers/Microsoft.ApiManagement/gateways"
        ))
        .await;
    assert_eq!(names(&all), ["gw1", "gw2"]);

    let first = send(h.request(Method::DELETE, &g1)).await;
    assert_eq!(first.status, 202, "{first:?}");
    // `ApiGateway_Delete`'s final answer is the gateway, as it was deleted.
    let done = h.run_to_end(&first).await;
    assert_eq!(
        (done.status, done.json()["name"].clone()),
        (200, "gw1".into())
    );
    h.get(&g1).await.arm_error(404, "ResourceNotFound");
}

#[tokio::test]
async fn config_connections_live_under_their_gateway() {
    let h = Harness::bare().await;
    let g1 = gateway("rg1", "gw1");
    let connection = format!("{g1}/configConnections/c1");
    let body = json!({"properties": {"sourceId": format!("{SERVICE}/workspaces/w1")}});
    h.put(&connection, &body)
        .await
        .arm_error(404, "ResourceNotFound");
    h.create_gateway(&g1).await;
    let first = h.put(&connection, &body).await;
    assert_eq!(first.status, 201, "{first:?}");
    let created = h.run_to_end(&first).await.json();
    assert_eq!(
        created["type"],
        "Microsoft.ApiManagement/gateways/configConnections"
    );
    assert_eq!(created["properties"]["provisioningState"], "Succeeded");
    assert_eq!(
        created["properties"]["defaultHostname"],
        "c1.gw1.gateway.azure-api.net"
    );
    assert_eq!(
        names(&h.get(&format!("{g1}/configConnections")).await),
        ["c1"]
    );

    // Deleting the gateway deletes its connections.
    let first = send(h.request(Method::DELETE, &g1)).await;
    h.run_to_end(&first).await;
    h.create_gateway(&g1).await;
    h.get(&connection).await.arm_error(404, "ResourceNotFound");
}

#[tokio::test]
async fn a_deleted_service_is_kept_until_purged() {
    let h = Harness::bare().await;
    h.create_service(SERVICE).await;
    let first = send(h.request(Method::DELETE, SERVICE)).await;
    h.run_to_end(&first).await;

    let deleted_path = format!(
        "{SUBSCRIPTION}/providers/Microsoft.ApiManagement/locations/westeurope/deletedservices/apimService1"
    );
    let deleted = h.get(&deleted_path).await;
    assert_eq!(deleted.status, 200, "{deleted:?}");
    let deleted = deleted.json();
    assert_eq!(deleted["id"], deleted_path);
    assert_eq!(deleted["name"], "apimService1");
    assert_eq!(deleted["type"], "Microsoft.ApiManagement/deletedservices");
    assert_eq!(deleted["location"], "West Europe");
    assert_eq!(deleted["properties"]["serviceId"], SERVICE);
    for field in ["deletionDate", "scheduledPurgeDate"] {
        assert!(
            deleted["properties"][field].is_string(),
            "{field}: {deleted}"
        );
    }
    let listed = h
        .get(&format!(
            "{SUBSCRIPTION}/providers/Microsoft.ApiManagement/deletedservices"
        ))
        .await;
    assert_eq!(names(&listed), ["apimService1"]);

    // The purge is long-running; its status URL is under the location.
    let first = send(h.request(Method::DELETE, &deleted_path)).await;
    assert_eq!(first.status, 202, "{first:?}");
    let status_url = first.header("azure-asyncoperation").expect("a status URL");
    assert!(
        status_url.contains(
            "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.ApiManagement/locations/westeurope/operationStatuses/"
        ),
        "{status_url}"
    );
    // `DeletedServices_Purge`'s final answer is the deleted service, as it was purged.
    let done = h.run_to_end(&first).await;
    assert_eq!(done.status, 200, "{done:?}");
    assert_eq!(done.json()["name"], "apimService1");
    h.get(&deleted_path)
        .await
        .arm_error(404, "ResourceNotFound");
    let listed = h
        .get(&format!(
            "{SUBSCRIPTION}/providers/Microsoft.ApiManagement/deletedservices"
        ))
        .await;
    assert!(names(&listed).is_empty());
    // A service in another resource group is not affected.
    h.get(&service_in("rg2", "apimService1"))
        .await
        .arm_error(404, "ResourceNotFound");
}

/// A soft-deleted service keeps its name (service names are DNS names): creating it again,
/// in any resource group, is 409 until the create restores it or the record is purged.
#[tokio::test]
async fn a_soft_deleted_name_is_taken_until_restored() {
    let h = Harness::bare().await;
    h.create_service(SERVICE).await;
    let first = send(h.request(Method::DELETE, SERVICE)).await;
    h.run_to_end(&first).await;

    for path in [SERVICE.to_string(), service_in("rg2", "APIMSERVICE1")] {
        let again = h.put(&path, &crate::service::service_body()).await;
        let error = again.arm_error(409, "ServiceAlreadyExistsInSoftDeletedState");
        assert!(
            error["message"].as_str().unwrap_or("").contains("restore"),
            "{error}"
        );
    }

    let mut restore = crate::service::service_body();
    restore["properties"]["restore"] = json!(true);
    let first = h.put(SERVICE, &restore).await;
    assert_eq!(first.status, 201, "{first:?}");
    assert_eq!(h.run_to_end(&first).await.status, 200);
    let deleted = h
        .get(&format!(
            "{SUBSCRIPTION}/providers/Microsoft.ApiManagement/deletedservices"
        ))
        .await;
    assert!(
        names(&deleted).is_empty(),
        "the record ends with the restore"
    );
    assert_eq!(h.get(SERVICE).await.status, 200);
}

impl Harness {
    async fn create_gateway(&self, path: &str) {
        let first = self.put(path, &gateway_body()).await;
        assert_eq!(first.status, 201, "{first:?}");
        assert_eq!(self.run_to_end(&first).await.status, 200);
    }
}

#[tokio::test]
async fn the_subscription_level_has_only_the_described_requests() {
    let h = Harness::new().await;
    let path = format!("{SUBSCRIPTION}/providers/Microsoft.ApiManagement/service/svc1");
    h.put(&path, &json!({"properties": {}}))
        .await
        .arm_error(404, "InvalidResourceType");
    h.get(&path).await.arm_error(404, "InvalidResourceType");
    // Purging what is not there answers 204 at once, as a delete does.
    let purge = send(h.request(
        Method::DELETE,
        &format!(
            "{SUBSCRIPTION}/providers/Microsoft.ApiManagement/locations/westeurope/deletedservices/none"
        ),
    ))
    .await;
    assert_eq!(purge.status, 204, "{purge:?}");
}

#[tokio::test]
async fn the_sku_lists_answer_apims_catalogue() {
    let h = Harness::new().await;
    let service_skus = h.get(&format!("{SERVICE}/skus")).await;
    assert_eq!(service_skus.status, 200, "{service_skus:?}");
    assert_eq!(service_skus.json()["value"][0]["sku"]["name"], "Developer");
    let all = h
        .get(&format!(
            "{SUBSCRIPTION}/providers/Microsoft.ApiManagement/skus"
        ))
        .await;
    assert_eq!(all.status, 200, "{all:?}");
    assert!(all.json()["value"].as_array().is_some_and(|v| v.len() >= 4));
    h.get(&format!("{}/skus", gateway("rg1", "none")))
        .await
        .arm_error(404, "ResourceNotFound");
    h.create_gateway(&gateway("rg1", "gw1")).await;
    let gateway_skus = h.get(&format!("{}/skus", gateway("rg1", "gw1"))).await;
    assert_eq!(gateway_skus.json()["value"][0]["sku"]["name"], "Standard");
}

#[tokio::test]
async fn the_provider_lists_its_operations() {
    let h = Harness::bare().await;
    let listed = h.get("/providers/Microsoft.ApiManagement/operations").await;
    assert_eq!(listed.status, 200, "{listed:?}");
    let names: Vec<String> = listed.json()["value"]
        .as_array()
        .expect("value[]")
        .iter()
        .map(|operation| operation["name"].as_str().expect("a name").to_string())
        .collect();
    for expected in [
        "Microsoft.ApiManagement/service/read",
        "Microsoft.ApiManagement/service/apis/write",
        "Microsoft.ApiManagement/service/backends/reconnect/action",
        "Microsoft.ApiManagement/service/tenant/git/regeneratePrimaryKey/action",
        "Microsoft.ApiManagement/gateways/delete",
    ] {
        assert!(
            names.iter().any(|name| name == expected),
            "{expected} not in {names:?}"
        );
    }
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), names.len());
}
