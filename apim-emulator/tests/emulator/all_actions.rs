//! Every one of the description's 47 actions answers with its documented code and shape,
//! and the data agrees with the store (secrets as stored, keys that change when
//! regenerated, references found in stored policies, names taken by stored services).

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Harness, Resp, SERVICE, json_body, send};
use crate::service::SUBSCRIPTION;

impl Harness {
    async fn act(&self, suffix: &str, body: Option<Value>) -> Resp {
        let request = self.request(Method::POST, &format!("{SERVICE}{suffix}"));
        send(match body {
            Some(body) => json_body(request, &body),
            None => request,
        })
        .await
    }

    /// A long-running action: 202, then its result.
    async fn act_long(&self, suffix: &str, body: Option<Value>) -> Value {
        let first = self.act(suffix, body).await;
        assert_eq!(first.status, 202, "{suffix}: {first:?}");
        let done = self.run_to_end(&first).await;
        assert_eq!(done.status, 200, "{suffix}: {done:?}");
        done.json()
    }

    fn seed_with(&self, suffix: &str, properties: Value) {
        self.emulator
            .put_json(&format!("{SERVICE}{suffix}"), properties)
            .expect("a valid path");
    }
}

/// Seeds what the actions act on.
async fn harness() -> Harness {
    let h = Harness::new().await;
    for (suffix, properties) in [
        (
            "/authorizationProviders/p1/authorizations/a1",
            json!({"authorizationType": "OAuth2"}),
        ),
        (
            "/authorizationServers/as1",
            json!({"clientSecret": "as-secret", "resourceOwnerUsername": "ro", "resourceOwnerPassword": "rp"}),
        ),
        (
            "/identityProviders/aad",
            json!({"clientId": "id", "clientSecret": "idp-secret"}),
        ),
        (
            "/openidConnectProviders/o1",
            json!({"clientId": "id", "clientSecret": "oidc-secret"}),
        ),
        (
            "/certificates/c1",
            json!({"keyVault": {"secretIdentifier": "https://kv/secrets/c"}}),
        ),
        ("/workspaces/w1/certificates/c1", json!({"subject": "CN=c"})),
        (
            "/namedValues/nv",
            json!({"displayName": "nv", "value": "v1"}),
        ),
        (
            "/workspaces/w1/namedValues/nv",
            json!({"displayName": "nv", "value": "w1"}),
        ),
        ("/policyFragments/f1", json!({"value": "<fragment />"})),
        (
            "/workspaces/w1/policyFragments/f1",
            json!({"value": "<fragment />"}),
        ),
        ("/users/u1", json!({"email": "u@example.com"})),
        (
            "/backends/b1",
            json!({"url": "https://b", "protocol": "http"}),
        ),
    ] {
        h.seed_with(suffix, properties);
    }
    for suffix in [
        "/gateways/g1",
        "/subscriptions/s1",
        "/workspaces/w1/subscriptions/s1",
    ] {
        let body = json!({"properties": {"scope": "/apis", "displayName": "x",
                                         "locationData": {"name": "here"}}});
        let created = h.put(&format!("{SERVICE}{suffix}"), &body).await;
        assert_eq!(created.status, 201, "{suffix}: {created:?}");
    }
    h
}

fn expiry() -> Value {
    json!("2030-01-02T03:04:05Z")
}

