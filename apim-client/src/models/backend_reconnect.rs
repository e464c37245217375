use std::time::Duration;

use super::wire::wire_struct;
use serde::{Deserialize, Serialize};

/// The body of `Backend_Reconnect` (`BackendReconnectContract`): when the gateway should
/// open a new connection to the backend.
///
/// On the wire: `{"properties":{"after":"PT2M"}}`. The service uses 2 minutes when `after`
/// is absent, and documents PT2M as the minimum; shorter values are sent as given (the
/// service's own example sends `PT3S` and is accepted) and the gateway applies its minimum.
/// A duration the service cannot represent (finer than 100 ns, longer than about 29,000
/// years) is refused before sending.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "Contract", from = "Contract")]
pub struct BackendReconnectRequest {
    /// The delay before the gateway reconnects; `None` lets the service choose (2 minutes).
    pub after: Option<Duration>,
}

impl BackendReconnectRequest {
    /// Reconnect after `after`.
    pub fn after(after: Duration) -> Self {
        BackendReconnectRequest { after: Some(after) }
    }
}

/// The wire shape: the ARM resource envelope with the settings under `properties`.
struct Contract {
    properties: Properties,
}

#[derive(Default)]
struct Properties {
    after: Option<Duration>,
}

impl From<BackendReconnectRequest> for Contract {
    fn from(request: BackendReconnectRequest) -> Self {
        Contract {
            properties: Properties {
                after: request.after,
            },
        }
    }
}

impl From<Contract> for BackendReconnectRequest {
    fn from(contract: Contract) -> Self {
        BackendReconnectRequest {
            after: contract.properties.after,
        }
    }
}

// Read with the lenient rules of `models/wire.rs`, as the generated models are.
wire_struct!(Contract { properties: or_default "properties" });
wire_struct!(Properties { after: optional "after" });

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wire_shape() {
        let body =
            serde_json::to_value(BackendReconnectRequest::after(Duration::from_secs(120))).unwrap();
        assert_eq!(body, json!({"properties": {"after": "PT2M"}}));
        let body = serde_json::to_value(BackendReconnectRequest::default()).unwrap();
        assert_eq!(body, json!({"properties": {}}));
    }

    #[test]
    fn reads_the_official_example() {
        let example = json!({"properties": {"after": "PT3S"}});
        let request: BackendReconnectRequest = serde_json::from_value(example).unwrap();
        assert_eq!(request.after, Some(Duration::from_secs(3)));
        let request: BackendReconnectRequest = serde_json::from_value(json!({})).unwrap();
        assert_eq!(request.after, None);
    }

    #[test]
    fn unrepresentable_durations_fail_to_serialize() {
        let err = serde_json::to_vec(&BackendReconnectRequest::after(Duration::from_nanos(1)))
            .unwrap_err();
        assert!(err.to_string().contains("100 ns"), "{err}");
    }
}
