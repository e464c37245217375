//! Reads the service computes from what is stored: every API's issues, an API's revision,
//! every policy, the tag assignments (also by tag), the region, the network status and a
//! user's identities. Each answers what was stored, and follows deletes.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Harness, SERVICE, send};

fn names(list: &Value, field: &str) -> Vec<String> {
    list["value"]
        .as_array()
        .expect("a value array")
        .iter()
        .map(|item| {
            item.pointer(field)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned()
        })
        .collect()
}

/// Seeds the resource (an API's PUT is long-running; seeding is not).
async fn put(h: &Harness, path: &str, properties: Value) {
    h.emulator.put_json(path, properties).expect("a valid path");
}

/// Deletes, running a long-running delete (an API's) to its end.
async fn delete(h: &Harness, path: &str) {
    let first = send(h.request(Method::DELETE, path).header("if-match", "*")).await;
    match first.status {
        202 => {
            h.run_to_end(&first).await;
        }
        status => assert!(matches!(status, 200 | 204), "delete {path}: {first:?}"),
    }
    h.get(path).await.arm_error(404, "ResourceNotFound");
}

#[tokio::test]
async fn issues_are_listed_across_apis_and_read_by_id() {
    let h = Harness::new().await;
    for api in ["a", "b"] {
        put(
            &h,
            &format!("{SERVICE}/apis/{api}"),
            json!({"displayName": api, "path": api}),
        )
        .await;
    }
    assert_eq!(
        names(&h.get(&format!("{SERVICE}/issues")).await.json(), "/name"),
        Vec::<String>::new()
    );
    let issue = json!({"title": "t", "description": "d", "userId": format!("{SERVICE}/users/u")});
    put(&h, &format!("{SERVICE}/apis/a/issues/i1"), issue.clone()).await;
    put(&h, &format!("{SERVICE}/apis/b/issues/i2"), issue).await;
    let listed = h.get(&format!("{SERVICE}/issues")).await.json();
    assert_eq!(names(&listed, "/name"), ["i1", "i2"]);
    assert_eq!(listed["count"], 2);
    let got = h.get(&format!("{SERVICE}/issues/I2")).await;
    assert_eq!(got.status, 200, "{got:?}");
    assert_eq!(got.json()["id"], format!("{SERVICE}/apis/b/issues/i2"));
    h.get(&format!("{SERVICE}/issues/none"))
        .await
        .arm_error(404, "ResourceNotFound");
    delete(&h, &format!("{SERVICE}/apis/b")).await;
    assert_eq!(
        names(&h.get(&format!("{SERVICE}/issues")).await.json(), "/name"),
        ["i1"]
    );
}

#[tokio::test]
async fn an_api_lists_itself_as_its_current_revision() {
    let h = Harness::new().await;
    h.get(&format!("{SERVICE}/apis/a/revisions"))
        .await
        .arm_error(404, "ResourceNotFound");
    put(
        &h,
        &format!("{SERVICE}/apis/a"),
        json!({"displayName": "A", "path": "pets"}),
    )
    .await;
    let listed = h.get(&format!("{SERVICE}/apis/a/revisions")).await.json();
    assert_eq!(names(&listed, "/apiId"), ["/apis/a;rev=1"]);
    assert_eq!(listed["value"][0]["isCurrent"], true);
    assert_eq!(listed["value"][0]["privateUrl"], "/pets;rev=1");
}

#[tokio::test]
async fn all_policies_lists_every_stored_policy() {
    let h = Harness::new().await;
    let policy = json!({"value": "<policies />", "format": "xml"});
    put(
        &h,
        &format!("{SERVICE}/apis/a"),
        json!({"displayName": "A", "path": "a"}),
    )
    .await;
    put(&h, &format!("{SERVICE}/policies/policy"), policy.clone()).await;
    put(&h, &format!("{SERVICE}/apis/a/policies/policy"), policy).await;
    let listed = h.get(&format!("{SERVICE}/allPolicies")).await.json();
    assert_eq!(
        names(&listed, "/properties/referencePolicyId"),
        [
            format!("{SERVICE}/apis/a/policies/policy"),
            format!("{SERVICE}/policies/policy")
        ]
    );
    delete(&h, &format!("{SERVICE}/apis/a")).await;
    let listed = h.get(&format!("{SERVICE}/allPolicies")).await.json();
    assert_eq!(
        names(&listed, "/properties/referencePolicyId"),
        [format!("{SERVICE}/policies/policy")]
    );
}

