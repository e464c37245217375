//! A default emulator's service, and a service created in it, have what APIM creates in a
//! new instance; an emulator started empty has none of it.

use apim_emulator::{DEFAULT_SERVICE_PATH, Emulator, EmulatorOptions};
use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Harness, SERVICE, bounded, send};

/// The names of a list's items.
async fn names(h: &Harness, path: &str) -> Vec<String> {
    let list = h.get(path).await;
    assert_eq!(list.status, 200, "{list:?}");
    let body = list.json();
    body["value"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|item| item["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn property<'a>(body: &'a Value, name: &str) -> &'a Value {
    &body["properties"][name]
}

#[tokio::test]
async fn the_default_service_is_a_new_instance() {
    let h = Harness::default().await;
    assert_eq!(SERVICE, DEFAULT_SERVICE_PATH);
    let service = h.get(SERVICE).await.json();
    assert_eq!(property(&service, "provisioningState"), "Succeeded");
    assert_eq!(property(&service, "publisherEmail"), "admin@contoso.com");

    let groups = h.get(&format!("{SERVICE}/groups")).await.json();
    let groups = groups["value"].as_array().unwrap();
    let summary: Vec<(&str, &Value, &Value)> = groups
        .iter()
        .map(|g| {
            let name = g["name"].as_str().unwrap();
            (name, property(g, "builtIn"), property(g, "type"))
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("administrators", &json!(true), &json!("system")),
            ("developers", &json!(true), &json!("system")),
            ("guests", &json!(true), &json!("system")),
        ]
    );

    let admin = h.get(&format!("{SERVICE}/users/1")).await.json();
    assert_eq!(property(&admin, "firstName"), "Administrator");
    assert_eq!(property(&admin, "email"), "admin@contoso.com");
    assert_eq!(property(&admin, "state"), "active");
    assert_eq!(
        names(&h, &format!("{SERVICE}/groups/administrators/users")).await,
        ["1"]
    );

    assert_eq!(
        names(&h, &format!("{SERVICE}/products")).await,
        ["starter", "unlimited"]
    );
    let starter = h.get(&format!("{SERVICE}/products/starter")).await.json();
    assert_eq!(property(&starter, "state"), "published");
    assert_eq!(property(&starter, "subscriptionsLimit"), 1);
    for product in ["starter", "unlimited"] {
        let apis = names(&h, &format!("{SERVICE}/products/{product}/apis")).await;
        assert_eq!(apis, ["echo-api"]);
        let groups = names(&h, &format!("{SERVICE}/products/{product}/groups")).await;
        assert_eq!(groups, ["administrators", "developers", "guests"]);
    }
    let starter_policy = h
        .get(&format!("{SERVICE}/products/starter/policies/policy"))
        .await
        .json();
    assert!(
        property(&starter_policy, "value")
            .as_str()
            .unwrap()
            .contains("<rate-limit calls=\"5\"")
    );

    assert_eq!(names(&h, &format!("{SERVICE}/apis")).await, ["echo-api"]);
    let operations = names(&h, &format!("{SERVICE}/apis/echo-api/operations")).await;
    assert_eq!(operations.len(), 6, "{operations:?}");
    assert!(operations.contains(&"retrieve-resource".to_string()));

    let subscriptions = names(&h, &format!("{SERVICE}/subscriptions")).await;
    assert_eq!(subscriptions.len(), 3, "{subscriptions:?}");
    assert!(subscriptions.contains(&"master".to_string()));
    let keys = h
        .post(&format!("{SERVICE}/subscriptions/master/listSecrets"), None)
        .await;
    assert_eq!(keys.status, 200, "{keys:?}");
    assert!(
        keys.json()["primaryKey"]
            .as_str()
            .is_some_and(|k| k.len() == 32)
    );

    let policy = h.get(&format!("{SERVICE}/policies/policy")).await.json();
    assert!(
        property(&policy, "value")
            .as_str()
            .unwrap()
            .contains("<forward-request />")
    );

    let templates = h.get(&format!("{SERVICE}/templates")).await.json();
    let templates = templates["value"].as_array().unwrap();
    assert_eq!(templates.len(), 14);
    assert!(templates.iter().all(|t| property(t, "isDefault") == true));

    let notifications = h.get(&format!("{SERVICE}/notifications")).await.json();
    let notifications = notifications["value"].as_array().unwrap();
    assert_eq!(notifications.len(), 7);
    let new_issue = notifications
        .iter()
        .find(|n| n["name"] == "NewIssuePublisherNotificationMessage")
        .unwrap();
    assert_eq!(
        property(new_issue, "recipients"),
        &json!({"emails": [], "users": [format!("{SERVICE}/users/1")]})
    );

    for (setting, field, value) in [
        ("signin", "enabled", json!(false)),
        ("signup", "enabled", json!(true)),
        ("delegation", "subscriptions", json!({"enabled": false})),
    ] {
        let read = h.get(&format!("{SERVICE}/portalsettings/{setting}")).await;
        assert_eq!(read.status, 200, "{setting}: {read:?}");
        assert_eq!(property(&read.json(), field), &value, "{setting}");
    }
}

#[tokio::test]
async fn a_template_delete_puts_the_default_back_and_a_product_delete_is_for_good() {
    let h = Harness::default().await;
    let template = format!("{SERVICE}/templates/NewIssueNotificationMessage");
    let original = h.get(&template).await.json();
    let changed = h
        .put(
            &template,
            &json!({"properties": {"subject": "We got it", "body": "<p>Thanks</p>"}}),
        )
        .await;
    assert_eq!(changed.status, 200, "{changed:?}");
    assert_eq!(
        property(&h.get(&template).await.json(), "subject"),
        "We got it"
    );

    let reset = send(h.request(Method::DELETE, &template).header("if-match", "*")).await;
    assert_eq!(reset.status, 200, "{reset:?}");
    let read = h.get(&template).await.json();
    assert_eq!(property(&read, "subject"), property(&original, "subject"));
    assert_eq!(property(&read, "isDefault"), true);

    let starter = format!("{SERVICE}/products/starter");
    let deleted = send(h.request(Method::DELETE, &starter).header("if-match", "*")).await;
    assert_eq!(deleted.status, 200, "{deleted:?}");
    h.get(&starter).await.arm_error(404, "ResourceNotFound");
    // Later requests do not bring it back.
    h.get(&format!("{SERVICE}/apis")).await;
    h.get(&starter).await.arm_error(404, "ResourceNotFound");
}

#[tokio::test]
async fn a_service_created_by_a_request_gets_the_built_ins_unless_started_empty() {
    let other = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg2/providers/Microsoft.ApiManagement/service/fresh";
    let h = Harness::default().await;
    let created = h.create_service(other).await;
    assert_eq!(
        property(&created, "publisherEmail"),
        "admin@contoso.example"
    );
    let admin = h.get(&format!("{other}/users/1")).await.json();
    assert_eq!(property(&admin, "email"), "admin@contoso.example");
    assert_eq!(
        names(&h, &format!("{other}/groups")).await,
        ["administrators", "developers", "guests"]
    );

    let empty = Harness::bare().await;
    empty.get(SERVICE).await.arm_error(404, "ResourceNotFound");
    empty.create_service(other).await;
    assert!(names(&empty, &format!("{other}/groups")).await.is_empty());
    assert!(names(&empty, &format!("{other}/apis")).await.is_empty());
    // What no request can create is there all the same.
    let access = empty.get(&format!("{other}/tenant/access")).await;
    assert_eq!(access.status, 200, "{access:?}");
}

#[tokio::test]
async fn seeding_from_a_document_creates_each_resource() {
    let emulator = bounded(Emulator::start_with(EmulatorOptions {
        default_service: false,
        ..EmulatorOptions::default()
    }))
    .await
    .unwrap();
    let seeded = emulator
        .seed(&json!({
            format!("{SERVICE}/backends/b1"): {"url": "https://b1.example", "protocol": "http"},
            format!("{SERVICE}/namedValues/nv"): {"displayName": "nv", "value": "v"},
        }))
        .unwrap();
    assert_eq!(seeded, 2);
    let array = json!([{"path": format!("{SERVICE}/backends/b2"), "properties": {"url": "https://b2.example", "protocol": "http"}}]);
    assert_eq!(emulator.seed(&array).unwrap(), 1);
    assert!(
        emulator
            .get_json(&format!("{SERVICE}/backends/b2"))
            .is_some()
    );
    // The service the seed created as a parent has its built-ins.
    assert!(
        emulator
            .get_json(&format!("{SERVICE}/groups/guests"))
            .is_some()
    );
    // A whole body keeps its top-level fields; id, name, type and etag are the emulator's.
    let whole = json!([{"path": SERVICE, "resource": {
        "id": "/elsewhere", "location": "West US", "tags": {"team": "a"},
        "identity": {"type": "SystemAssigned"}, "properties": {"publisherName": "Contoso"}}}]);
    assert_eq!(emulator.seed(&whole).unwrap(), 1);
    let service = emulator.get_json(SERVICE).unwrap();
    assert_eq!(service["tags"], json!({"team": "a"}), "{service}");
    assert_eq!(service["location"], "West US", "{service}");
    assert_eq!(service["identity"]["type"], "SystemAssigned", "{service}");
    assert_ne!(service["id"], "/elsewhere", "{service}");
    assert_eq!(
        service["properties"]["publisherName"], "Contoso",
        "{service}"
    );
    assert!(emulator.seed(&json!([{"path": 1}])).is_err());
    assert!(
        emulator
            .seed(&json!([{"path": SERVICE, "properties": {}, "resource": {}}]))
            .is_err()
    );
    assert!(emulator.seed(&json!("nothing")).is_err());
}
