//! The resources APIM creates with every service, which the API can read and replace but
//! neither create from nothing nor delete: the tenant's access settings
//! (`tenant/access`, `tenant/gitAccess`; their "create" requires `If-Match`), the
//! developer portal's configuration (`portalconfigs/default`) and the tenant settings
//! (`settings/public`, read-only).
//!
//! They appear, with APIM's defaults, the first time a request reaches a service that
//! exists; one deleted by hand comes back the same way.

use serde_json::{Value, json};

use crate::ids;
use crate::path::ArmPath;
use crate::store::{Content, Key, Store};

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
