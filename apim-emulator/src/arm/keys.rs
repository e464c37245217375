//! The keys of subscriptions, gateways and tenant access: given at creation (or generated then, as APIM
//! does), read back by `listSecrets`/`listKeys`, replaced by the `regenerate*` actions.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

use super::{Request, not_found, resource_key};
use crate::error::{ArmError, empty_response, json_response};
use crate::ids;
use crate::path::ArmPath;
use crate::state::lock;

/// The properties holding a resource type's two keys, by the operation that creates it.
fn key_properties(create_operation: &str) -> Option<[&'static str; 2]> {
    match create_operation {
        "Subscription_CreateOrUpdate" | "WorkspaceSubscription_CreateOrUpdate" => {
            Some(["primaryKey", "secondaryKey"])
        }
        // The gateway's contract has no keys; they are kept under the same names, which
        // `listKeys` renames.
        "Gateway_CreateOrUpdate" => Some(["primaryKey", "secondaryKey"]),
        // Tenant access (`tenant/access`, `tenant/gitAccess`): read by `listSecrets`.
        "TenantAccess_Create" => Some(["primaryKey", "secondaryKey"]),
        _ => None,
    }
}

/// `properties` with each key the request left out taken from the resource it replaces
/// (`previous`), or else generated.
pub(super) fn with_keys(
    create_operation: &str,
    mut properties: Value,
    previous: Option<&Value>,
) -> Value {
    let (Some(names), Value::Object(map)) = (key_properties(create_operation), &mut properties)
    else {
        return properties;
    };
    for name in names {
        if map.get(name).is_some_and(Value::is_string) {
            continue;
        }
        let kept = previous
            .and_then(|previous| previous.get(name))
            .filter(|key| key.is_string())
            .cloned();
        map.insert(name.to_string(), kept.unwrap_or_else(|| ids::key().into()));
    }
    properties
}

impl Request<'_> {
    /// `listSecrets` (`{"primaryKey","secondaryKey"}`) or a gateway's `listKeys`
    /// (`{"primary","secondary"}`): 200 with the keys, and the resource's ETag.
    pub(super) fn list_keys(&self, path: &ArmPath, names: [&str; 2]) -> Result<Response, ArmError> {
        let key = resource_key(path)?;
        let store = lock(&self.shared.store);
        let stored = store.get(&key).ok_or_else(|| not_found(path))?;
        let read = |name: &str| stored.properties.get(name).cloned().unwrap_or(Value::Null);
        let body = json!({
            names[0]: read("primaryKey"),
            names[1]: read("secondaryKey"),
        });
        let mut response = json_response(StatusCode::OK, &body);
        if let Ok(etag) = HeaderValue::from_str(&stored.etag) {
            response.headers_mut().insert(header::ETAG, etag);
        }
        Ok(response)
    }

    /// `regeneratePrimaryKey`/`regenerateSecondaryKey`, or a gateway's `regenerateKey` with
    /// `{"keyType": "primary"|"secondary"}`: a new key, 204.
    pub(super) fn regenerate_key(
        &self,
        path: &ArmPath,
        which: Option<&str>,
    ) -> Result<Response, ArmError> {
        let name = match which {
            Some(name) => name,
            None => match self.json_object()?.get("keyType").and_then(Value::as_str) {
                Some("primary") => "primaryKey",
                Some("secondary") => "secondaryKey",
                _ => {
                    return Err(ArmError::validation(
                        "keyType",
                        "'keyType' is required and must be 'primary' or 'secondary'.",
                    ));
                }
            },
        };
        let key = resource_key(path)?;
        let fresh = json!({ name: ids::key() });
        lock(&self.shared.store)
            .patch(&key, Some(&fresh), None, None)
            .map_err(|_| not_found(path))?;
        Ok(empty_response(StatusCode::NO_CONTENT))
    }
}
