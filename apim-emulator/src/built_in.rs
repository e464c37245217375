//! What APIM creates with every service.
//!
//! Two kinds:
//!
//! - Resources the API can read and replace but neither create from nothing nor delete:
//!   the tenant's access settings (`tenant/access`, `tenant/gitAccess`; their "create"
//!   requires `If-Match`), the developer portal's configuration (`portalconfigs/default`)
//!   and the tenant settings (`settings/public`, read-only). They appear, with APIM's
//!   defaults, the first time a request reaches a service that exists ([`ensure`]); one
//!   deleted by hand comes back the same way. Every service has them, even in an emulator
//!   started empty.
//! - The content of a new instance ([`populate`], from `built_in/defaults.json`): the
//!   system groups (`administrators`, `developers`, `guests`), the administrator (user `1`,
//!   with the publisher's e-mail, in `administrators`), the `starter` and `unlimited`
//!   products (with the Echo API and the three groups, Starter's rate-limit and quota
//!   policy), the Echo API (`echo-api`) with its six operations, the built-in all-access
//!   subscription (`master`) and the administrator's subscriptions to both products, the
//!   global policy, the 14 email templates, the 7 notifications (the administrator a
//!   recipient of three) and the portal's sign-in, sign-up and delegation settings. Stored
//!   once, when the service is created (unless the emulator was started without
//!   built-ins): deleting a product or the Echo API deletes it for good, as in APIM. An
//!   email template's DELETE puts its default back ([`default_properties`]).

use serde_json::{Value, json};

use std::sync::OnceLock;

use crate::ids;
use crate::path::ArmPath;
use crate::rfc3339;
use crate::store::{Content, Key, Store, Stored};

/// `(collection type, name, default properties)` under `service/{name}`. Tenant access has
/// its two keys from the start, as `listSecrets` reads them.
fn built_in() -> [(&'static str, &'static str, Value); 4] {
    [
        (
            "tenant",
            "access",
            json!({"enabled": false, "principalId": "integration",
                   "primaryKey": ids::secret(64), "secondaryKey": ids::secret(64)}),
        ),
        (
            "tenant",
            "gitAccess",
            json!({"enabled": false, "principalId": "git",
                   "primaryKey": ids::secret(64), "secondaryKey": ids::secret(64)}),
        ),
        ("portalconfigs", "default", json!({"enableBasicAuth": true})),
        (
            "settings",
            "public",
            json!({"settings": {"CustomPortalSettings.DelegationEnabled": "False"}}),
        ),
    ]
}

/// Stores the built-in resources of the service `path` is under, where missing.
pub(crate) fn ensure(store: &mut Store, path: &ArmPath) {
    let Some(service) = path.pairs.first() else {
        return;
    };
    let service_path = |pairs: Vec<(String, String)>| ArmPath {
        subscription: path.subscription.clone(),
        resource_group: path.resource_group.clone(),
        pairs,
        tail: None,
    };
    let exists = |store: &Store, path: &ArmPath| {
        path.resource_key()
            .is_some_and(|key: Key| store.get(&key).is_some())
    };
    if !exists(store, &service_path(vec![service.clone()])) {
        return;
    }
    for (kind, name, properties) in built_in() {
        let resource = service_path(vec![service.clone(), (kind.into(), name.into())]);
        if exists(store, &resource) {
            continue;
        }
        if let (Some(key), Some(identity)) = (resource.resource_key(), resource.identity()) {
            let _ = store.put(&key, &[], identity, Content::properties(properties), None);
        }
    }
}

/// `built_in/defaults.json`: `(path relative to the service, properties)` in creation
/// order (parents first), with `{serviceId}`-style placeholders. Checked in as data so it
/// reads like APIM's answers; a unit test proves it parses, so the fallback to nothing
/// never happens in a release.
fn defaults() -> &'static [(String, Value)] {
    static DEFAULTS: OnceLock<Vec<(String, Value)>> = OnceLock::new();
    DEFAULTS.get_or_init(|| {
        let parsed: Value =
            serde_json::from_str(include_str!("built_in/defaults.json")).unwrap_or_default();
        parsed["resources"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|entry| {
                let path = entry.get("path")?.as_str()?.to_string();
                Some((path, entry.get("properties")?.clone()))
            })
            .collect()
    })
}

