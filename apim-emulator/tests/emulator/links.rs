//! PUTs the description gives no body (links such as a product's API, a tag on an API, a
//! group's user, notifications), and the other first-answer codes it fixes.

use reqwest::Method;
use serde_json::json;

use crate::common::{Harness, SERVICE, send};

impl Harness {
    async fn put_without_body(&self, path: &str) -> crate::common::Resp {
        send(self.request(Method::PUT, path)).await
    }
}

#[tokio::test]
async fn a_product_api_link_is_created_without_a_body_and_copies_the_api() {
    let h = Harness::new().await;
    h.emulator
        .put_json(
            &format!("{SERVICE}/apis/a1"),
            json!({"displayName": "A1", "path": "a1"}),
        )
        .expect("valid path");
    h.seed(&[format!("{SERVICE}/products/p1")]);
    let link = format!("{SERVICE}/products/p1/apis/a1");
    let created = h.put_without_body(&link).await;
    assert_eq!(created.status, 201, "{created:?}");
    assert_eq!(created.json()["properties"]["displayName"], "A1");
    assert_eq!(created.json()["name"], "a1");
    assert_eq!(h.put_without_body(&link).await.status, 200);
    // Whatever is sent is ignored, as the operation has no body parameter.
    let with_junk = send(h.request(Method::PUT, &link).body("not json")).await;
    assert_eq!(with_junk.status, 200, "{with_junk:?}");

    let listed = h.get(&format!("{SERVICE}/products/p1/apis")).await.json();
    assert_eq!(listed["value"][0]["properties"]["path"], "a1");
    // The description's existence check answers 204.
    let exists = send(h.request(Method::HEAD, &link)).await;
    assert_eq!(exists.status, 204, "{exists:?}");
}

#[tokio::test]
async fn tag_group_user_and_workspace_links_need_no_body() {
    let h = Harness::new().await;
    // The parents must exist; the linked resources need not.
    h.seed(&[
        format!("{SERVICE}/apis/a1/operations/o1"),
        format!("{SERVICE}/products/p1"),
        format!("{SERVICE}/groups/g1"),
        format!("{SERVICE}/workspaces/w1/groups/g1"),
    ]);
    for link in [
        format!("{SERVICE}/apis/a1/tags/t1"),
        format!("{SERVICE}/apis/a1/operations/o1/tags/t1"),
        format!("{SERVICE}/products/p1/tags/t1"),
        format!("{SERVICE}/products/p1/groups/g1"),
        format!("{SERVICE}/groups/g1/users/u1"),
        format!(
            "{SERVICE}/notifications/RequestPublisherNotificationMessage/recipientEmails/a@b.c"
        ),
        format!("{SERVICE}/notifications/RequestPublisherNotificationMessage/recipientUsers/u1"),
        format!("{SERVICE}/workspaces/w1/groups/g1/users/u1"),
    ] {
        let created = h.put_without_body(&link).await;
        assert_eq!(created.status, 201, "{link}: {created:?}");
        assert_eq!(created.json()["properties"], json!({}), "{link}");
    }
}

#[tokio::test]
async fn a_notification_put_is_200_even_when_it_creates() {
    let h = Harness::new().await;
    h.seed(&[format!("{SERVICE}/workspaces/w1")]);
    for path in [
        format!("{SERVICE}/notifications/BCC"),
        format!("{SERVICE}/workspaces/w1/notifications/BCC"),
    ] {
        assert_eq!(h.put_without_body(&path).await.status, 200, "{path}");
        assert_eq!(h.put_without_body(&path).await.status, 200, "{path}");
    }
}

#[tokio::test]
async fn a_required_body_is_still_required() {
    let h = Harness::new().await;
    h.seed(&[format!("{SERVICE}/gateways/g1")]);
    h.put_without_body(&format!("{SERVICE}/products/p1"))
        .await
        .arm_error(400, "InvalidRequestContent");
    // An optional body may be left out.
    let gateway_api = h
        .put_without_body(&format!("{SERVICE}/gateways/g1/apis/a1"))
        .await;
    assert_eq!(gateway_api.status, 201, "{gateway_api:?}");
}

#[tokio::test]
async fn settings_updates_answer_204_as_described() {
    let h = Harness::new().await;
    let signin = format!("{SERVICE}/portalsettings/signin");
    let created = h
        .put(&signin, &json!({"properties": {"enabled": true}}))
        .await;
    // `SignInSettings_CreateOrUpdate` has only 200.
    assert_eq!(created.status, 200, "{created:?}");
    let updated = send(
        h.request(Method::PATCH, &signin)
            .header("content-type", "application/json")
            .header("if-match", "*")
            .body(r#"{"properties": {"enabled": false}}"#),
    )
    .await;
    assert_eq!(updated.status, 204, "{updated:?}");
    assert!(updated.body.is_empty());
    assert_eq!(h.get(&signin).await.json()["properties"]["enabled"], false);
}
