//! The SKU lists: fixed data, as APIM's catalogue is, in each list's model.

use serde_json::{Value, json};

/// APIM's tiers: name, maximum capacity, scale type.
const TIERS: &[(&str, u32, &str)] = &[
    ("Developer", 1, "none"),
    ("Basic", 2, "manual"),
    ("Standard", 4, "automatic"),
    ("Premium", 12, "automatic"),
    ("Consumption", 0, "none"),
    ("BasicV2", 10, "automatic"),
    ("StandardV2", 10, "automatic"),
    ("PremiumV2", 30, "automatic"),
];

/// The regions listed for each tier.
const LOCATIONS: &[&str] = &["West Europe", "North Europe", "East US", "West US 2"];

fn capacity(maximum: u32, scale_type: &str) -> Value {
    json!({"minimum": maximum.min(1), "maximum": maximum, "default": maximum.min(1), "scaleType": scale_type})
}

/// `ApiManagementServiceSkus_ListAvailableServiceSkus`: `ResourceSkuResults`.
pub(super) fn service_skus() -> Value {
    let value: Vec<Value> = TIERS
        .iter()
        .filter(|(name, ..)| *name != "Consumption")
        .map(|(name, maximum, scale)| {
            json!({
                "resourceType": "Microsoft.ApiManagement/service",
                "sku": {"name": name},
                "capacity": capacity(*maximum, scale),
            })
        })
        .collect();
    json!({ "value": value })
}

/// `ApiManagementGatewaySkus_ListAvailableSkus`: `GatewayResourceSkuResults`.
pub(super) fn gateway_skus() -> Value {
    json!({"value": [
        {"resourceType": "Microsoft.ApiManagement/gateways", "sku": {"name": "Standard"},
         "capacity": capacity(4, "automatic")},
        {"resourceType": "Microsoft.ApiManagement/gateways", "sku": {"name": "WorkspaceGatewayPremium"},
         "capacity": capacity(12, "automatic")},
    ]})
}

/// `ApiManagementSkus_List`: `ApiManagementSkusResult`, one entry per tier.
pub(super) fn subscription_skus() -> Value {
    let value: Vec<Value> = TIERS
        .iter()
        .map(|(name, maximum, scale)| {
            json!({
                "resourceType": "service",
                "name": name,
                "tier": name,
                "capacity": capacity(*maximum, scale),
                "locations": LOCATIONS,
                "locationInfo": LOCATIONS.iter().map(|location| json!({"location": location, "zones": [], "zoneDetails": []})).collect::<Vec<_>>(),
                "apiVersions": ["2024-05-01"],
                "costs": [],
                "capabilities": [],
                "restrictions": [],
            })
        })
        .collect();
    json!({ "value": value })
}
