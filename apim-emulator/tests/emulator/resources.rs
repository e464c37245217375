//! PUT / GET / HEAD / PATCH / DELETE, ETags and If-Match.

use reqwest::Method;
use serde_json::json;

use crate::common::{Harness, SERVICE, backend, json_body, send};

#[tokio::test]
async fn put_creates_201_then_replaces_200() {
    let h = Harness::new().await;
    let created = h
        .put(
            &backend("proxybackend"),
            &json!({"properties": {"url": "https://a/", "protocol": "http"}}),
        )
        .await;
    assert_eq!(created.status, 201, "{created:?}");
    let body = created.json();
    assert_eq!(body["id"], backend("proxybackend"));
    assert_eq!(body["type"], "Microsoft.ApiManagement/service/backends");
    assert_eq!(body["name"], "proxybackend");
    assert_eq!(
        body["properties"],
        json!({"url": "https://a/", "protocol": "http"})
    );
    let first_etag = created
        .header("etag")
        .expect("PUT answers an ETag")
        .to_string();
    assert!(
        first_etag.starts_with('"') && first_etag.ends_with('"'),
        "{first_etag}"
    );

    let replaced = h
        .put(
            &backend("proxybackend"),
            &json!({"properties": {"url": "https://b/"}}),
        )
        .await;
    assert_eq!(replaced.status, 200, "{replaced:?}");
    assert_eq!(
        replaced.json()["properties"],
        json!({"url": "https://b/"}),
        "PUT replaces the properties"
    );
    assert_ne!(
        replaced.header("etag"),
        Some(first_etag.as_str()),
        "every write changes the ETag"
    );
}

#[tokio::test]
async fn get_returns_the_resource_with_its_etag() {
    let h = Harness::new().await;
    let put = h.put_backend("b1", "https://a/").await;
    let got = h.get(&backend("b1")).await;
    assert_eq!(got.status, 200);
    assert_eq!(
        got.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(got.header("etag"), put.header("etag"));
    assert_eq!(got.json(), put.json());
    assert_eq!(Some(got.json()), h.emulator.get_json(&backend("b1")));
}

#[tokio::test]
async fn head_answers_200_with_etag_and_no_body_or_404() {
    let h = Harness::new().await;
    let put = h.put_backend("b1", "https://a/").await;
    let head = send(h.request(Method::HEAD, &backend("b1"))).await;
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("etag"), put.header("etag"));
    let missing = send(h.request(Method::HEAD, &backend("nope"))).await;
    assert_eq!(missing.status, 404);
    assert!(missing.body.is_empty());
}

#[tokio::test]
async fn patch_merges_properties_and_null_deletes() {
    let h = Harness::new().await;
    let put = h
        .put(&backend("b1"), &json!({"properties": {"url": "https://a/", "description": "d", "tls": {"validateCertificateChain": true, "validateCertificateName": true}}}))
        .await;
    let patch = json!({"properties": {"description": null, "tls": {"validateCertificateName": false}, "protocol": "http"}});
    let patched = send(json_body(
        h.request(Method::PATCH, &backend("b1"))
            .header("if-match", "*"),
        &patch,
    ))
    .await;
    assert_eq!(patched.status, 200, "{patched:?}");
    assert_eq!(
        patched.json()["properties"],
        json!({"url": "https://a/", "protocol": "http", "tls": {"validateCertificateChain": true, "validateCertificateName": false}})
    );
    assert_ne!(patched.header("etag"), put.header("etag"));
    assert_eq!(h.get(&backend("b1")).await.json(), patched.json());
}

#[tokio::test]
async fn an_unconditional_patch_merges_and_a_missing_resource_is_404() {
    let h = Harness::new().await;
    h.put_backend("b1", "https://a/").await;
    let patched = send(json_body(
        h.request(Method::PATCH, &backend("b1"))
            .header("if-match", "*"),
        &json!({"properties": {"title": "t"}}),
    ))
    .await;
    assert_eq!(patched.status, 200);
    assert_eq!(patched.json()["properties"]["title"], "t");
    let missing = send(json_body(
        h.request(Method::PATCH, &backend("nope"))
            .header("if-match", "*"),
        &json!({"properties": {}}),
    ))
    .await;
    missing.arm_error(404, "ResourceNotFound");
}

