//! The description's actions (POST) that are not long-running, each with its documented
//! answer and data consistent with the store: secrets read back from the resource they
//! were stored with, tokens and URLs in APIM's shapes, name checks against the services
//! stored, references found in the stored policies.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

use super::{Request, not_found, resource_key, resource_response};
use crate::description::Operation;
use crate::error::{ArmError, empty_response, json_response};
use crate::ids;
use crate::path::ArmPath;
use crate::query::encode;
use crate::rfc3339;
use crate::state::lock;
use crate::store::Stored;
use crate::validate;

impl Request<'_> {
    /// A documented action, by its operation; 501 for one the emulator does not implement.
    pub(super) fn action(
        &self,
        path: &ArmPath,
        operation: &Operation,
    ) -> Result<Response, ArmError> {
        match operation.operation_id {
            "Backend_Reconnect" => self.reconnect(path),
            "NamedValue_ListValue" | "WorkspaceNamedValue_ListValue" => self.list_value(path),
            "Subscription_ListSecrets" | "WorkspaceSubscription_ListSecrets" => {
                self.list_keys(path, ["primaryKey", "secondaryKey"])
            }
            "Gateway_ListKeys" => self.list_keys(path, ["primary", "secondary"]),
            "Subscription_RegeneratePrimaryKey" | "WorkspaceSubscription_RegeneratePrimaryKey" => {
                self.regenerate_key(path, Some("primaryKey"))
            }
            "Subscription_RegenerateSecondaryKey"
            | "WorkspaceSubscription_RegenerateSecondaryKey" => {
                self.regenerate_key(path, Some("secondaryKey"))
            }
            "Gateway_RegenerateKey" => self.regenerate_key(path, None),
            "TenantAccess_ListSecrets" => self.tenant_access_secrets(path),
            "TenantAccess_RegeneratePrimaryKey" | "TenantAccessGit_RegeneratePrimaryKey" => {
                self.regenerate_tenant_key(path, "primaryKey")
            }
            "TenantAccess_RegenerateSecondaryKey" | "TenantAccessGit_RegenerateSecondaryKey" => {
                self.regenerate_tenant_key(path, "secondaryKey")
            }
            "AuthorizationServer_ListSecrets" => self.secrets(
                path,
                &[
                    "clientSecret",
                    "resourceOwnerUsername",
                    "resourceOwnerPassword",
                ],
            ),
            "IdentityProvider_ListSecrets" | "OpenIdConnectProvider_ListSecrets" => {
                self.secrets(path, &["clientSecret"])
            }
            "DelegationSettings_ListSecrets" => self.delegation_validation_key(path),
            "Certificate_RefreshSecret" | "WorkspaceCertificate_RefreshSecret" => {
                self.refresh_certificate(path)
            }
            "PolicyFragment_ListReferences" | "WorkspacePolicyFragment_ListReferences" => {
                self.fragment_references(path)
            }
            "ApiManagementService_GetSsoToken" => self.service_sso_token(path),
            "User_GenerateSsoUrl" => self.user_sso_url(path),
            "User_GetSharedAccessToken" => self.user_token(path),
            "UserConfirmationPassword_Send" => Ok(empty_response(StatusCode::NO_CONTENT)),
            "Gateway_GenerateToken" => self.gateway_token(path),
            "Gateway_ListDebugCredentials" => self.gateway_debug_credentials(path),
            "Gateway_InvalidateDebugCredentials" => {
                self.existing(path)?;
                Ok(empty_response(StatusCode::NO_CONTENT))
            }
            "Gateway_ListTrace" => self.gateway_trace(path),
            "AuthorizationLoginLinks_Post" => self.login_link(path),
            "Authorization_ConfirmConsentCode" => self.confirm_consent_code(path),
            "ApiManagementService_CheckNameAvailability" => self.check_name_availability(),
            "ApiManagementService_GetDomainOwnershipIdentifier" => Ok(json_response(
                StatusCode::OK,
                &json!({
                    "domainOwnershipIdentifier":
                        ids::stable_secret(&path.subscription.to_lowercase(), 32),
                }),
            )),
            other => Err(ArmError::new(
                StatusCode::NOT_IMPLEMENTED,
                "NotImplemented",
                format!("The emulator does not implement the action {other} yet."),
            )),
        }
    }

    /// The resource the action is on (all of `path`'s pairs), which must exist.
    fn existing(&self, path: &ArmPath) -> Result<Stored, ArmError> {
        let key = resource_key(path)?;
        let store = lock(&self.shared.store);
        store.get(&key).cloned().ok_or_else(|| not_found(path))
    }

    /// `POST .../namedValues/{id}/listValue`: 200 with `{"value": ...}` from the named
    /// value's `value` property (`null` when it has none).
    fn list_value(&self, path: &ArmPath) -> Result<Response, ArmError> {
        let stored = self.existing(path)?;
        let value = stored
            .properties
            .get("value")
            .cloned()
            .unwrap_or(Value::Null);
        Ok(with_etag(
            json_response(StatusCode::OK, &json!({ "value": value })),
            &stored,
        ))
    }

    /// `listSecrets` of an authorization server, identity provider or OpenID Connect
    /// provider: the `fields` it was stored with, and its ETag.
    fn secrets(&self, path: &ArmPath, fields: &[&str]) -> Result<Response, ArmError> {
        let stored = self.existing(path)?;
        let mut body = serde_json::Map::new();
        for field in fields {
            if let Some(value) = stored.properties.get(*field) {
                body.insert((*field).to_string(), value.clone());
            }
        }
        Ok(with_etag(
            json_response(StatusCode::OK, &Value::Object(body)),
            &stored,
        ))
    }

    /// `tenant/{accessName}` (`access` or `gitAccess`), which `built_in::ensure` stores with
    /// its keys once the service exists, before any request under it is handled.
    fn tenant_access(&self, path: &ArmPath) -> Result<(ArmPath, Stored), ArmError> {
        let access = path.ancestor(2);
        let key = resource_key(&access)?;
        let stored = lock(&self.shared.store)
            .get(&key)
            .cloned()
            .ok_or_else(|| not_found(&access))?;
        Ok((access, stored))
    }

    /// `tenant/{accessName}/listSecrets`: `{id, principalId, primaryKey, secondaryKey,
    /// enabled}`, and the ETag.
    fn tenant_access_secrets(&self, path: &ArmPath) -> Result<Response, ArmError> {
        let (_, stored) = self.tenant_access(path)?;
        let read = |field: &str| stored.properties.get(field).cloned().unwrap_or(Value::Null);
        let body = json!({
            "id": stored.identity.name,
            "principalId": read("principalId"),
            "primaryKey": read("primaryKey"),
            "secondaryKey": read("secondaryKey"),
            "enabled": read("enabled"),
        });
        Ok(with_etag(json_response(StatusCode::OK, &body), &stored))
    }

    /// `tenant/{accessName}[/git]/regenerate{Primary,Secondary}Key`: a new key, 204.
    fn regenerate_tenant_key(&self, path: &ArmPath, name: &str) -> Result<Response, ArmError> {
        let (access, _) = self.tenant_access(path)?;
        let key = resource_key(&access)?;
        lock(&self.shared.store)
            .patch(&key, Some(&json!({ name: ids::secret(64) })), None, None)
            .map_err(|_| not_found(&access))?;
        Ok(empty_response(StatusCode::NO_CONTENT))
    }

    /// `portalsettings/delegation/listSecrets`: the stored `validationKey`, else the one
    /// the service has had from the start (stable per service).
    fn delegation_validation_key(&self, path: &ArmPath) -> Result<Response, ArmError> {
        let stored = resource_key(path)
            .ok()
            .and_then(|key| lock(&self.shared.store).get(&key).cloned());
        let key = stored
            .as_ref()
            .and_then(|stored| stored.properties.get("validationKey").cloned())
            .unwrap_or_else(|| {
                let service = path
                    .ancestor(1)
                    .identity()
                    .map(|i| i.id)
                    .unwrap_or_default();
                ids::stable_secret(&service.to_lowercase(), 64).into()
            });
        Ok(json_response(
            StatusCode::OK,
            &json!({ "validationKey": key }),
        ))
    }

    /// `certificates/{id}/refreshSecret`: the certificate, its Key Vault status refreshed.
    fn refresh_certificate(&self, path: &ArmPath) -> Result<Response, ArmError> {
        let stored = self.existing(path)?;
        if stored.properties.get("keyVault").is_none() {
            return Ok(resource_response(StatusCode::OK, &stored, true));
        }
        let now = rfc3339::format(std::time::SystemTime::now());
        let patch = json!({"keyVault": {"lastStatus": {"code": "Success", "timeStampUtc": now}}});
        let key = resource_key(path)?;
        let refreshed = lock(&self.shared.store)
            .patch(&key, Some(&patch), None, None)
            .map_err(|_| not_found(path))?;
        Ok(resource_response(StatusCode::OK, &refreshed, true))
    }

    /// `policyFragments/{id}/listReferences`: every stored policy, in the same service or
    /// workspace, whose XML includes the fragment (`<include-fragment fragment-id="{id}"`).
    fn fragment_references(&self, path: &ArmPath) -> Result<Response, ArmError> {
        let fragment = self.existing(path)?;
        let scope = path.ancestor(path.pairs.len() - 1);
        let mut prefix = vec![
            path.subscription.to_lowercase(),
            path.group().to_lowercase(),
        ];
        for (kind, name) in &scope.pairs {
            prefix.extend([kind.to_lowercase(), name.to_lowercase()]);
        }
        let needle = |quote: char| {
            format!(
                "fragment-id={quote}{}{quote}",
                fragment.identity.name.to_lowercase()
            )
        };
        let store = lock(&self.shared.store);
        let references: Vec<Value> = store
            .find_all(&prefix, |key, stored| {
                key.last().is_some_and(|kind| kind == "policies")
                    && stored
                        .properties
                        .get("value")
                        .and_then(Value::as_str)
                        .map(str::to_lowercase)
                        .is_some_and(|xml| xml.contains(&needle('"')) || xml.contains(&needle('\'')))
            })
            .into_iter()
            .map(|stored| {
                json!({"id": stored.identity.id, "name": stored.identity.name, "type": stored.identity.kind})
            })
            .collect();
        let count = references.len();
        Ok(json_response(
            StatusCode::OK,
            &json!({"value": references, "count": count}),
        ))
    }

    /// `getssotoken`: a developer-portal sign-in URL for the service's administrator.
    fn service_sso_token(&self, path: &ArmPath) -> Result<Response, ArmError> {
        let stored = self.existing(path)?;
        let portal = stored
            .properties
            .get("portalUrl")
            .and_then(Value::as_str)
            .map_or_else(|| portal_url(path), str::to_string);
        let token = format!("1&{}&{}", expiry_stamp(300), ids::secret(64));
        Ok(json_response(
            StatusCode::OK,
            &json!({"redirectUri": format!("{portal}:443/signin-sso?token={}", encode(&token))}),
        ))
    }

    /// `users/{id}/generateSsoUrl`: the developer portal's sign-in URL for that user.
    fn user_sso_url(&self, path: &ArmPath) -> Result<Response, ArmError> {
        let user = self.existing(path)?;
        let token = format!(
            "{}&{}&{}",
            user.identity.name,
            expiry_stamp(600),
            ids::secret(64)
        );
        let developer_portal = format!(
            "https://{}.developer.azure-api.net",
            path.pairs[0].1.to_lowercase()
        );
        Ok(json_response(
            StatusCode::OK,
            &json!({"value": format!("{developer_portal}/signin-sso?token={}", encode(&token))}),
        ))
    }

    /// `users/{id}/token` with `{"properties": {"keyType", "expiry"}}`: a shared access
    /// token `{userId}&{yyyyMMddHHmm}&{signature}`.
    fn user_token(&self, path: &ArmPath) -> Result<Response, ArmError> {
        let body = self.json_object()?;
        let properties = body.get("properties").cloned().unwrap_or(Value::Null);
        let expiry = required_expiry(&properties, "properties.expiry")?;
        key_type(&properties, "properties.keyType")?;
        let user = self.existing(path)?;
        Ok(json_response(
            StatusCode::OK,
            &json!({"value": format!("{}&{expiry}&{}", user.identity.name, ids::secret(64))}),
        ))
    }

    /// `gateways/{id}/generateToken` with `{"keyType", "expiry"}`:
    /// `GatewayKey {gatewayId}&{yyyyMMddHHmm}&{signature}`.
    fn gateway_token(&self, path: &ArmPath) -> Result<Response, ArmError> {
        let body = Value::Object(self.json_object()?);
        let expiry = required_expiry(&body, "expiry")?;
        key_type(&body, "keyType")?;
        let gateway = self.existing(path)?;
        let value = format!(
            "GatewayKey {}&{expiry}&{}",
            gateway.identity.name,
            ids::secret(64)
        );
        Ok(json_response(StatusCode::OK, &json!({ "value": value })))
    }

    /// `gateways/{id}/listDebugCredentials` with `{"apiId", "purposes",
    /// "credentialsExpireAfter"?}`: a debug token.
    fn gateway_debug_credentials(&self, path: &ArmPath) -> Result<Response, ArmError> {
        let body = self.json_object()?;
        if !body.get("apiId").is_some_and(Value::is_string) {
            return Err(ArmError::validation("apiId", "'apiId' is required."));
        }
        if !body.get("purposes").is_some_and(Value::is_array) {
            return Err(ArmError::validation(
                "purposes",
                "'purposes' is required, e.g. [\"tracing\"].",
            ));
        }
        self.existing(path)?;
        Ok(json_response(
            StatusCode::OK,
            &json!({"token": format!("aid={}&{}", expiry_stamp(3600), ids::secret(64))}),
        ))
    }

    /// `gateways/{id}/listTrace` with `{"traceId"}`: the trace, empty as nothing was traced.
    fn gateway_trace(&self, path: &ArmPath) -> Result<Response, ArmError> {
        let body = self.json_object()?;
        let Some(trace_id) = body.get("traceId").and_then(Value::as_str) else {
            return Err(ArmError::validation("traceId", "'traceId' is required."));
        };
        self.existing(path)?;
        Ok(json_response(
            StatusCode::OK,
            &json!({"traceId": trace_id, "traceEntries": {}}),
        ))
    }

    /// `authorizations/{id}/getLoginLinks` with `{"postLoginRedirectUrl"?}`: the consent
    /// page's URL, and the authorization's ETag.
    fn login_link(&self, path: &ArmPath) -> Result<Response, ArmError> {
        let body = self.json_object()?;
        let authorization = self.existing(path)?;
        let mut link = format!(
            "https://authorization-manager.consent.azure-apim.net/login/{}/{}/{}?token={}",
            path.pairs[0].1.to_lowercase(),
            path.pairs[1].1,
            authorization.identity.name,
            encode(&ids::secret(48)),
        );
        if let Some(redirect) = body.get("postLoginRedirectUrl").and_then(Value::as_str) {
            link.push_str(&format!("&postLoginRedirectUrl={}", encode(redirect)));
        }
        Ok(with_etag(
            json_response(StatusCode::OK, &json!({ "loginLink": link })),
            &authorization,
        ))
    }

    /// `authorizations/{id}/confirmConsentCode` with `{"consentCode"}`: the authorization
    /// becomes `Connected`; 200 with its ETag.
    fn confirm_consent_code(&self, path: &ArmPath) -> Result<Response, ArmError> {
        let body = self.json_object()?;
        if !body.get("consentCode").is_some_and(Value::is_string) {
            return Err(ArmError::validation(
                "consentCode",
                "'consentCode' is required.",
            ));
        }
        let key = resource_key(path)?;
        let stored = lock(&self.shared.store)
            .patch(
                &key,
                Some(&json!({"status": "Connected", "error": null})),
                None,
                None,
            )
            .map_err(|_| not_found(path))?;
        Ok(with_etag(empty_response(StatusCode::OK), &stored))
    }

    /// `checkNameAvailability` with `{"name", "type"}`: `Invalid` for a name APIM refuses,
    /// `AlreadyExists` for a service stored in any subscription (service names are global,
    /// as they are host names), otherwise `Valid`.
    fn check_name_availability(&self) -> Result<Response, ArmError> {
        let body = self.json_object()?;
        let Some(name) = body.get("name").and_then(Value::as_str) else {
            return Err(ArmError::validation("name", "'name' is required."));
        };
        let body = if let Err(error) = validate::service_name_rule(name) {
            json!({"nameAvailable": false, "reason": "Invalid", "message": error.message})
        } else if self.service_exists(name) {
            json!({"nameAvailable": false, "reason": "AlreadyExists",
                   "message": format!("{name} is already in use.")})
        } else {
            json!({"nameAvailable": true, "reason": "Valid", "message": ""})
        };
        Ok(json_response(StatusCode::OK, &body))
    }

    fn service_exists(&self, name: &str) -> bool {
        let name = name.to_lowercase();
        let store = lock(&self.shared.store);
        !store
            .find_all(&[], |key, stored| {
                key.len() == 3 && key[2] == "service" && stored.identity.name.to_lowercase() == name
            })
            .is_empty()
    }
}