#[tokio::test]
async fn every_documented_action_answers() {
    let h = harness().await;
    // (suffix under the service, body, status, a field the answer has)
    let table: Vec<(&str, Option<Value>, u16, Option<&str>)> = vec![
        ("/backends/b1/reconnect", None, 202, None),
        ("/namedValues/nv/listValue", None, 200, Some("value")),
        (
            "/workspaces/w1/namedValues/nv/listValue",
            None,
            200,
            Some("value"),
        ),
        (
            "/subscriptions/s1/listSecrets",
            None,
            200,
            Some("primaryKey"),
        ),
        (
            "/workspaces/w1/subscriptions/s1/listSecrets",
            None,
            200,
            Some("secondaryKey"),
        ),
        ("/subscriptions/s1/regeneratePrimaryKey", None, 204, None),
        ("/subscriptions/s1/regenerateSecondaryKey", None, 204, None),
        (
            "/workspaces/w1/subscriptions/s1/regeneratePrimaryKey",
            None,
            204,
            None,
        ),
        (
            "/workspaces/w1/subscriptions/s1/regenerateSecondaryKey",
            None,
            204,
            None,
        ),
        ("/gateways/g1/listKeys", None, 200, Some("primary")),
        (
            "/gateways/g1/regenerateKey",
            Some(json!({"keyType": "primary"})),
            204,
            None,
        ),
        (
            "/gateways/g1/generateToken",
            Some(json!({"keyType": "primary", "expiry": expiry()})),
            200,
            Some("value"),
        ),
        (
            "/gateways/g1/listDebugCredentials",
            Some(json!({"apiId": format!("{SERVICE}/apis/a"), "purposes": ["tracing"]})),
            200,
            Some("token"),
        ),
        ("/gateways/g1/invalidateDebugCredentials", None, 204, None),
        (
            "/gateways/g1/listTrace",
            Some(json!({"traceId": "t1"})),
            200,
            Some("traceId"),
        ),
        ("/tenant/access/listSecrets", None, 200, Some("primaryKey")),
        ("/tenant/access/regeneratePrimaryKey", None, 204, None),
        ("/tenant/access/regenerateSecondaryKey", None, 204, None),
        (
            "/tenant/gitAccess/git/regeneratePrimaryKey",
            None,
            204,
            None,
        ),
        (
            "/tenant/gitAccess/git/regenerateSecondaryKey",
            None,
            204,
            None,
        ),
        (
            "/authorizationServers/as1/listSecrets",
            None,
            200,
            Some("clientSecret"),
        ),
        (
            "/identityProviders/aad/listSecrets",
            None,
            200,
            Some("clientSecret"),
        ),
        (
            "/openidConnectProviders/o1/listSecrets",
            None,
            200,
            Some("clientSecret"),
        ),
        (
            "/portalsettings/delegation/listSecrets",
            None,
            200,
            Some("validationKey"),
        ),
        (
            "/certificates/c1/refreshSecret",
            None,
            200,
            Some("properties"),
        ),
        (
            "/workspaces/w1/certificates/c1/refreshSecret",
            None,
            200,
            Some("properties"),
        ),
        (
            "/policyFragments/f1/listReferences",
            None,
            200,
            Some("value"),
        ),
        (
            "/workspaces/w1/policyFragments/f1/listReferences",
            None,
            200,
            Some("value"),
        ),
        ("/getssotoken", None, 200, Some("redirectUri")),
        ("/users/u1/generateSsoUrl", None, 200, Some("value")),
        (
            "/users/u1/token",
            Some(json!({"properties": {"keyType": "primary", "expiry": expiry()}})),
            200,
            Some("value"),
        ),
        ("/users/u1/confirmations/password/send", None, 204, None),
        (
            "/authorizationProviders/p1/authorizations/a1/getLoginLinks",
            Some(json!({"postLoginRedirectUrl": "https://app/"})),
            200,
            Some("loginLink"),
        ),
        (
            "/authorizationProviders/p1/authorizations/a1/confirmConsentCode",
            Some(json!({"consentCode": "code"})),
            200,
            None,
        ),
    ];
    for (suffix, body, status, field) in table {
        let resp = h.act(suffix, body).await;
        assert_eq!(resp.status, status, "{suffix}: {resp:?}");
        if let Some(field) = field {
            assert!(!resp.json()[field].is_null(), "{suffix}: {}", resp.json());
        }
    }

    // The long-running ones: 202, then their result.
    let service = h
        .act_long(
            "/backup",
            Some(json!({"storageAccount": "a", "containerName": "c", "backupName": "b"})),
        )
        .await;
    assert_eq!(service["name"], "apimService1");
    let service = h
        .act_long(
            "/restore",
            Some(json!({"storageAccount": "a", "containerName": "c", "backupName": "b"})),
        )
        .await;
    assert_eq!(service["name"], "apimService1");
    let service = h.act_long("/applynetworkconfigurationupdates", None).await;
    assert_eq!(service["type"], "Microsoft.ApiManagement/service");
    let service = h
        .act_long("/migrateToStv2", Some(json!({"mode": "PreserveIp"})))
        .await;
    assert_eq!(service["properties"]["platformVersion"], "stv2");
    assert_eq!(
        h.act_long("/namedValues/nv/refreshSecret", None).await["name"],
        "nv"
    );
    assert_eq!(
        h.act_long("/workspaces/w1/namedValues/nv/refreshSecret", None)
            .await["name"],
        "nv"
    );
    let check = h
        .act_long(
            "/connectivityCheck",
            Some(json!({"source": {"region": "West Europe"},
                        "destination": {"address": "https://example.com", "port": 443}})),
        )
        .await;
    assert_eq!(check["connectionStatus"], "Connected");
    assert_eq!(check["hops"][1]["address"], "https://example.com");
    let validated = h.act_long("/validatePolicies", None).await;
    assert_eq!(validated["properties"]["status"], "Succeeded");
    for action in ["deploy", "save", "validate"] {
        let result = h
            .act_long(
                &format!("/tenant/configuration/{action}"),
                Some(json!({"properties": {"branch": "main"}})),
            )
            .await;
        assert_eq!(result["properties"]["status"], "Succeeded", "{action}");
        assert!(
            result["properties"]["resultInfo"]
                .as_str()
                .is_some_and(|info| info.contains("'main'")),
            "{action}: {result}"
        );
    }

    // The two at the subscription level.
    let check = send(json_body(
        h.request(
            Method::POST,
            &format!("{SUBSCRIPTION}/providers/Microsoft.ApiManagement/checkNameAvailability"),
        ),
        &json!({"name": "apimService1", "type": "Microsoft.ApiManagement/service"}),
    ))
    .await;
    assert_eq!(check.status, 200, "{check:?}");
    assert_eq!(check.json()["reason"], "AlreadyExists");
    let identifier = send(h.request(
        Method::POST,
        &format!("{SUBSCRIPTION}/providers/Microsoft.ApiManagement/getDomainOwnershipIdentifier"),
    ))
    .await;
    assert_eq!(identifier.status, 200, "{identifier:?}");
    assert!(identifier.json()["domainOwnershipIdentifier"].is_string());
}