/// RFC 9110 §13.1.1: `If-Match` compares entity tags strongly, and a weak tag never
/// matches strongly, even with the current opaque value.
#[tokio::test]
async fn a_weak_entity_tag_never_satisfies_if_match() {
    let h = Harness::new().await;
    let put = h.put_backend("b1", "https://a/").await;
    let weak = format!("W/{}", put.header("etag").unwrap());
    let body = json!({"properties": {"url": "https://changed/"}});
    for method in [Method::PUT, Method::PATCH] {
        send(json_body(
            h.request(method, &backend("b1")).header("if-match", &weak),
            &body,
        ))
        .await
        .arm_error(412, "PreconditionFailed");
    }
    send(
        h.request(Method::DELETE, &backend("b1"))
            .header("if-match", &weak),
    )
    .await
    .arm_error(412, "PreconditionFailed");
    assert_eq!(
        h.get(&backend("b1")).await.json()["properties"]["url"],
        "https://a/",
        "nothing changed"
    );
}

#[tokio::test]
async fn if_match_mismatch_is_412_and_star_or_current_etag_matches() {
    let h = Harness::new().await;
    let put = h.put_backend("b1", "https://a/").await;
    let etag = put.header("etag").unwrap().to_string();
    let stale = "\"not-the-etag\"";
    let body = json!({"properties": {"url": "https://changed/"}});

    send(json_body(
        h.request(Method::PUT, &backend("b1"))
            .header("if-match", stale),
        &body,
    ))
    .await
    .arm_error(412, "PreconditionFailed");
    send(json_body(
        h.request(Method::PATCH, &backend("b1"))
            .header("if-match", stale),
        &body,
    ))
    .await
    .arm_error(412, "PreconditionFailed");
    send(
        h.request(Method::DELETE, &backend("b1"))
            .header("if-match", stale),
    )
    .await
    .arm_error(412, "PreconditionFailed");
    assert_eq!(
        h.get(&backend("b1")).await.json()["properties"]["url"],
        "https://a/",
        "nothing changed"
    );

    let patched = send(json_body(
        h.request(Method::PATCH, &backend("b1"))
            .header("if-match", &etag),
        &body,
    ))
    .await;
    assert_eq!(patched.status, 200);
    // The old ETag is now stale too.
    send(json_body(
        h.request(Method::PUT, &backend("b1"))
            .header("if-match", &etag),
        &body,
    ))
    .await
    .arm_error(412, "PreconditionFailed");
    let replaced = send(json_body(
        h.request(Method::PUT, &backend("b1"))
            .header("if-match", "*"),
        &body,
    ))
    .await;
    assert_eq!(replaced.status, 200);
    // `*` needs an existing resource.
    send(json_body(
        h.request(Method::PUT, &backend("new"))
            .header("if-match", "*"),
        &body,
    ))
    .await
    .arm_error(412, "PreconditionFailed");
    let current = replaced.header("etag").unwrap();
    assert_eq!(
        send(
            h.request(Method::DELETE, &backend("b1"))
                .header("if-match", current)
        )
        .await
        .status,
        200
    );
}

#[tokio::test]
async fn delete_answers_200_then_204() {
    let h = Harness::new().await;
    h.put_backend("b1", "https://a/").await;
    let first = send(
        h.request(Method::DELETE, &backend("b1"))
            .header("if-match", "*"),
    )
    .await;
    assert_eq!(first.status, 200);
    assert!(first.body.is_empty());
    let second = send(
        h.request(Method::DELETE, &backend("b1"))
            .header("if-match", "*"),
    )
    .await;
    assert_eq!(second.status, 204);
    h.get(&backend("b1"))
        .await
        .arm_error(404, "ResourceNotFound");
    assert_eq!(h.emulator.get_json(&backend("b1")), None);
}

#[tokio::test]
async fn missing_resource_is_404_resource_not_found() {
    let h = Harness::new().await;
    let error = h
        .get(&backend("nope"))
        .await
        .arm_error(404, "ResourceNotFound");
    assert_eq!(
        error["message"],
        "The Resource 'Microsoft.ApiManagement/service/apimService1/backends/nope' \
         under resource group 'rg1' was not found."
    );
}

