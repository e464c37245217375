//! Secrets leave the emulator only through the description's secret actions, never in a
//! GET, list, PUT or PATCH answer; certificates are read from the uploaded data.

use base64::Engine as _;
use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Harness, SERVICE, json_body, send};

/// The self-signed test certificate in `tests/fixtures` (`cert.cer`, and with its key in
/// `cert.pfx` (PBES2/AES) and `cert-3des.pfx` (legacy 3DES), password `Passw0rd!`).
const SUBJECT: &str = "CN=emulator-test-cert, O=Contoso, C=US";
const THUMBPRINT: &str = "FD58B1FE6C5A499DEBECA04E43380CDE3700FA03";
const EXPIRY: &str = "2036-11-30T15:56:49Z";
const PASSWORD: &str = "Passw0rd!";

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

async fn post(h: &Harness, path: &str) -> Value {
    let answer = send(json_body(h.request(Method::POST, path), &json!({}))).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    answer.json()
}

/// PUTs `body` and, if the create is long-running, polls it to the end (a few polls).
async fn create(h: &Harness, path: &str, body: &Value) -> crate::common::Resp {
    let created = h.put(path, body).await;
    assert!(matches!(created.status, 200 | 201), "{created:?}");
    if let Some(status) = created.header("azure-asyncoperation") {
        let status = status.to_string();
        for _ in 0..10 {
            let poll = send(h.http.get(&status).bearer_auth(h.emulator.token())).await;
            if poll.json()["status"] != "InProgress" {
                break;
            }
        }
    }
    created
}

/// Asserts none of `fields` is in the properties of `body` (a resource or a list of them).
fn withheld(body: &Value, fields: &[&str]) {
    let items = match body.get("value").and_then(Value::as_array) {
        Some(items) => items.clone(),
        None => vec![body.clone()],
    };
    assert!(!items.is_empty(), "{body}");
    for item in items {
        for field in fields {
            assert!(
                item["properties"].get(*field).is_none(),
                "{field} shown in {item}"
            );
        }
    }
}

#[tokio::test]
async fn subscription_keys_only_from_list_secrets() {
    let h = Harness::new().await;
    let path = format!("{SERVICE}/subscriptions/sub1");
    let created = h
        .put(
            &path,
            &json!({"properties": {"scope": "/apis", "displayName": "one", "primaryKey": "pk-sent"}}),
        )
        .await;
    assert_eq!(created.status, 201, "{created:?}");
    withheld(&created.json(), &["primaryKey", "secondaryKey"]);
    withheld(&h.get(&path).await.json(), &["primaryKey", "secondaryKey"]);
    withheld(
        &h.get(&format!("{SERVICE}/subscriptions")).await.json(),
        &["primaryKey", "secondaryKey"],
    );
    let patched = send(json_body(
        h.request(Method::PATCH, &path).header("if-match", "*"),
        &json!({"properties": {"displayName": "two"}}),
    ))
    .await;
    withheld(&patched.json(), &["primaryKey", "secondaryKey"]);

    let secrets = post(&h, &format!("{path}/listSecrets")).await;
    assert_eq!(secrets["primaryKey"], "pk-sent");
    assert!(
        secrets["secondaryKey"]
            .as_str()
            .is_some_and(|k| k.len() >= 32)
    );
}

#[tokio::test]
async fn client_secrets_and_secret_values_only_from_their_actions() {
    let h = Harness::new().await;
    let cases = [
        (
            "identityProviders/aad",
            json!({"clientId": "c", "clientSecret": "idp-secret", "allowedTenants": ["t"]}),
            "listSecrets",
            "clientSecret",
            "idp-secret",
        ),
        (
            "openidConnectProviders/oidc",
            json!({"displayName": "o", "metadataEndpoint": "https://o.invalid", "clientId": "c", "clientSecret": "oidc-secret"}),
            "listSecrets",
            "clientSecret",
            "oidc-secret",
        ),
        (
            "authorizationServers/as1",
            json!({"displayName": "a", "clientRegistrationEndpoint": "https://a.invalid", "authorizationEndpoint": "https://a.invalid/auth",
                   "grantTypes": ["authorizationCode"], "clientId": "c", "clientSecret": "as-secret",
                   "resourceOwnerUsername": "un", "resourceOwnerPassword": "pwd"}),
            "listSecrets",
            "clientSecret",
            "as-secret",
        ),
        (
            "namedValues/nv1",
            json!({"displayName": "nv1", "value": "nv-secret", "secret": true}),
            "listValue",
            "value",
            "nv-secret",
        ),
    ];
    for (relative, properties, action, field, secret) in cases {
        let path = format!("{SERVICE}/{relative}");
        let created = create(&h, &path, &json!({ "properties": properties })).await;
        let hidden: &[&str] = if relative.starts_with("authorizationServers") {
            &[
                "clientSecret",
                "resourceOwnerUsername",
                "resourceOwnerPassword",
            ]
        } else {
            &[field]
        };
        withheld(&created.json(), hidden);
        withheld(&h.get(&path).await.json(), hidden);
        let collection = path.rsplit_once('/').map(|(c, _)| c).unwrap_or_default();
        let listed = h.get(collection).await.json();
        assert!(
            listed["value"].as_array().is_some_and(|v| !v.is_empty()),
            "{relative}: {listed} {created:?}"
        );
        withheld(&listed, hidden);
        let secrets = post(&h, &format!("{path}/{action}")).await;
        assert_eq!(secrets[field], secret, "{relative}");
        assert!(
            !h.emulator
                .get_json(&path)
                .unwrap()
                .to_string()
                .contains(secret),
            "the handle reads as GET does"
        );
    }
    // A named value that is not secret shows its value, as APIM does.
    let plain = format!("{SERVICE}/namedValues/plain");
    create(
        &h,
        &plain,
        &json!({"properties": {"displayName": "plain", "value": "shown"}}),
    )
    .await;
    assert_eq!(h.get(&plain).await.json()["properties"]["value"], "shown");
}

