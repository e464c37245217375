//! Documented actions with consistent data (subscription and gateway keys), and how
//! undocumented ones are refused.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Harness, SERVICE, json_body, send};

impl Harness {
    async fn post_action(&self, path: &str) -> crate::common::Resp {
        send(self.request(Method::POST, path)).await
    }

    async fn secrets(&self, path: &str) -> Value {
        let resp = self.post_action(path).await;
        assert_eq!(resp.status, 200, "{resp:?}");
        resp.json()
    }
}

#[tokio::test]
async fn list_secrets_returns_the_keys_a_subscription_was_created_with() {
    let h = Harness::new().await;
    let sub = format!("{SERVICE}/subscriptions/s1");
    let body = json!({"properties": {"scope": "/apis", "displayName": "s1",
                                     "primaryKey": "pk-1", "secondaryKey": "sk-1"}});
    assert_eq!(h.put(&sub, &body).await.status, 201);
    let secrets = h.secrets(&format!("{sub}/listSecrets")).await;
    assert_eq!(
        secrets,
        json!({"primaryKey": "pk-1", "secondaryKey": "sk-1"})
    );

    // A replacing PUT without keys keeps them.
    let replace = json!({"properties": {"scope": "/apis", "displayName": "again"}});
    assert_eq!(h.put(&sub, &replace).await.status, 200);
    assert_eq!(h.secrets(&format!("{sub}/listSecrets")).await, secrets);
}

#[tokio::test]
async fn regenerating_a_key_replaces_only_that_key() {
    let h = Harness::new().await;
    h.seed(&[format!("{SERVICE}/workspaces/w1")]);
    let sub = format!("{SERVICE}/workspaces/w1/subscriptions/s1");
    let body = json!({"properties": {"scope": "/apis", "displayName": "s1"}});
    assert_eq!(h.put(&sub, &body).await.status, 201);
    let before = h.secrets(&format!("{sub}/listSecrets")).await;
    let generated = before["primaryKey"].as_str().expect("a generated key");
    assert_eq!(generated.len(), 32);
    assert_ne!(before["primaryKey"], before["secondaryKey"]);

    let resp = h.post_action(&format!("{sub}/regeneratePrimaryKey")).await;
    assert_eq!(resp.status, 204, "{resp:?}");
    let after = h.secrets(&format!("{sub}/listSecrets")).await;
    assert_ne!(after["primaryKey"], before["primaryKey"]);
    assert_eq!(after["secondaryKey"], before["secondaryKey"]);

    let resp = h
        .post_action(&format!("{sub}/regenerateSecondaryKey"))
        .await;
    assert_eq!(resp.status, 204, "{resp:?}");
    let last = h.secrets(&format!("{sub}/listSecrets")).await;
    assert_eq!(last["primaryKey"], after["primaryKey"]);
    assert_ne!(last["secondaryKey"], after["secondaryKey"]);

    h.post_action(&format!("{SERVICE}/subscriptions/none/listSecrets"))
        .await
        .arm_error(404, "ResourceNotFound");
}

#[tokio::test]
async fn gateway_keys_are_listed_and_regenerated() {
    let h = Harness::new().await;
    let gateway = format!("{SERVICE}/gateways/g1");
    let body = json!({"properties": {"locationData": {"name": "here"}}});
    assert_eq!(h.put(&gateway, &body).await.status, 201);
    let keys = h.secrets(&format!("{gateway}/listKeys")).await;
    assert!(
        keys["primary"].is_string() && keys["secondary"].is_string(),
        "{keys}"
    );

    let regenerate = |key_type: &str| {
        json_body(
            h.request(Method::POST, &format!("{gateway}/regenerateKey")),
            &json!({ "keyType": key_type }),
        )
    };
    assert_eq!(send(regenerate("secondary")).await.status, 204);
    let after = h.secrets(&format!("{gateway}/listKeys")).await;
    assert_eq!(after["primary"], keys["primary"]);
    assert_ne!(after["secondary"], keys["secondary"]);
    send(regenerate("tertiary"))
        .await
        .arm_error(400, "ValidationError");
}

#[tokio::test]
async fn unknown_actions_are_404() {
    let h = Harness::new().await;
    h.put_backend("b1", "https://a/").await;
    let error = h
        .post_action(&format!("{SERVICE}/backends/b1/explode"))
        .await
        .arm_error(404, "InvalidResourceType");
    assert_eq!(
        error["message"],
        "The resource type 'service/backends/explode' could not be found in the namespace \
         'Microsoft.ApiManagement' for api version '2024-05-01'."
    );
    // A documented action on a resource that does not exist.
    h.post_action(&format!("{SERVICE}/users/u1/generateSsoUrl"))
        .await
        .arm_error(404, "ResourceNotFound");
}

/// A replacing PUT without keys keeps the keys it replaces; a key regenerated while it is
/// handled is one of them. Reading the old keys and writing are one step, so in whatever
/// order the two land, the regenerated key survives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_regenerated_during_a_replacing_put_is_kept() {
    const ROUNDS: usize = 200;
    let h = Harness::new().await;
    let sub = format!("{SERVICE}/subscriptions/s1");
    let body = json!({"properties": {"scope": "/apis", "displayName": "s1"}});
    assert_eq!(h.put(&sub, &body).await.status, 201);
    let (list, regenerate) = (
        format!("{sub}/listSecrets"),
        format!("{sub}/regeneratePrimaryKey"),
    );
    let mut lost = 0;
    for _ in 0..ROUNDS {
        let before = h.secrets(&list).await;
        let (put, regenerated) = tokio::join!(h.put(&sub, &body), h.post_action(&regenerate));
        assert_eq!((put.status, regenerated.status), (200, 204));
        let after = h.secrets(&list).await;
        if after["primaryKey"] == before["primaryKey"] {
            lost += 1;
        }
        assert_eq!(after["secondaryKey"], before["secondaryKey"]);
    }
    assert_eq!(lost, 0, "{lost} of {ROUNDS} regenerated keys were lost");
}
