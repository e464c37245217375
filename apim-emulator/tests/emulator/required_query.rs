//! Query parameters the description marks required (beyond `api-version`): a request that
//! leaves them out answers 400 naming the parameter, as ARM does.

use reqwest::Method;
use serde_json::json;

use crate::common::{Harness, Resp, SERVICE, send};

impl Harness {
    async fn get_with(&self, path: &str, query: &str) -> Resp {
        send(
            self.http
                .request(Method::GET, self.url(path, query))
                .bearer_auth(self.emulator.token()),
        )
        .await
    }
}

#[tokio::test]
async fn reports_need_their_filter_and_interval() {
    let h = Harness::new().await;
    let by_api = format!("{SERVICE}/reports/byApi");
    let error = h.get(&by_api).await.arm_error(400, "ValidationError");
    assert_eq!(error["target"], "$filter");
    let listed = h
        .get_with(
            &by_api,
            "$filter=timestamp%20ge%20datetime'2024-01-01T00:00:00'",
        )
        .await;
    assert_eq!(listed.status, 200, "{listed:?}");
    assert_eq!(listed.json()["value"], json!([]));

    let by_time = format!("{SERVICE}/reports/byTime");
    let error = h
        .get_with(
            &by_time,
            "$filter=timestamp%20ge%20datetime'2024-01-01T00:00:00'",
        )
        .await
        .arm_error(400, "ValidationError");
    assert_eq!(error["target"], "interval");
    let error = h.get(&by_time).await.arm_error(400, "ValidationError");
    assert_eq!(error["target"], "$filter");
    assert_eq!(
        error["message"],
        "The query parameters '$filter' and 'interval' are required for this request."
    );
}

#[tokio::test]
async fn an_export_needs_its_format() {
    let h = Harness::new().await;
    let api = format!("{SERVICE}/apis/echo");
    h.emulator
        .put_json(&api, json!({"displayName": "Echo", "path": "echo"}))
        .expect("valid path");
    // Without `export` it is the API's own GET.
    assert_eq!(h.get(&api).await.json()["name"], "echo");
    let error = h
        .get_with(&api, "export=true")
        .await
        .arm_error(400, "ValidationError");
    assert_eq!(error["target"], "format");
    h.get_with(&api, "format=pdf&export=true")
        .await
        .arm_error(400, "ValidationError");

    let exported = h.get_with(&api, "format=openapi-link&export=true").await;
    assert_eq!(exported.status, 200, "{exported:?}");
    let exported = exported.json();
    assert_eq!(exported["id"], api);
    assert_eq!(exported["format"], "openapi-link");
    assert!(
        exported["value"]["link"]
            .as_str()
            .is_some_and(|link| link.starts_with("https://") && link.contains("/echo.yaml?")),
        "{exported}"
    );
    h.get_with(
        &format!("{SERVICE}/apis/none"),
        "format=openapi-link&export=true",
    )
    .await
    .arm_error(404, "ResourceNotFound");
    // api-version is still required first.
    let no_version = send(
        h.http
            .get(format!(
                "{}{api}?format=openapi-link&export=true",
                h.emulator.endpoint()
            ))
            .bearer_auth(h.emulator.token()),
    )
    .await;
    no_version.arm_error(400, "MissingApiVersionParameter");
}