#[tokio::test]
async fn tag_resources_list_the_assignments() {
    let h = Harness::new().await;
    put(
        &h,
        &format!("{SERVICE}/tags/t"),
        json!({"displayName": "Tee"}),
    )
    .await;
    put(
        &h,
        &format!("{SERVICE}/apis/a"),
        json!({"displayName": "A", "path": "a"}),
    )
    .await;
    put(
        &h,
        &format!("{SERVICE}/apis/a/operations/o"),
        json!({"displayName": "O", "method": "GET", "urlTemplate": "/o"}),
    )
    .await;
    put(
        &h,
        &format!("{SERVICE}/products/p"),
        json!({"displayName": "P"}),
    )
    .await;
    assert_eq!(
        h.get(&format!("{SERVICE}/tagResources")).await.json()["count"],
        0
    );
    for owner in ["apis/a", "apis/a/operations/o", "products/p"] {
        let resp = send(h.request(Method::PUT, &format!("{SERVICE}/{owner}/tags/t"))).await;
        assert!(matches!(resp.status, 200 | 201), "{owner}: {resp:?}");
    }
    let listed = h.get(&format!("{SERVICE}/tagResources")).await.json();
    assert_eq!(names(&listed, "/tag/name"), ["Tee", "Tee", "Tee"]);
    let owners: Vec<String> = ["/api/id", "/operation/id", "/product/id"]
        .iter()
        .flat_map(|field| names(&listed, field))
        .filter(|id| !id.is_empty())
        .collect();
    assert_eq!(owners, ["/apis/a", "/apis/a/operations/o", "/products/p"]);
    let by_tags = h
        .get(&format!("{SERVICE}/apis/a/operationsByTags"))
        .await
        .json();
    assert_eq!(names(&by_tags, "/operation/name"), ["O"]);
    assert_eq!(by_tags["value"][0]["operation"]["urlTemplate"], "/o");
    assert_eq!(by_tags["value"][0]["operation"]["apiRevision"], "1");
    let apis = h.get(&format!("{SERVICE}/apisByTags")).await.json();
    assert_eq!(names(&apis, "/api/id"), ["/apis/a"]);
    assert_eq!(names(&apis, "/api/name"), ["A"]);
    assert_eq!(apis["value"][0]["api"]["isCurrent"], true);
    let products = h.get(&format!("{SERVICE}/productsByTags")).await.json();
    assert_eq!(names(&products, "/product/id"), ["/products/p"]);
    delete(&h, &format!("{SERVICE}/products/p/tags/t")).await;
    assert_eq!(
        h.get(&format!("{SERVICE}/tagResources")).await.json()["count"],
        2
    );
    assert_eq!(
        h.get(&format!("{SERVICE}/productsByTags")).await.json()["count"],
        0
    );
}

