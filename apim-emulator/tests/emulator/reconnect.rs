//! `POST .../backends/{id}/reconnect`.

use apim_emulator::Reconnect;
use reqwest::Method;
use serde_json::json;

use crate::common::{Harness, backend, json_body, send};

fn reconnect_path(id: &str) -> String {
    format!("{}/reconnect", backend(id))
}

#[tokio::test]
async fn accepted_with_after_is_202_and_recorded() {
    let h = Harness::new().await;
    h.put_backend("proxybackend", "https://a/").await;
    let resp = send(json_body(
        h.request(Method::POST, &reconnect_path("proxybackend")),
        &json!({"properties": {"after": "PT3S"}}),
    ))
    .await;
    assert_eq!(resp.status, 202, "{resp:?}");
    assert!(resp.body.is_empty());
    assert_eq!(
        h.emulator.reconnects(),
        [Reconnect {
            subscription_id: "00000000-0000-0000-0000-000000000000".into(),
            resource_group: "rg1".into(),
            service_name: "apimService1".into(),
            backend_id: "proxybackend".into(),
            after: Some("PT3S".into()),
            request_id: resp.header("x-ms-request-id").unwrap().into(),
        }]
    );
}

#[tokio::test]
async fn body_is_optional() {
    let h = Harness::new().await;
    h.put_backend("b1", "https://a/").await;
    assert_eq!(
        send(h.request(Method::POST, &reconnect_path("b1")))
            .await
            .status,
        202
    );
    assert_eq!(
        send(json_body(
            h.request(Method::POST, &reconnect_path("b1")),
            &json!({})
        ))
        .await
        .status,
        202
    );
    assert_eq!(
        send(json_body(
            h.request(Method::POST, &reconnect_path("b1")),
            &json!({"properties": {}})
        ))
        .await
        .status,
        202
    );
    let afters: Vec<_> = h
        .emulator
        .reconnects()
        .into_iter()
        .map(|r| r.after)
        .collect();
    assert_eq!(afters, [None, None, None]);
}

#[tokio::test]
async fn every_documented_duration_form_is_accepted_as_sent() {
    let h = Harness::new().await;
    h.put_backend("b1", "https://a/").await;
    let forms = ["PT2M", "PT1H30M", "P1D", "PT0.5S", "P1DT2H3M4.25S"];
    for after in forms {
        let resp = send(json_body(
            h.request(Method::POST, &reconnect_path("b1")),
            &json!({"properties": {"after": after}}),
        ))
        .await;
        assert_eq!(resp.status, 202, "{after}: {resp:?}");
    }
    let recorded: Vec<_> = h
        .emulator
        .reconnects()
        .into_iter()
        .filter_map(|r| r.after)
        .collect();
    assert_eq!(recorded, forms);
}

#[tokio::test]
async fn missing_backend_is_404() {
    let h = Harness::new().await;
    let resp = send(json_body(
        h.request(Method::POST, &reconnect_path("nope")),
        &json!({"properties": {"after": "PT2M"}}),
    ))
    .await;
    resp.arm_error(404, "ResourceNotFound");
    assert!(h.emulator.reconnects().is_empty());
}

#[tokio::test]
async fn bad_after_is_400_validation_error() {
    let h = Harness::new().await;
    h.put_backend("b1", "https://a/").await;
    for after in [
        json!("2 minutes"),
        json!("PT"),
        json!("P1H"),
        json!("-PT2M"),
        json!(""),
        json!(120),
    ] {
        let resp = send(json_body(
            h.request(Method::POST, &reconnect_path("b1")),
            &json!({"properties": {"after": after}}),
        ))
        .await;
        let error = resp.arm_error(400, "ValidationError");
        assert_eq!(error["target"], "after", "{after}");
    }
    assert!(h.emulator.reconnects().is_empty());
}

#[tokio::test]
async fn malformed_json_is_400() {
    let h = Harness::new().await;
    h.put_backend("b1", "https://a/").await;
    let resp = send(
        h.request(Method::POST, &reconnect_path("b1"))
            .header("content-type", "application/json")
            .body("{\"properties\":"),
    )
    .await;
    resp.arm_error(400, "InvalidRequestContent");
    assert!(h.emulator.reconnects().is_empty());
}

#[tokio::test]
async fn reconnect_on_other_resource_types_is_not_found() {
    let h = Harness::new().await;
    h.put_backend("b1", "https://a/").await;
    let path = reconnect_path("b1").replace("/backends/", "/apis/");
    send(h.request(Method::POST, &path))
        .await
        .arm_error(404, "InvalidResourceType");
}

#[tokio::test]
async fn named_value_list_value_returns_the_value() {
    let h = Harness::new().await;
    let named_value = format!("{}/namedValues/nv1", crate::common::SERVICE);
    // Seeded rather than PUT: a named value's PUT is long-running, so it would exist only
    // after polls (see `lro.rs`).
    h.emulator
        .put_json(
            &named_value,
            json!({"displayName": "nv1", "value": "s3cret", "secret": true}),
        )
        .expect("a valid resource path");
    let resp = send(h.request(Method::POST, &format!("{named_value}/listValue"))).await;
    assert_eq!(resp.status, 200, "{resp:?}");
    assert_eq!(resp.json(), json!({"value": "s3cret"}));
    let missing = send(h.request(
        Method::POST,
        &format!("{}/namedValues/none/listValue", crate::common::SERVICE),
    ))
    .await;
    missing.arm_error(404, "ResourceNotFound");
    let other = send(h.request(Method::POST, &format!("{named_value}/reconnect"))).await;
    other.arm_error(404, "InvalidResourceType");
}
