//! The API Management service resource as APIM fills it in: the read-only properties a
//! client never sends (gateway and portal URLs, addresses, creation time, states), and the
//! record a deleted service leaves under `locations/{location}/deletedservices/{name}`, which
//! keeps its name taken until it is restored or purged.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use crate::error::ArmError;
use crate::path::ArmPath;
use crate::rfc3339;
use crate::store::{Content, Identity, Key, Store, Stored};

/// How long APIM keeps a deleted service before purging it: 48 hours.
const SOFT_DELETE_SECONDS: u64 = 48 * 3600;

/// Whether `path` names a service itself (`.../service/{name}`).
pub(crate) fn is_service(path: &ArmPath) -> bool {
    path.in_service() && path.pairs.len() == 1 && path.tail.is_none()
}

/// The resources whose read-only properties the emulator fills in as APIM does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tracked {
    /// `.../service/{name}`
    Service,
    /// `.../gateways/{name}`, the top-level (workspace) gateway.
    Gateway,
    /// `.../gateways/{name}/configConnections/{name}`
    ConfigConnection,
}

pub(crate) fn tracked(path: &ArmPath) -> Option<Tracked> {
    if path.tail.is_some() || path.resource_group.is_none() {
        return None;
    }
    let kinds: Vec<&str> = path.pairs.iter().map(|(kind, _)| kind.as_str()).collect();
    match kinds.as_slice() {
        ["service"] => Some(Tracked::Service),
        ["gateways"] => Some(Tracked::Gateway),
        ["gateways", kind] if kind.eq_ignore_ascii_case("configConnections") => {
            Some(Tracked::ConfigConnection)
        }
        _ => None,
    }
}

/// `content` for the tracked resource at `path`, with what APIM fills in (see [`complete`]).
pub(crate) fn complete_tracked(
    tracked: Tracked,
    path: &ArmPath,
    content: Content,
    previous: Option<&Stored>,
    provisioning_state: &str,
    target_provisioning_state: &str,
) -> Content {
    let name = previous.map_or_else(
        || {
            path.pairs
                .last()
                .map(|(_, name)| name.clone())
                .unwrap_or_default()
        },
        |stored| stored.identity.name.clone(),
    );
    let states = (provisioning_state, target_provisioning_state);
    match tracked {
        Tracked::Service => with_system_data(
            complete(&name, content, previous, states.0, states.1),
            previous,
        ),
        Tracked::Gateway => {
            with_system_data(complete_gateway(&name, content, previous, states), previous)
        }
        Tracked::ConfigConnection => {
            let gateway = &path.pairs[0].1;
            complete_config_connection(&name, gateway, content, states.0)
        }
    }
}

/// Who made the emulator's writes, in ARM's `systemData`: the emulator has one caller.
const CALLER: &str = "emulator@apim.local";

/// ARM's `systemData` of a service or gateway (both descriptions have it): created when
/// first written and kept across updates, last modified now. Whatever a body sent is
/// replaced, as ARM does for this read-only field.
fn with_system_data(mut content: Content, previous: Option<&Stored>) -> Content {
    let now = Value::from(rfc3339::format(std::time::SystemTime::now()));
    let before = previous.and_then(|stored| stored.extra.get("systemData"));
    let kept = |field: &str, default: Value| {
        before
            .and_then(|data| data.get(field))
            .cloned()
            .unwrap_or(default)
    };
    let system_data = json!({
        "createdBy": kept("createdBy", CALLER.into()),
        "createdByType": kept("createdByType", "User".into()),
        "createdAt": kept("createdAt", now.clone()),
        "lastModifiedBy": CALLER,
        "lastModifiedByType": "User",
        "lastModifiedAt": now,
    });
    content.extra.insert("systemData".into(), system_data);
    content
}

