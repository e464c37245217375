//! Property: whatever a server sends as a model or a page, decoding gives a value or an
//! error, never a panic. Bounded case counts, so it runs in CI in seconds.

use apim_client::Page;
use apim_client::models::{BackendContract, BackendReconnectRequest, BackendUpdateParameters};
use proptest::prelude::*;
use serde_json::{Value, json};

/// Arbitrary JSON, biased towards the backend model's own field names.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("properties"),
        Just("url"),
        Just("protocol"),
        Just("type"),
        Just("pool"),
        Just("services"),
        Just("circuitBreaker"),
        Just("rules"),
        Just("tripDuration"),
        Just("interval"),
        Just("credentials"),
        Just("header"),
        Just("proxy"),
        Just("tls"),
        Just("value"),
        Just("nextLink"),
        Just("count"),
        Just("after"),
        Just("name"),
        Just("id"),
        Just("weight"),
        Just("priority"),
    ]
    .prop_map(str::to_owned);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        "[a-zA-Z0-9:/.]{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("PT1M"),
            Just("P1Y"),
            Just("PT99999999999999H"),
            Just("-PT1S"),
            Just("http"),
            Just("Pool")
        ]
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(5, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn decode_everything(bytes: &[u8]) {
    let _ = serde_json::from_slice::<BackendContract>(bytes);
    let _ = serde_json::from_slice::<BackendUpdateParameters>(bytes);
    let _ = serde_json::from_slice::<BackendReconnectRequest>(bytes);
    let _ = serde_json::from_slice::<Page<BackendContract>>(bytes);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn structured_json_decodes_or_errors(value in json_value()) {
        let bytes = serde_json::to_vec(&value).unwrap();
        decode_everything(&bytes);
        // Whatever decodes also encodes again.
        if let Ok(contract) = serde_json::from_slice::<BackendContract>(&bytes) {
            prop_assert!(serde_json::to_vec(&contract).is_ok());
        }
    }

    #[test]
    fn truncated_and_random_bytes_decode_or_error(value in json_value(), cut in any::<prop::sample::Index>(), noise in prop::collection::vec(any::<u8>(), 0..64)) {
        let bytes = serde_json::to_vec(&value).unwrap();
        decode_everything(&bytes[..cut.index(bytes.len() + 1)]);
        decode_everything(&noise);
    }
}