#[tokio::test]
async fn gateway_keys_tenant_keys_and_delegation_key_only_from_their_actions() {
    let h = Harness::default().await;
    let gateway = format!("{SERVICE}/gateways/gw1");
    let created = h
        .put(
            &gateway,
            &json!({"properties": {"locationData": {"name": "here"}}}),
        )
        .await;
    assert_eq!(created.status, 201, "{created:?}");
    withheld(&created.json(), &["primaryKey", "secondaryKey"]);
    withheld(
        &h.get(&gateway).await.json(),
        &["primaryKey", "secondaryKey"],
    );
    let keys = post(&h, &format!("{gateway}/listKeys")).await;
    assert!(
        keys["primary"].as_str().is_some_and(|k| !k.is_empty()),
        "{keys}"
    );

    let access = format!("{SERVICE}/tenant/access");
    withheld(
        &h.get(&access).await.json(),
        &["primaryKey", "secondaryKey"],
    );
    let secrets = post(&h, &format!("{access}/listSecrets")).await;
    assert!(
        secrets["primaryKey"]
            .as_str()
            .is_some_and(|k| !k.is_empty()),
        "{secrets}"
    );

    let delegation = format!("{SERVICE}/portalsettings/delegation");
    let put = h
        .put(
            &delegation,
            &json!({"properties": {"url": "https://d.invalid", "validationKey": "ZGVsZWdhdGlvbg==", "subscriptions": {"enabled": true}}}),
        )
        .await;
    assert!(matches!(put.status, 200 | 201), "{put:?}");
    withheld(&h.get(&delegation).await.json(), &["validationKey"]);
    let secrets = post(&h, &format!("{delegation}/listSecrets")).await;
    assert_eq!(secrets["validationKey"], "ZGVsZWdhdGlvbg==");
}

#[tokio::test]
async fn certificates_are_read_from_the_pfx_or_cer_uploaded() {
    let h = Harness::new().await;
    let uploads = [
        ("cer", json!({"data": fixture("cert.cer")})),
        (
            "pfx",
            json!({"data": fixture("cert.pfx"), "password": PASSWORD}),
        ),
        (
            "pfx3des",
            json!({"data": fixture("cert-3des.pfx"), "password": PASSWORD}),
        ),
    ];
    for (name, properties) in uploads {
        let path = format!("{SERVICE}/certificates/{name}");
        let created = h.put(&path, &json!({ "properties": properties })).await;
        assert_eq!(created.status, 201, "{name}: {created:?}");
        for answer in [created.json(), h.get(&path).await.json()] {
            assert_eq!(
                answer["properties"],
                json!({"subject": SUBJECT, "thumbprint": THUMBPRINT, "expirationDate": EXPIRY}),
                "{name}: only what was read, never the data or password"
            );
        }
    }
    let listed = h.get(&format!("{SERVICE}/certificates")).await.json();
    assert_eq!(
        listed["value"].as_array().map(Vec::len),
        Some(3),
        "{listed}"
    );
    withheld(&listed, &["data", "password"]);
}

#[tokio::test]
async fn a_wrong_password_or_bad_data_is_a_400_and_stores_nothing() {
    let h = Harness::new().await;
    let cases = [
        (
            json!({"data": fixture("cert.pfx"), "password": "wrong"}),
            "password",
        ),
        (json!({"data": fixture("cert.pfx")}), "data"),
        (json!({"data": "not base64!"}), "data"),
        (
            json!({"data": base64::engine::general_purpose::STANDARD.encode(b"hello"), "password": "x"}),
            "data",
        ),
        (json!({"data": 42}), "data"),
    ];
    for (properties, target) in cases {
        let path = format!("{SERVICE}/certificates/bad");
        let answer = h.put(&path, &json!({ "properties": properties })).await;
        let error = answer.arm_error(400, "ValidationError");
        assert_eq!(error["target"], target, "{error}");
        assert_eq!(h.get(&path).await.status, 404);
    }
    // Seeding reads a certificate the same way.
    assert!(
        h.emulator
            .put_json(
                &format!("{SERVICE}/certificates/seeded"),
                json!({"data": fixture("cert.pfx"), "password": "wrong"})
            )
            .is_err()
    );
    let seeded = h
        .emulator
        .put_json(
            &format!("{SERVICE}/workspaces/w1/certificates/seeded"),
            json!({"data": fixture("cert.cer")}),
        )
        .expect("a CER seeds");
    assert_eq!(seeded["properties"]["thumbprint"], THUMBPRINT);
}