#[tokio::test]
async fn secrets_are_those_stored_and_regenerated_keys_change() {
    let h = harness().await;
    let secrets = h
        .act("/authorizationServers/as1/listSecrets", None)
        .await
        .json();
    assert_eq!(
        secrets,
        json!({"clientSecret": "as-secret", "resourceOwnerUsername": "ro", "resourceOwnerPassword": "rp"})
    );
    assert_eq!(
        h.act("/identityProviders/aad/listSecrets", None)
            .await
            .json(),
        json!({"clientSecret": "idp-secret"})
    );
    assert_eq!(
        h.act("/openidConnectProviders/o1/listSecrets", None)
            .await
            .json(),
        json!({"clientSecret": "oidc-secret"})
    );
    assert_eq!(
        h.act("/workspaces/w1/namedValues/nv/listValue", None)
            .await
            .json(),
        json!({"value": "w1"})
    );

    // Tenant access exists on every service; its keys stay until regenerated.
    let before = h.act("/tenant/access/listSecrets", None).await.json();
    assert_eq!(before["id"], "access");
    assert_eq!(
        h.act("/tenant/access/listSecrets", None).await.json(),
        before
    );
    assert_eq!(
        h.act("/tenant/access/regenerateSecondaryKey", None)
            .await
            .status,
        204
    );
    let after = h.act("/tenant/access/listSecrets", None).await.json();
    assert_eq!(after["primaryKey"], before["primaryKey"]);
    assert_ne!(after["secondaryKey"], before["secondaryKey"]);
    let git = h.act("/tenant/gitAccess/listSecrets", None).await.json();
    assert_eq!(
        h.act("/tenant/gitAccess/git/regeneratePrimaryKey", None)
            .await
            .status,
        204
    );
    let git_after = h.act("/tenant/gitAccess/listSecrets", None).await.json();
    assert_ne!(git_after["primaryKey"], git["primaryKey"]);
    assert_eq!(git_after["secondaryKey"], git["secondaryKey"]);

    // The delegation validation key is the stored one, or a fixed one per service.
    let first = h
        .act("/portalsettings/delegation/listSecrets", None)
        .await
        .json();
    assert_eq!(
        h.act("/portalsettings/delegation/listSecrets", None)
            .await
            .json(),
        first
    );
    h.seed_with(
        "/portalsettings/delegation",
        json!({"validationKey": "vk=="}),
    );
    assert_eq!(
        h.act("/portalsettings/delegation/listSecrets", None)
            .await
            .json(),
        json!({"validationKey": "vk=="})
    );
}