/// A gateway (`ApiManagementGatewayResource`): its data-plane and configuration hostnames.
fn complete_gateway(
    name: &str,
    mut content: Content,
    previous: Option<&Stored>,
    (state, target): (&str, &str),
) -> Content {
    let region = region(&content);
    let created = previous
        .and_then(|stored| stored.properties.get("createdAtUtc").cloned())
        .unwrap_or_else(|| rfc3339::format(std::time::SystemTime::now()).into());
    let name = name.to_lowercase();
    fill(
        &mut content,
        json!({
            "createdAtUtc": created,
            "frontend": {"defaultHostname": format!("{name}.{region}.gateway.azure-api.net")},
            "configurationApi": {"hostname": format!("{name}.{region}.configuration.azure-api.net")},
            "virtualNetworkType": "None",
        }),
        state,
        Some(target),
    );
    content
        .extra
        .entry("sku")
        .or_insert_with(|| json!({"name": "Standard", "capacity": 1}));
    content
}

/// A gateway's config connection: its data-plane hostname.
fn complete_config_connection(
    name: &str,
    gateway: &str,
    mut content: Content,
    state: &str,
) -> Content {
    let host = format!(
        "{}.{}.gateway.azure-api.net",
        name.to_lowercase(),
        gateway.to_lowercase()
    );
    fill(
        &mut content,
        json!({"defaultHostname": host, "hostnames": [host]}),
        state,
        None,
    );
    content
}

/// Adds each of `defaults` that `content` lacks, and sets the provisioning states.
fn fill(content: &mut Content, defaults: Value, state: &str, target: Option<&str>) {
    if !content.properties.is_object() {
        content.properties = json!({});
    }
    if let (Value::Object(properties), Value::Object(defaults)) =
        (&mut content.properties, defaults)
    {
        for (field, value) in defaults {
            properties.entry(field).or_insert(value);
        }
        properties.insert("provisioningState".into(), state.into());
        if let Some(target) = target {
            properties.insert("targetProvisioningState".into(), target.into());
        }
    }
}

/// The location segment of `content`'s `location` (`westeurope` by default).
fn region(content: &Content) -> String {
    content
        .extra
        .get("location")
        .and_then(Value::as_str)
        .map_or_else(|| "westeurope".to_string(), location_segment)
}

/// `content` with every read-only property APIM sets on a service filled in where absent
/// (a seed may set them), `createdAtUtc` kept from `previous`, and the two provisioning
/// states given.
pub(crate) fn complete(
    name: &str,
    mut content: Content,
    previous: Option<&Stored>,
    provisioning_state: &str,
    target_provisioning_state: &str,
) -> Content {
    let created = previous
        .and_then(|stored| stored.properties.get("createdAtUtc").cloned())
        .unwrap_or_else(|| rfc3339::format(std::time::SystemTime::now()).into());
    let region = region(&content);
    let host = |suffix: &str| format!("{}.{suffix}", name.to_lowercase());
    let defaults = json!({
        "notificationSenderEmail": "apimgmt-noreply@mail.windowsazure.com",
        "createdAtUtc": created,
        "gatewayUrl": format!("https://{}", host("azure-api.net")),
        "gatewayRegionalUrl": format!("https://{}-{region}-01.regional.azure-api.net", name.to_lowercase()),
        "portalUrl": format!("https://{}", host("portal.azure-api.net")),
        "developerPortalUrl": format!("https://{}", host("developer.azure-api.net")),
        "managementApiUrl": format!("https://{}", host("management.azure-api.net")),
        "scmUrl": format!("https://{}", host("scm.azure-api.net")),
        "hostnameConfigurations": [{
            "type": "Proxy",
            "hostName": host("azure-api.net"),
            "negotiateClientCertificate": false,
            "defaultSslBinding": true,
            "certificateSource": "BuiltIn",
        }],
        "publicIPAddresses": [public_ip(name)],
        "virtualNetworkType": "None",
        "disableGateway": false,
        "natGatewayState": "Disabled",
        "apiVersionConstraint": {},
        "publicNetworkAccess": "Enabled",
        "platformVersion": "stv2",
        "developerPortalStatus": "Enabled",
        "legacyPortalStatus": "Enabled",
        "customProperties": {},
    });
    if let (Value::Object(properties), Value::Object(defaults)) =
        (&mut content.properties, defaults)
    {
        for (field, value) in defaults {
            properties.entry(field).or_insert(value);
        }
        properties.insert("provisioningState".into(), provisioning_state.into());
        properties.insert(
            "targetProvisioningState".into(),
            target_provisioning_state.into(),
        );
    }
    content
        .extra
        .entry("sku")
        .or_insert_with(|| json!({"name": "Developer", "capacity": 1}));
    // A service always has a location (ARM requires one at creation); a seed may omit it.
    content
        .extra
        .entry("location")
        .or_insert_with(|| "West Europe".into());
    content
}