/// `response` with `stored`'s ETag.
fn with_etag(mut response: Response, stored: &Stored) -> Response {
    if let Ok(etag) = HeaderValue::from_str(&stored.etag) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

/// `https://{service}.portal.azure-api.net` for the service in `path`.
fn portal_url(path: &ArmPath) -> String {
    format!(
        "https://{}.portal.azure-api.net",
        path.pairs
            .first()
            .map(|(_, name)| name.to_lowercase())
            .unwrap_or_default()
    )
}

/// `yyyyMMddHHmm`, `seconds` from now, as APIM's tokens carry their expiry.
fn expiry_stamp(seconds: u64) -> String {
    let at = std::time::SystemTime::now() + std::time::Duration::from_secs(seconds);
    stamp(&rfc3339::format(at)).unwrap_or_default()
}

/// The `yyyyMMddHHmm` of an ISO 8601 date-time.
fn stamp(date_time: &str) -> Option<String> {
    let digits: String = date_time
        .split(['.', 'Z', '+'])
        .next()?
        .chars()
        .filter(char::is_ascii_digit)
        .take(12)
        .collect();
    (digits.len() == 12).then_some(digits)
}

/// The required `expiry` date-time of a token request, as `yyyyMMddHHmm`.
fn required_expiry(object: &Value, target: &str) -> Result<String, ArmError> {
    object
        .get("expiry")
        .and_then(Value::as_str)
        .and_then(stamp)
        .ok_or_else(|| {
            ArmError::validation(
                target,
                format!(
                    "'{target}' is required: an ISO 8601 date-time such as 2024-05-01T12:00:00Z."
                ),
            )
        })
}

/// The required `keyType`: `primary` or `secondary`.
fn key_type(object: &Value, target: &str) -> Result<(), ArmError> {
    match object.get("keyType").and_then(Value::as_str) {
        Some("primary" | "secondary") => Ok(()),
        _ => Err(ArmError::validation(
            target,
            format!("'{target}' is required and must be 'primary' or 'secondary'."),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::stamp;

    #[test]
    fn expiry_stamps() {
        assert_eq!(
            stamp("2024-05-01T12:34:56.789Z").as_deref(),
            Some("202405011234")
        );
        assert_eq!(
            stamp("2024-05-01T12:34:56+02:00").as_deref(),
            Some("202405011234")
        );
        assert_eq!(stamp("2024-05-01"), None);
    }
}