#[tokio::test]
async fn fragment_references_are_the_policies_that_include_it() {
    let h = harness().await;
    let including =
        r#"<policies><inbound><include-fragment fragment-id="f1" /></inbound></policies>"#;
    h.seed_with(
        "/apis/a/policies/policy",
        json!({"value": including, "format": "xml"}),
    );
    h.seed_with(
        "/products/p/policies/policy",
        json!({"value": "<policies />"}),
    );
    h.seed_with("/policies/policy", json!({"value": including}));
    let references = h
        .act("/policyFragments/f1/listReferences", None)
        .await
        .json();
    let ids: Vec<&str> = references["value"]
        .as_array()
        .expect("value[]")
        .iter()
        .map(|item| item["id"].as_str().expect("an id"))
        .collect();
    assert_eq!(
        ids,
        [
            format!("{SERVICE}/apis/a/policies/policy"),
            format!("{SERVICE}/policies/policy")
        ]
    );
    assert_eq!(references["count"], 2);
    // The workspace's fragment is referenced by nothing.
    let none = h
        .act("/workspaces/w1/policyFragments/f1/listReferences", None)
        .await
        .json();
    assert_eq!(none["value"], json!([]));
}

#[tokio::test]
async fn tokens_and_urls_have_apims_shapes() {
    let h = harness().await;
    let token = h
        .act(
            "/users/u1/token",
            Some(json!({"properties": {"keyType": "primary", "expiry": expiry()}})),
        )
        .await
        .json();
    let value = token["value"].as_str().expect("a token");
    assert!(value.starts_with("u1&203001020304&"), "{value}");
    let gateway = h
        .act(
            "/gateways/g1/generateToken",
            Some(json!({"keyType": "secondary", "expiry": expiry()})),
        )
        .await
        .json();
    assert!(
        gateway["value"]
            .as_str()
            .is_some_and(|v| v.starts_with("GatewayKey g1&203001020304&")),
        "{gateway}"
    );
    let sso = h.act("/users/u1/generateSsoUrl", None).await.json();
    assert!(
        sso["value"].as_str().is_some_and(|v| v
            .starts_with("https://apimservice1.developer.azure-api.net/signin-sso?token=u1%26")),
        "{sso}"
    );
    let redirect = h.act("/getssotoken", None).await.json();
    assert!(
        redirect["redirectUri"]
            .as_str()
            .is_some_and(|v| v
                .starts_with("https://apimservice1.portal.azure-api.net:443/signin-sso?token=")),
        "{redirect}"
    );
    // Missing or wrong token parameters are 400.
    h.act(
        "/users/u1/token",
        Some(json!({"properties": {"keyType": "primary"}})),
    )
    .await
    .arm_error(400, "ValidationError");
    h.act(
        "/gateways/g1/generateToken",
        Some(json!({"keyType": "tertiary", "expiry": expiry()})),
    )
    .await
    .arm_error(400, "ValidationError");
    h.act(
        "/tenant/configuration/deploy",
        Some(json!({"properties": {}})),
    )
    .await
    .arm_error(400, "ValidationError");
    h.act(
        "/connectivityCheck",
        Some(json!({"source": {"region": "x"}})),
    )
    .await
    .arm_error(400, "ValidationError");

    // Consent: the authorization is connected.
    h.act(
        "/authorizationProviders/p1/authorizations/a1/confirmConsentCode",
        Some(json!({"consentCode": "c"})),
    )
    .await;
    let authorization = h
        .get(&format!(
            "{SERVICE}/authorizationProviders/p1/authorizations/a1"
        ))
        .await;
    assert_eq!(authorization.json()["properties"]["status"], "Connected");
}

#[tokio::test]
async fn name_availability_follows_the_stored_services() {
    let h = Harness::new().await;
    let check = |name: &'static str| {
        send(json_body(
            h.request(
                Method::POST,
                &format!("{SUBSCRIPTION}/providers/Microsoft.ApiManagement/checkNameAvailability"),
            ),
            &json!({ "name": name, "type": "Microsoft.ApiManagement/service" }),
        ))
    };
    let taken = check("APIMSERVICE1").await.json();
    assert_eq!(
        taken,
        json!({"nameAvailable": false, "reason": "AlreadyExists", "message": "APIMSERVICE1 is already in use."})
    );
    let free = check("fresh-name").await.json();
    assert_eq!(
        free,
        json!({"nameAvailable": true, "reason": "Valid", "message": ""})
    );
    let invalid = check("1-bad").await.json();
    assert_eq!(invalid["nameAvailable"], false);
    assert_eq!(invalid["reason"], "Invalid");
}
