//! The service resource: created, read, listed (per resource group and subscription-wide),
//! updated and deleted as APIM does, with the read-only properties APIM fills in.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Harness, Resp, SERVICE, send};

pub(crate) const SUBSCRIPTION: &str = "/subscriptions/00000000-0000-0000-0000-000000000000";

pub(crate) fn service_in(group: &str, name: &str) -> String {
    format!(
        "{SUBSCRIPTION}/resourceGroups/{group}/providers/Microsoft.ApiManagement/service/{name}"
    )
}

pub(crate) fn service_body() -> Value {
    json!({
        "location": "West Europe",
        "sku": {"name": "Developer", "capacity": 1},
        "tags": {"env": "test"},
        "properties": {"publisherEmail": "admin@contoso.example", "publisherName": "Contoso"},
    })
}

impl Harness {
    /// Polls a long-running operation's status URL (`Azure-AsyncOperation`) until it ends,
    /// then reads its result URL (`Location`).
    pub(crate) async fn run_to_end(&self, first: &Resp) -> Resp {
        let status_url = first
            .header("azure-asyncoperation")
            .unwrap_or_else(|| panic!("no Azure-AsyncOperation: {first:?}"));
        for _ in 0..10 {
            let status = send(self.http.get(status_url).bearer_auth(self.emulator.token())).await;
            assert_eq!(status.status, 200, "{status:?}");
            if status.json()["status"] != "InProgress" {
                assert_eq!(status.json()["status"], "Succeeded", "{status:?}");
                let location = first.header("location").expect("a Location");
                return send(self.http.get(location).bearer_auth(self.emulator.token())).await;
            }
        }
        panic!("the operation never ended");
    }

    /// Creates the service at `path` through its long-running PUT.
    pub(crate) async fn create_service(&self, path: &str) -> Value {
        let first = self.put(path, &service_body()).await;
        assert_eq!(first.status, 201, "{first:?}");
        let done = self.run_to_end(&first).await;
        assert_eq!(done.status, 200, "{done:?}");
        done.json()
    }
}

