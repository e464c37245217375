//! Hand-checked wire shapes of a few generated models, one per rule that matters on the
//! wire: the `properties` envelope, an enum, a duration, and a secret hidden from `Debug`.
//! The generated round-trip tests only prove that reading and writing agree; these prove
//! that the shape is the service's.

use std::time::Duration;

use serde_json::json;

use super::*;

#[test]
fn settings_sit_under_properties_and_the_envelope_is_read_only() {
    let mut properties = NamedValueCreateContractProperties::new("backend-url");
    properties.value = Some("https://example.com".into());
    let body = NamedValueCreateContract {
        properties: Some(properties),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        json!({"properties": {"displayName": "backend-url", "value": "https://example.com"}})
    );

    let read: NamedValueCreateContract = serde_json::from_value(json!({
        "id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.ApiManagement/service/a/namedValues/n",
        "name": "n",
        "type": "Microsoft.ApiManagement/service/namedValues",
        "properties": {"displayName": "backend-url"}
    }))
    .unwrap();
    assert_eq!(
        read.resource_type.as_deref(),
        Some("Microsoft.ApiManagement/service/namedValues")
    );
    assert_eq!(read.properties.unwrap().display_name, "backend-url");
}

#[test]
fn enums_write_their_wire_value_and_keep_unknown_ones() {
    assert_eq!(
        serde_json::to_value(SubscriptionState::Active).unwrap(),
        json!("active")
    );
    let state: SubscriptionState = serde_json::from_value(json!("paused")).unwrap();
    assert_eq!(state, SubscriptionState::Other("paused".into()));
}

#[test]
fn durations_are_iso_8601_on_the_wire() {
    let mut request = GatewayListDebugCredentialsContract::new(
        vec![GatewayListDebugCredentialsContractPurpose::Tracing],
        "/apis/echo",
    );
    request.credentials_expire_after = Some(Duration::from_secs(3600));
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({"credentialsExpireAfter": "PT1H", "purposes": ["tracing"], "apiId": "/apis/echo"})
    );
    let read: GatewayListDebugCredentialsContract = serde_json::from_value(
        json!({"credentialsExpireAfter": "PT30M", "purposes": [], "apiId": "a"}),
    )
    .unwrap();
    assert_eq!(
        read.credentials_expire_after,
        Some(Duration::from_secs(1800))
    );
}

#[test]
fn debug_hides_secrets_but_serialization_keeps_them() {
    let keys: SubscriptionKeysContract = serde_json::from_value(
        json!({"primaryKey": "primary-secret", "secondaryKey": "secondary-secret"}),
    )
    .unwrap();
    let text = format!("{keys:?} {keys:#?}");
    assert!(!text.contains("secret"), "{text}");
    assert!(text.contains("primary_key: Some(<redacted>)"), "{text}");
    assert_eq!(
        serde_json::to_value(&keys).unwrap(),
        json!({"primaryKey": "primary-secret", "secondaryKey": "secondary-secret"})
    );
    assert!(format!("{:?}", SubscriptionKeysContract::default()).contains("primary_key: None"));
}