/// The values the placeholders of the defaults take for one service.
struct Fill {
    service_id: String,
    publisher_email: String,
    now: String,
    subscriptions: [String; 2],
}

impl Fill {
    fn new(service: &Stored) -> Fill {
        let service_id = service.identity.id.clone();
        let publisher_email = service
            .properties
            .get("publisherEmail")
            .and_then(Value::as_str)
            .unwrap_or("admin@contoso.com")
            .to_string();
        // APIM names these by 24 hex digits; stable per service, so a test can list them.
        let hex = |product: &str| {
            let seed = format!("{}/{product}", service_id.to_lowercase());
            ids::stable_hex(&seed, 24)
        };
        Fill {
            now: rfc3339::format(std::time::SystemTime::now()),
            subscriptions: [hex("starter"), hex("unlimited")],
            service_id,
            publisher_email,
        }
    }

    fn text(&self, text: &str) -> String {
        text.replace("{serviceId}", &self.service_id)
            .replace("{publisherEmail}", &self.publisher_email)
            .replace("{now}", &self.now)
            .replace("{starterSubscription}", &self.subscriptions[0])
            .replace("{unlimitedSubscription}", &self.subscriptions[1])
    }

    fn value(&self, value: &Value) -> Value {
        match value {
            Value::String(text) => Value::String(self.text(text)),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.value(v)).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(name, v)| (name.clone(), self.value(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

/// Whether `key` is a service's (`[subscription, group, "service"]`).
pub(crate) fn is_service_key(key: &Key) -> bool {
    matches!(key.collection.as_slice(), [_, group, kind] if !group.is_empty() && kind == "service")
}

/// Stores the content of a new instance under the service `service`, just created.
pub(crate) fn populate(store: &mut Store, service: &Stored) {
    let fill = Fill::new(service);
    for (relative, properties) in defaults() {
        let Ok(path) = ArmPath::parse(&format!("{}/{}", service.identity.id, fill.text(relative)))
        else {
            continue;
        };
        let (Some(key), Some(identity)) = (path.resource_key(), path.identity()) else {
            continue;
        };
        let mut properties = fill.value(properties);
        // A subscription has its two keys from the start, as `listSecrets` reads them.
        if key
            .collection
            .last()
            .is_some_and(|kind| kind == "subscriptions")
            && let Value::Object(map) = &mut properties
        {
            map.insert("primaryKey".into(), ids::key().into());
            map.insert("secondaryKey".into(), ids::key().into());
        }
        let _ = store.put(&key, &[], identity, Content::properties(properties), None);
    }
}

/// The default properties of the built-in resource at `path` (an email template), as a new
/// service has it: what its DELETE puts back.
pub(crate) fn default_properties(store: &Store, path: &ArmPath) -> Option<Value> {
    let service = store.get(&path.ancestor(1).resource_key()?)?;
    let fill = Fill::new(service);
    let relative: Vec<String> = path.pairs[1..]
        .iter()
        .map(|(kind, name)| format!("{kind}/{name}"))
        .collect();
    let relative = relative.join("/");
    defaults()
        .iter()
        .find(|(candidate, _)| candidate.eq_ignore_ascii_case(&relative))
        .map(|(_, properties)| fill.value(properties))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_parse_and_put_parents_first() {
        let all = defaults();
        assert_eq!(all.len(), 54);
        for (index, (path, properties)) in all.iter().enumerate() {
            assert!(properties.is_object(), "{path}");
            let segments: Vec<&str> = path.split('/').collect();
            assert!(segments.len().is_multiple_of(2), "{path}");
            // Each parent inside the defaults comes before its children.
            for len in (2..segments.len()).step_by(2) {
                let parent = segments[..len].join("/");
                let kind = segments[len - 2];
                if ["groups", "users", "products", "apis", "notifications"].contains(&kind) {
                    assert!(
                        all[..index].iter().any(|(p, _)| *p == parent),
                        "{path} before {parent}"
                    );
                }
            }
        }
        let templates = all
            .iter()
            .filter(|(p, _)| p.starts_with("templates/"))
            .count();
        assert_eq!(templates, 14);
        let notifications = all
            .iter()
            .filter(|(p, _)| p.starts_with("notifications/") && p.matches('/').count() == 1)
            .count();
        assert_eq!(notifications, 7);
    }
}