#[tokio::test]
async fn a_service_is_created_with_what_apim_fills_in() {
    let h = Harness::bare().await;
    let first = h.put(SERVICE, &service_body()).await;
    assert_eq!(first.status, 201, "{first:?}");
    let pending = first.json();
    assert_eq!(pending["properties"]["provisioningState"], "Created");
    assert_eq!(
        pending["properties"]["targetProvisioningState"],
        "Activating"
    );
    // Until the operation completes, the service does not exist.
    h.get(SERVICE).await.arm_error(404, "ResourceNotFound");

    let done = h.run_to_end(&first).await.json();
    let got = h.get(SERVICE).await;
    assert_eq!(got.status, 200);
    let service = got.json();
    assert_eq!(service, done);
    assert_eq!(service["id"], SERVICE);
    assert_eq!(service["name"], "apimService1");
    assert_eq!(service["type"], "Microsoft.ApiManagement/service");
    assert_eq!(service["location"], "West Europe");
    assert_eq!(service["sku"], json!({"name": "Developer", "capacity": 1}));
    assert_eq!(service["tags"], json!({"env": "test"}));
    assert_eq!(Some(service["etag"].as_str().unwrap()), got.header("etag"));
    let properties = &service["properties"];
    assert_eq!(properties["provisioningState"], "Succeeded");
    assert_eq!(properties["targetProvisioningState"], "");
    assert_eq!(properties["publisherName"], "Contoso");
    for (field, url) in [
        ("gatewayUrl", "https://apimservice1.azure-api.net"),
        (
            "gatewayRegionalUrl",
            "https://apimservice1-westeurope-01.regional.azure-api.net",
        ),
        ("portalUrl", "https://apimservice1.portal.azure-api.net"),
        (
            "developerPortalUrl",
            "https://apimservice1.developer.azure-api.net",
        ),
        (
            "managementApiUrl",
            "https://apimservice1.management.azure-api.net",
        ),
        ("scmUrl", "https://apimservice1.scm.azure-api.net"),
    ] {
        assert_eq!(properties[field], url, "{field}");
    }
    assert!(
        properties["createdAtUtc"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z'))
    );
    let address = properties["publicIPAddresses"][0]
        .as_str()
        .expect("an address");
    assert_eq!(address.split('.').count(), 4);
    assert_eq!(properties["hostnameConfigurations"][0]["type"], "Proxy");
}

#[tokio::test]
async fn a_service_update_merges_and_keeps_its_creation_time() {
    let h = Harness::bare().await;
    let created = h.create_service(SERVICE).await;
    let first = h
        .patch(
            SERVICE,
            &json!({"sku": {"name": "Premium", "capacity": 2}, "properties": {"publisherName": "Fabrikam"}}),
        )
        .await;
    assert_eq!(first.status, 202, "{first:?}");
    let updated = h.run_to_end(&first).await.json();
    assert_eq!(updated["sku"], json!({"name": "Premium", "capacity": 2}));
    assert_eq!(updated["location"], "West Europe");
    assert_eq!(updated["properties"]["publisherName"], "Fabrikam");
    assert_eq!(
        updated["properties"]["createdAtUtc"],
        created["properties"]["createdAtUtc"]
    );
    assert_ne!(updated["etag"], created["etag"]);
    // ARM's systemData: written on create, its created* kept across the update.
    let (before, after) = (&created["systemData"], &updated["systemData"]);
    for field in [
        "createdBy",
        "createdByType",
        "lastModifiedBy",
        "lastModifiedByType",
    ] {
        assert!(before[field].is_string(), "{field}: {before}");
    }
    assert_eq!(after["createdAt"], before["createdAt"], "{after}");
    assert_eq!(after["createdBy"], before["createdBy"], "{after}");
    assert!(after["lastModifiedAt"].is_string(), "{after}");
}

#[tokio::test]
async fn services_list_per_resource_group_and_across_the_subscription() {
    let h = Harness::bare().await;
    for (group, name) in [("rg1", "svc-a"), ("rg1", "svc-b"), ("rg2", "svc-c")] {
        h.create_service(&service_in(group, name)).await;
    }
    h.emulator
        .put_json(
            "/subscriptions/other/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/svc-x",
            json!({}),
        )
        .expect("valid path");
    let names = |list: &Resp| -> Vec<String> {
        assert_eq!(list.status, 200, "{list:?}");
        list.json()["value"]
            .as_array()
            .expect("value[]")
            .iter()
            .map(|service| service["name"].as_str().expect("a name").to_string())
            .collect()
    };
    let rg1 = h
        .get(&format!(
            "{SUBSCRIPTION}/resourceGroups/rg1/providers/Microsoft.ApiManagement/service"
        ))
        .await;
    assert_eq!(names(&rg1), ["svc-a", "svc-b"]);
    let all = h
        .get(&format!(
            "{SUBSCRIPTION}/providers/Microsoft.ApiManagement/service"
        ))
        .await;
    assert_eq!(names(&all), ["svc-a", "svc-b", "svc-c"]);
    assert_eq!(all.json()["value"][2]["id"], service_in("rg2", "svc-c"));
    // Paged like every list.
    let paged = send(
        h.http
            .get(h.url(
                &format!("{SUBSCRIPTION}/providers/Microsoft.ApiManagement/service"),
                "$top=2",
            ))
            .bearer_auth(h.emulator.token()),
    )
    .await;
    assert_eq!(names(&paged), ["svc-a", "svc-b"]);
    assert!(
        paged.json()["nextLink"]
            .as_str()
            .is_some_and(|l| l.contains("$skip=2"))
    );
}

#[tokio::test]
async fn deleting_a_service_deletes_everything_in_it() {
    let h = Harness::bare().await;
    h.create_service(SERVICE).await;
    h.seed(&[format!("{SERVICE}/apis/a/operations/o")]);
    let first = send(h.request(Method::DELETE, SERVICE)).await;
    assert_eq!(first.status, 202, "{first:?}");
    let done = h.run_to_end(&first).await;
    // The description gives the final answer the service, as it was deleted.
    assert_eq!(done.status, 200, "{done:?}");
    assert_eq!(done.json()["name"], "apimService1");
    h.get(SERVICE).await.arm_error(404, "ResourceNotFound");
    assert!(h.emulator.get_json(&format!("{SERVICE}/apis/a")).is_none());
    // Once its soft-deleted record is purged, a new service of that name starts empty.
    let purge = send(h.request(
        Method::DELETE,
        &format!(
            "{SUBSCRIPTION}/providers/Microsoft.ApiManagement/locations/westeurope/deletedservices/apimService1"
        ),
    ))
    .await;
    h.run_to_end(&purge).await;
    h.create_service(SERVICE).await;
    assert_eq!(h.get(&format!("{SERVICE}/apis")).await.json()["count"], 0);
}