#[tokio::test]
async fn unknown_paths_are_404() {
    let h = Harness::new().await;
    for path in [
        "/",
        "/subscriptions/s/resourceGroups/rg",
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/x",
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/widgets/g",
        "/subscriptions/s/providers/Microsoft.ApiManagement/widgets",
    ] {
        send(h.request(Method::GET, path))
            .await
            .arm_error(404, "InvalidResourceType");
    }
}

#[tokio::test]
async fn put_body_must_be_an_object_with_properties() {
    let h = Harness::new().await;
    let put = |body: &'static str| {
        send(
            h.request(Method::PUT, &backend("b1"))
                .header("content-type", "application/json")
                .body(body),
        )
    };
    put("{not json")
        .await
        .arm_error(400, "InvalidRequestContent");
    put("").await.arm_error(400, "InvalidRequestContent");
    put("[]").await.arm_error(400, "InvalidRequestContent");
    let error = put(r#"{"url":"https://a/"}"#)
        .await
        .arm_error(400, "ValidationError");
    assert_eq!(error["target"], "properties");
    put(r#"{"properties":"x"}"#)
        .await
        .arm_error(400, "ValidationError");
    assert_eq!(h.emulator.get_json(&backend("b1")), None);
}

#[tokio::test]
async fn literal_segments_and_names_are_case_insensitive() {
    let h = Harness::new().await;
    h.put_backend("MyBackend", "https://a/").await;
    let path = "/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/resourcegroups/RG1/Providers/microsoft.apimanagement/Service/APIMSERVICE1/backends/mybackend";
    let got = h.get(path).await;
    assert_eq!(got.status, 200, "{got:?}");
    assert_eq!(
        got.json()["name"],
        "MyBackend",
        "the name keeps the casing it was created with"
    );
    assert_eq!(got.json()["id"], backend("MyBackend"));
}

#[tokio::test]
async fn names_are_percent_decoded() {
    let h = Harness::new().await;
    let put = h
        .put(&backend("my%20backend%C3%BC"), &json!({"properties": {}}))
        .await;
    assert_eq!(put.status, 201);
    assert_eq!(put.json()["name"], "my backendü");
    assert!(
        h.emulator
            .get_json(&backend("my%20backend%C3%BC"))
            .is_some()
    );
}

#[tokio::test]
async fn nested_and_other_collections_work() {
    let h = Harness::new().await;
    h.seed(&[format!("{SERVICE}/apis/echo-api")]);
    let op = format!("{SERVICE}/apis/echo-api/operations/get-op");
    let put = h.put(&op, &json!({"properties": {"method": "GET"}})).await;
    assert_eq!(put.status, 201);
    assert_eq!(
        put.json()["type"],
        "Microsoft.ApiManagement/service/apis/operations"
    );
    assert_eq!(put.json()["id"], op);
    let nv = h
        .put(
            &format!("{SERVICE}/namedValues/nv1"),
            &json!({"properties": {"value": "x"}}),
        )
        .await;
    assert_eq!(
        nv.json()["type"],
        "Microsoft.ApiManagement/service/namedValues"
    );
    let list = h.get(&format!("{SERVICE}/apis/echo-api/operations")).await;
    assert_eq!(list.json()["count"], 1);
    assert_eq!(list.json()["value"][0]["name"], "get-op");
}

#[tokio::test]
async fn seeded_resources_are_served_and_written_ones_visible() {
    let h = Harness::new().await;
    let seeded = h
        .emulator
        .put_json(&backend("seeded"), json!({"url": "https://seed/"}))
        .expect("valid path");
    assert_eq!(seeded["name"], "seeded");
    assert_eq!(seeded["properties"]["url"], "https://seed/");
    let got = h.get(&backend("seeded")).await;
    assert_eq!(got.json(), seeded);
    assert!(got.header("etag").is_some());
    h.put_backend("written", "https://w/").await;
    assert_eq!(
        h.emulator.get_json(&backend("written")).unwrap()["properties"]["url"],
        "https://w/"
    );
    assert_eq!(h.emulator.get_json(&backend("absent")), None);
    assert_eq!(h.emulator.get_json("/not/an/arm/path"), None);
}

#[tokio::test]
async fn unsupported_methods_are_405() {
    let h = Harness::new().await;
    send(h.request(Method::POST, &backend("b1")))
        .await
        .arm_error(405, "MethodNotAllowed");
    send(h.request(Method::DELETE, &format!("{SERVICE}/backends")))
        .await
        .arm_error(405, "MethodNotAllowed");
}