#[tokio::test]
async fn region_network_status_and_identities_follow_the_service_and_user() {
    let h = Harness::bare().await;
    h.create_service(SERVICE).await;
    let regions = h.get(&format!("{SERVICE}/regions")).await.json();
    assert_eq!(names(&regions, "/name"), ["West Europe"]);
    assert_eq!(regions["value"][0]["isMasterRegion"], true);
    let status = h.get(&format!("{SERVICE}/networkstatus")).await.json();
    assert_eq!(status[0]["location"], "West Europe");
    assert_eq!(
        status[0]["networkStatus"]["connectivityStatus"][0]["error"], "",
        "a reachable dependency has an empty error: {status}"
    );
    let by_location = h
        .get(&format!("{SERVICE}/locations/westeurope/networkstatus"))
        .await
        .json();
    assert!(by_location["dnsServers"].is_array(), "{by_location}");

    h.get(&format!("{SERVICE}/users/u/identities"))
        .await
        .arm_error(404, "ResourceNotFound");
    put(
        &h,
        &format!("{SERVICE}/users/u"),
        json!({"email": "u@contoso.example", "firstName": "U", "lastName": "Ser"}),
    )
    .await;
    let identities = h.get(&format!("{SERVICE}/users/u/identities")).await.json();
    assert_eq!(names(&identities, "/id"), ["u@contoso.example"]);
    assert_eq!(identities["value"][0]["provider"], "Basic");
    let entra = json!([{"provider": "Microsoft", "id": "086cf9"}]);
    put(
        &h,
        &format!("{SERVICE}/users/v"),
        json!({"email": "v@contoso.example", "identities": entra}),
    )
    .await;
    let identities = h.get(&format!("{SERVICE}/users/v/identities")).await.json();
    assert_eq!(identities["value"], entra);
}

#[tokio::test]
async fn workspace_links_name_the_gateways_connected_to_each_workspace() {
    let h = Harness::new().await;
    let gateway = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg2/providers/Microsoft.ApiManagement/gateways/g1";
    for workspace in ["w1", "w2"] {
        put(
            &h,
            &format!("{SERVICE}/workspaces/{workspace}"),
            json!({"displayName": workspace}),
        )
        .await;
    }
    put(
        &h,
        &format!("{gateway}/configConnections/c1"),
        json!({"sourceId": format!("{SERVICE}/workspaces/w1")}),
    )
    .await;
    let listed = h.get(&format!("{SERVICE}/workspaceLinks")).await.json();
    assert_eq!(names(&listed, "/name"), ["w1", "w2"]);
    assert_eq!(
        listed["value"][0]["properties"]["gateways"],
        json!([{"id": gateway}])
    );
    assert_eq!(listed["value"][1]["properties"]["gateways"], json!([]));
    let got = h.get(&format!("{SERVICE}/workspaceLinks/W1")).await;
    assert_eq!(got.status, 200, "{got:?}");
    assert!(got.json()["etag"].is_string(), "{got:?}");
    assert_eq!(
        got.json()["properties"]["workspaceId"],
        format!("{SERVICE}/workspaces/w1")
    );
    h.get(&format!("{SERVICE}/workspaceLinks/none"))
        .await
        .arm_error(404, "ResourceNotFound");
}

#[tokio::test]
async fn outbound_endpoints_are_in_the_services_region_and_policies_filter_by_scope() {
    let h = Harness::bare().await;
    h.create_service(SERVICE).await;
    let outbound = h
        .get(&format!("{SERVICE}/outboundNetworkDependenciesEndpoints"))
        .await
        .json();
    let categories = outbound["value"].as_array().expect("a value array");
    assert!(!categories.is_empty(), "{outbound}");
    for category in categories {
        for endpoint in category["endpoints"].as_array().expect("endpoints") {
            assert_eq!(
                endpoint["endpointDetails"][0]["region"], "West Europe",
                "{endpoint}"
            );
        }
    }

    let all = h.get(&format!("{SERVICE}/policyDescriptions")).await.json();
    let tenant = send(
        h.http
            .get(h.url(&format!("{SERVICE}/policyDescriptions"), "scope=Tenant"))
            .bearer_auth(h.emulator.token()),
    )
    .await
    .json();
    assert!(
        names(&all, "/name").contains(&"rate-limit".to_owned()),
        "{all}"
    );
    assert!(
        !names(&tenant, "/name").contains(&"rate-limit".to_owned()),
        "{tenant}"
    );
    assert!(
        names(&tenant, "/name").contains(&"cors".to_owned()),
        "{tenant}"
    );
    for policy in tenant["value"].as_array().expect("a value array") {
        assert_eq!(
            policy["properties"]["scope"].as_u64().expect("a scope") & 1,
            1,
            "{policy}"
        );
    }
}