/// A plausible, stable public address for a service: `20.x.y.z` from its name.
fn public_ip(name: &str) -> String {
    let hash = name
        .to_lowercase()
        .bytes()
        .fold(0x811c_9dc5_u32, |hash, byte| {
            (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
        });
    let [a, b, c, _] = hash.to_be_bytes();
    format!("20.{a}.{b}.{}", c.max(1))
}

/// `West Europe` -> `westeurope`, the spelling of a location in paths.
pub(crate) fn location_segment(location: &str) -> String {
    location
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The record a deleted service of `path`'s name left in `path`'s subscription, in any
/// location (service names are global: they are DNS names), until it is purged.
pub(crate) fn soft_deleted(store: &Store, path: &ArmPath) -> Option<Key> {
    let (_, name) = path.pairs.first()?;
    let subscription = path.subscription.to_lowercase();
    store.find(
        |collection| {
            matches!(collection, [s, group, locations, _, kind]
                if *s == subscription && group.is_empty() && locations == "locations"
                    && kind == "deletedservices")
        },
        name,
    )
}

/// 409 for a create under the name of a soft-deleted service, as APIM answers it: the
/// service must be restored (`properties.restore: true`) or purged first.
pub(crate) fn soft_deleted_conflict(path: &ArmPath) -> ArmError {
    let name = path.pairs.first().map_or("", |(_, name)| name.as_str());
    ArmError::new(
        StatusCode::CONFLICT,
        "ServiceAlreadyExistsInSoftDeletedState",
        format!(
            "Api service {name} was soft-deleted. In order to create the new service with the \
             same name, you have to either undelete the service (properties.restore = true) \
             or purge it."
        ),
    )
}

/// What deleting the service `stored` at `path` leaves: its key, identity and content as
/// `DeletedServices_GetByName` returns it.
pub(crate) fn tombstone(path: &ArmPath, stored: &Stored) -> Option<(Key, Identity, Content)> {
    let (_, name) = path.pairs.first()?;
    let location = stored
        .extra
        .get("location")
        .and_then(Value::as_str)
        .unwrap_or("West Europe")
        .to_string();
    let mut deleted = path.ancestor(0);
    deleted.resource_group = None;
    deleted.pairs = vec![
        ("locations".to_string(), location_segment(&location)),
        ("deletedservices".to_string(), name.clone()),
    ];
    let key = deleted.resource_key()?;
    let mut identity = deleted.identity()?;
    identity.name = stored.identity.name.clone();
    identity.kind = "Microsoft.ApiManagement/deletedservices".to_string();
    let now = std::time::SystemTime::now();
    let purge = now + std::time::Duration::from_secs(SOFT_DELETE_SECONDS);
    let mut extra = Map::new();
    extra.insert("location".into(), location.into());
    Some((
        key,
        identity,
        Content {
            properties: json!({
                "serviceId": stored.identity.id,
                "scheduledPurgeDate": rfc3339::format(purge),
                "deletionDate": rfc3339::format(now),
            }),
            extra,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_what_apim_sets_and_keeps_what_was_given() {
        let mut given =
            Content::properties(json!({"publisherName": "Contoso", "gatewayUrl": "https://x"}));
        given.extra.insert("location".into(), "West US 2".into());
        let content = complete("Svc1", given, None, "Succeeded", "");
        let properties = &content.properties;
        assert_eq!(properties["publisherName"], "Contoso");
        assert_eq!(properties["gatewayUrl"], "https://x");
        assert_eq!(properties["portalUrl"], "https://svc1.portal.azure-api.net");
        assert_eq!(
            properties["gatewayRegionalUrl"],
            "https://svc1-westus2-01.regional.azure-api.net"
        );
        assert_eq!(properties["provisioningState"], "Succeeded");
        assert_eq!(properties["targetProvisioningState"], "");
        assert!(
            properties["publicIPAddresses"][0]
                .as_str()
                .unwrap()
                .starts_with("20.")
        );
        assert_eq!(content.extra["sku"]["name"], "Developer");
    }
}
