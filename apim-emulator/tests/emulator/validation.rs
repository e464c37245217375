//! Path names are validated like the service does: 400 with the parameter as `target`.

use serde_json::json;

use crate::common::Harness;

const PREFIX: &str = "/subscriptions/s/resourceGroups";

fn path(rg: &str, service: &str, backend_id: &str) -> String {
    format!(
        "{PREFIX}/{rg}/providers/Microsoft.ApiManagement/service/{service}/backends/{backend_id}"
    )
}

async fn assert_invalid(h: &Harness, path: &str, target: &str) {
    for resp in [
        h.get(path).await,
        h.put(path, &json!({"properties": {}})).await,
    ] {
        let error = resp.arm_error(400, "ValidationError");
        assert_eq!(error["target"], target, "{path}: {error}");
    }
}

#[tokio::test]
async fn bad_service_names_are_400() {
    let h = Harness::new().await;
    for service in ["1svc", "svc-", "my_svc", "sv%20c", &"s".repeat(51)] {
        assert_invalid(&h, &path("rg", service, "b1"), "serviceName").await;
    }
    assert_eq!(
        h.get(&path("rg", &"s".repeat(50), "b1")).await.status,
        404,
        "50 characters are fine"
    );
}

#[tokio::test]
async fn too_long_backend_ids_are_400() {
    let h = Harness::new().await;
    assert_invalid(&h, &path("rg", "svc", &"b".repeat(81)), "backendId").await;
    h.seed(&[format!(
        "{PREFIX}/rg/providers/Microsoft.ApiManagement/service/svc"
    )]);
    let ok = h
        .put(
            &path("rg", "svc", &"b".repeat(80)),
            &json!({"properties": {}}),
        )
        .await;
    assert_eq!(ok.status, 201, "80 characters are fine");
    // Other resource ids may be longer.
    let api = format!(
        "{PREFIX}/rg/providers/Microsoft.ApiManagement/service/svc/apis/{}",
        "a".repeat(256)
    );
    assert_eq!(h.put(&api, &json!({"properties": {}})).await.status, 201);
}

#[tokio::test]
async fn bad_resource_groups_are_400() {
    let h = Harness::new().await;
    for rg in ["rg.", "rg!", "r%20g", &"r".repeat(91)] {
        assert_invalid(&h, &path(rg, "svc", "b1"), "resourceGroupName").await;
    }
    h.seed(&[format!(
        "{PREFIX}/my-RG_(1).x%C3%BC/providers/Microsoft.ApiManagement/service/svc"
    )]);
    let ok = h
        .put(
            &path("my-RG_(1).x%C3%BC", "svc", "b1"),
            &json!({"properties": {}}),
        )
        .await;
    assert_eq!(
        ok.status, 201,
        "letters (any script), digits and -_.() are fine: {ok:?}"
    );
}

#[tokio::test]
async fn resource_group_is_checked_before_service_and_backend() {
    let h = Harness::new().await;
    assert_invalid(
        &h,
        &path("rg.", "1svc", &"b".repeat(81)),
        "resourceGroupName",
    )
    .await;
    assert_invalid(&h, &path("rg", "1svc", &"b".repeat(81)), "serviceName").await;
}

/// Names below the service follow the description's constraints for the operation's
/// placeholder, exactly per operation (read from the description, not from the client's
/// rule table, so the emulator stays an independent oracle).
#[tokio::test]
async fn resource_ids_follow_the_description() {
    let h = Harness::new().await;
    let service = format!("{PREFIX}/rg/providers/Microsoft.ApiManagement/service/svc");
    h.seed(std::slice::from_ref(&service));
    // `tagId`: 1-80 characters of `^[^*#&+:<>?]+$`.
    for bad in ["with*star", "a:b", "q?", &"t".repeat(81)] {
        let encoded = bad.replace('?', "%3F");
        let resp = h
            .put(
                &format!("{service}/tags/{encoded}"),
                &json!({"properties": {"displayName": "t"}}),
            )
            .await;
        let error = resp.arm_error(400, "ValidationError");
        assert_eq!(error["target"], "tagId", "{bad}: {error}");
        let message = error["message"].as_str().unwrap_or("");
        assert!(
            message.contains("1 to 80 characters") && message.contains("none of '*#&+:<>?'"),
            "{bad}: {error}"
        );
    }
    let ok = h
        .put(
            &format!("{service}/tags/{}", "t".repeat(80)),
            &json!({"properties": {"displayName": "t"}}),
        )
        .await;
    assert_eq!(ok.status, 201, "80 characters are fine: {ok:?}");
    // `userId` in a user's subscriptions: the description's 1-80 characters.
    let resp = h
        .get(&format!("{service}/users/{}/subscriptions", "u".repeat(81)))
        .await;
    assert_eq!(resp.arm_error(400, "ValidationError")["target"], "userId");
}

/// One placeholder, two documented constraint sets: `apiId` is 1-256 without `*#&+:<>?`
/// for an API, but 1-80 of anything for a gateway's API link.
#[tokio::test]
async fn constraints_are_the_operations_own() {
    let h = Harness::new().await;
    let service = format!("{PREFIX}/rg/providers/Microsoft.ApiManagement/service/svc");
    h.seed(&[format!("{service}/gateways/g1")]);
    let long = "a".repeat(100);
    let api = h
        .put(
            &format!("{service}/apis/{long}"),
            &json!({"properties": {"path": "p", "displayName": "d"}}),
        )
        .await;
    assert_eq!(api.status, 201, "100 characters make an API id: {api:?}");
    let link = h
        .put(&format!("{service}/gateways/g1/apis/{long}"), &json!({}))
        .await;
    assert_eq!(link.arm_error(400, "ValidationError")["target"], "apiId");
}

/// The description marks `If-Match` required on most updates and deletes (the official
/// SDK's `if_match` is a required argument there): without it, 400 targeting `If-Match`,
/// before anything is changed. Link deletes, whose `If-Match` is not required, need none.
#[tokio::test]
async fn an_update_or_delete_without_the_required_if_match_is_400() {
    use crate::common::{SERVICE, backend, json_body, send};
    use reqwest::Method;

    let h = Harness::new().await;
    h.put_backend("b1", "https://a/").await;
    let patch = json!({"properties": {"description": "changed"}});
    for resp in [
        send(json_body(h.request(Method::PATCH, &backend("b1")), &patch)).await,
        send(h.request(Method::DELETE, &backend("b1"))).await,
    ] {
        let error = resp.arm_error(400, "ValidationError");
        assert_eq!(error["target"], "If-Match", "{error}");
    }
    assert!(h.get(&backend("b1")).await.json()["properties"]["description"].is_null());

    let patched = send(json_body(
        h.request(Method::PATCH, &backend("b1"))
            .header("if-match", "*"),
        &patch,
    ))
    .await;
    assert_eq!(patched.status, 200, "{patched:?}");
    let deleted = send(
        h.request(Method::DELETE, &backend("b1"))
            .header("if-match", "*"),
    )
    .await;
    assert_eq!(deleted.status, 200, "{deleted:?}");

    // `ProductApi_Delete` declares no If-Match.
    h.seed(&[
        format!("{SERVICE}/products/p1"),
        format!("{SERVICE}/apis/a1"),
    ]);
    let link = format!("{SERVICE}/products/p1/apis/a1");
    assert_eq!(send(h.request(Method::PUT, &link)).await.status, 201);
    assert_eq!(send(h.request(Method::DELETE, &link)).await.status, 200);
}
