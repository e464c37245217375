//! The ARM handler: authentication, `api-version`, then the resource operations.

mod keys;
mod long_running;

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Extension, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::description::{self, Body, Operation};
use crate::duration;
use crate::error::{ArmError, empty_response, json_response};
use crate::list::Listing;
use crate::log::Reconnect;
use crate::path::ArmPath;
use crate::query::Query;
use crate::state::{Shared, lock};
use crate::store::{ENVELOPE, ENVELOPE_FIELDS, Key, StoreError, Stored};
use crate::validate;

/// The `x-ms-request-id` the server assigned to the request being handled.
#[derive(Clone)]
pub(crate) struct RequestId(pub String);

/// Every path goes to one handler: ARM paths are matched case-insensitively, which the
/// router's patterns cannot express.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    // The server has already read (and bounded) the body.
    Router::new()
        .fallback(handle)
        .layer(DefaultBodyLimit::disable())
        .with_state(shared)
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = Request {
        shared: &shared,
        request_id: &request_id,
        method: &method,
        uri: &uri,
        headers: &headers,
        body: &body,
    };
    request
        .dispatch()
        .unwrap_or_else(IntoResponse::into_response)
}

struct Request<'a> {
    shared: &'a Shared,
    request_id: &'a str,
    method: &'a Method,
    uri: &'a Uri,
    headers: &'a HeaderMap,
    body: &'a [u8],
}

impl Request<'_> {
    fn dispatch(&self) -> Result<Response, ArmError> {
        // ARM's order: who is asking, then which API version, then what.
        self.authorize()?;
        let query = Query::parse(self.uri.query());
        let api_version = api_version(&query)?;
        let path = ArmPath::parse(self.uri.path())?;
        validate::names(&path)?;
        crate::built_in::ensure(&mut lock(&self.shared.store), &path);
        if let Some((monitor, operation_id)) = long_running::monitor(&path) {
            return self.poll_operation(&path, monitor, operation_id, api_version);
        }
        let operation = description::find(self.method.as_str(), &path, &query);
        if let Some(operation) = operation.filter(|operation| operation.long_running) {
            return self.start_long_running(operation, &path, api_version);
        }
        match (path.tail.as_deref(), self.method) {
            (None, m) if m == Method::GET => self.get(&path, true, StatusCode::OK),
            (None, m) if m == Method::HEAD => self.get(&path, false, head_status(operation)),
            (None, m) if m == Method::PUT => self.put(&path, operation),
            (None, m) if m == Method::PATCH => self.patch(&path, operation),
            (None, m) if m == Method::DELETE => self.delete(&path),
            (None, _) => Err(method_not_allowed(
                self.method,
                "GET, HEAD, PUT, PATCH, DELETE",
            )),
            (Some(_), m) if m == Method::GET => self.list(&path, &query, api_version),
            (Some(action), m) if m == Method::POST && !path.pairs.is_empty() => {
                self.action(&path, action, operation, api_version)
            }
            (Some(_), _) => Err(method_not_allowed(self.method, "GET")),
        }
    }

    fn authorize(&self) -> Result<(), ArmError> {
        let Some(value) = self.headers.get(header::AUTHORIZATION) else {
            return Err(unauthorized(
                "AuthenticationFailed",
                "Authentication failed. The 'Authorization' header is missing.",
                "Bearer realm=\"apim-emulator\"",
            ));
        };
        let token = value.to_str().ok().and_then(|v| {
            let (scheme, token) = v.trim().split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then_some(token.trim())
        });
        if token == Some(self.shared.token.as_str()) {
            Ok(())
        } else {
            Err(unauthorized(
                "InvalidAuthenticationToken",
                "The access token is invalid: expected 'Bearer <token>' with this emulator's token.",
                "Bearer realm=\"apim-emulator\", error=\"invalid_token\"",
            ))
        }
    }

    fn get(
        &self,
        path: &ArmPath,
        with_body: bool,
        status: StatusCode,
    ) -> Result<Response, ArmError> {
        let store = lock(&self.shared.store);
        // A subscription read through its owner (`users/{u}/subscriptions/{sid}`).
        if let Some((key, view)) = crate::views::resource(path) {
            let stored = store
                .get(&key)
                .filter(|stored| view.keeps(&store, stored))
                .ok_or_else(|| not_found(path))?;
            return Ok(resource_response(status, stored, with_body));
        }
        let key = resource_key(path)?;
        let stored = store.get(&key).ok_or_else(|| not_found(path))?;
        Ok(resource_response(status, stored, with_body))
    }

    /// PUT: the body the description asks for. An operation without a body parameter (a
    /// link such as `ProductApi_CreateOrUpdate`) ignores whatever was sent.
    fn put(&self, path: &ArmPath, operation: Option<&Operation>) -> Result<Response, ArmError> {
        let key = resource_key(path)?;
        let mut properties = match operation.map(|operation| operation.body) {
            // The one PUT with an optional body, `GatewayApi_CreateOrUpdate`, associates an
            // API with a gateway (the body is an `AssociationContract`): like the links
            // without a body, it answers the linked API.
            Some(Body::Absent | Body::Optional) => self.linked_properties(path),
            _ => self.put_properties()?,
        };
        if let Some(operation) = operation {
            let previous = lock(&self.shared.store)
                .get(&key)
                .map(|stored| stored.properties.clone());
            properties = keys::with_keys(operation.operation_id, properties, previous.as_ref());
        }
        let identity = path.identity().ok_or_else(|| not_found(path))?;
        let result = lock(&self.shared.store).put(&key, identity, properties, self.if_match()?);
        let (stored, created) = result.map_err(|e| store_error(e, path))?;
        // Where the description has no 201 (`Notification_CreateOrUpdate`), creating is 200.
        let status = if created && operation.is_none_or(|operation| operation.answers(201)) {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        };
        Ok(resource_response(status, &stored, true))
    }

    /// The properties a link PUT stores: a copy of the linked resource's, found by the
    /// link's type and name in the same service or workspace (`products/{p}/apis/{a}` links
    /// `apis/{a}`), so the link reads and lists as APIM returns it. Empty when nothing is
    /// linked (`notifications/{name}`) or the linked resource is not stored.
    fn linked_properties(&self, path: &ArmPath) -> Value {
        let in_workspace = path
            .pairs
            .get(1)
            .is_some_and(|(kind, _)| kind.eq_ignore_ascii_case("workspaces"));
        let scope = if in_workspace { 2 } else { 1 };
        let (Some(scope_pairs), Some(link)) = (path.pairs.get(..scope), path.pairs.last()) else {
            return json!({});
        };
        if path.pairs.len() <= scope + 1 {
            return json!({});
        }
        let linked = ArmPath {
            subscription: path.subscription.clone(),
            resource_group: path.resource_group.clone(),
            pairs: scope_pairs.iter().chain([link]).cloned().collect(),
            tail: None,
        };
        linked
            .resource_key()
            .and_then(|key| {
                let store = lock(&self.shared.store);
                store.get(&key).map(|stored| stored.properties.clone())
            })
            .unwrap_or_else(|| json!({}))
    }

    /// PATCH: merges, then answers 200 with the resource, or 204 where the description
    /// says so (`SignInSettings_Update`).
    fn patch(&self, path: &ArmPath, operation: Option<&Operation>) -> Result<Response, ArmError> {
        let key = resource_key(path)?;
        let properties = self.patch_properties()?;
        let result = lock(&self.shared.store).patch(&key, properties.as_ref(), self.if_match()?);
        let stored = result.map_err(|e| store_error(e, path))?;
        Ok(match operation {
            Some(operation) if !operation.answers(200) => {
                resource_response(StatusCode::NO_CONTENT, &stored, false)
            }
            _ => resource_response(StatusCode::OK, &stored, true),
        })
    }

    fn delete(&self, path: &ArmPath) -> Result<Response, ArmError> {
        let key = resource_key(path)?;
        let existed = lock(&self.shared.store)
            .delete(&key, self.if_match()?)
            .map_err(|e| store_error(e, path))?;
        Ok(empty_response(if existed {
            StatusCode::OK
        } else {
            StatusCode::NO_CONTENT
        }))
    }

    fn list(&self, path: &ArmPath, query: &Query, api_version: &str) -> Result<Response, ArmError> {
        let listing = Listing::from_query(query)?;
        let view = crate::views::list(path);
        let collection = match &view {
            Some(view) => view.collection.clone(),
            None => path
                .collection_key_of_tail()
                .ok_or_else(|| not_found(path))?,
        };
        let body = listing.respond(
            &lock(&self.shared.store),
            &collection,
            view.as_ref(),
            &self.shared.endpoint,
            self.uri.path(),
            api_version,
        );
        Ok(json_response(StatusCode::OK, &body))
    }

    /// A documented action, by its operation; 404 as ARM answers for one the description
    /// does not have, 501 for one the emulator does not implement yet.
    fn action(
        &self,
        path: &ArmPath,
        action: &str,
        operation: Option<&Operation>,
        api_version: &str,
    ) -> Result<Response, ArmError> {
        let Some(operation) = operation else {
            return Err(unknown_action(path, action, api_version));
        };
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
            other => Err(ArmError::new(
                StatusCode::NOT_IMPLEMENTED,
                "NotImplemented",
                format!("The emulator does not implement the action {other} yet."),
            )),
        }
    }

    /// `POST .../namedValues/{id}/listValue`: 200 with `{"value": ...}` from the named
    /// value's `value` property (`null` when it has none).
    fn list_value(&self, path: &ArmPath) -> Result<Response, ArmError> {
        let key = resource_key(path)?;
        let store = lock(&self.shared.store);
        let stored = store.get(&key).ok_or_else(|| not_found(path))?;
        let value = stored
            .properties
            .get("value")
            .cloned()
            .unwrap_or(Value::Null);
        Ok(json_response(
            StatusCode::OK,
            &serde_json::json!({ "value": value }),
        ))
    }

    /// `POST .../backends/{id}/reconnect`: 202, recorded with `after` as sent.
    fn reconnect(&self, path: &ArmPath) -> Result<Response, ArmError> {
        let after = self.reconnect_after()?;
        let key = resource_key(path)?;
        if lock(&self.shared.store).get(&key).is_none() {
            return Err(not_found(path));
        }
        let name = |i: usize| path.pairs[i].1.clone();
        lock(&self.shared.reconnects).push(Reconnect {
            subscription_id: path.subscription.clone(),
            resource_group: path.resource_group.clone(),
            service_name: name(0),
            backend_id: name(1),
            after,
            request_id: self.request_id.to_string(),
        });
        Ok(empty_response(StatusCode::ACCEPTED))
    }

    /// The optional body `{"properties":{"after":"PT2M"}}`; `after` must be an ISO 8601 duration.
    fn reconnect_after(&self) -> Result<Option<String>, ArmError> {
        if self.body.trim_ascii().is_empty() {
            return Ok(None);
        }
        let body = self.json_object()?;
        let properties = match body.get("properties") {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::Object(properties)) => properties,
            Some(_) => {
                return Err(ArmError::validation(
                    "properties",
                    "'properties' must be an object.",
                ));
            }
        };
        match properties.get("after") {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(after)) if duration::parse(after).is_some() => {
                Ok(Some(after.clone()))
            }
            Some(other) => Err(ArmError::validation(
                "after",
                format!("'after' must be an ISO 8601 duration such as PT2M, not {other}."),
            )),
        }
    }

    /// The `properties` object a PUT body must have.
    fn put_properties(&self) -> Result<Value, ArmError> {
        let mut body = self.json_object()?;
        match body.remove("properties") {
            Some(Value::Object(mut properties)) => {
                // The service's `location`, `sku`, ... are read back where they were sent.
                let envelope: Map<String, Value> = ENVELOPE_FIELDS
                    .iter()
                    .filter_map(|field| Some(((*field).to_owned(), body.remove(*field)?)))
                    .collect();
                if !envelope.is_empty() {
                    properties.insert(ENVELOPE.to_owned(), Value::Object(envelope));
                }
                Ok(Value::Object(properties))
            }
            _ => Err(ArmError::validation(
                "properties",
                "The request body must be an object with a 'properties' object.",
            )),
        }
    }

    /// The `properties` object a PATCH body may have.
    fn patch_properties(&self) -> Result<Option<Value>, ArmError> {
        match self.json_object()?.remove("properties") {
            None => Ok(None),
            Some(properties @ Value::Object(_)) => Ok(Some(properties)),
            Some(_) => Err(ArmError::validation(
                "properties",
                "'properties' must be an object.",
            )),
        }
    }

    fn json_object(&self) -> Result<Map<String, Value>, ArmError> {
        match serde_json::from_slice::<Value>(self.body) {
            Ok(Value::Object(object)) => Ok(object),
            Ok(_) => Err(invalid_content("the body must be a JSON object")),
            Err(error) => Err(invalid_content(&error.to_string())),
        }
    }

    fn if_match(&self) -> Result<Option<&str>, ArmError> {
        match self.headers.get(header::IF_MATCH) {
            None => Ok(None),
            Some(value) => value.to_str().map(Some).map_err(|_| {
                ArmError::new(
                    StatusCode::BAD_REQUEST,
                    "InvalidRequest",
                    "The If-Match header is not valid ASCII.",
                )
                .with_target("If-Match")
            }),
        }
    }
}

fn api_version(query: &Query) -> Result<&str, ArmError> {
    let version = query
        .get("api-version")
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            ArmError::new(
                StatusCode::BAD_REQUEST,
                "MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests.",
            )
        })?;
    if !is_api_version(version) {
        return Err(ArmError::new(
            StatusCode::BAD_REQUEST,
            "InvalidApiVersionParameter",
            format!(
                "The api-version '{version}' is invalid. The supported versions look like '2024-05-01'."
            ),
        ));
    }
    Ok(version)
}

/// `YYYY-MM-DD` with an optional `-suffix` such as `-preview`.
fn is_api_version(version: &str) -> bool {
    let bytes = version.as_bytes();
    let date_ok = bytes.len() >= 10
        && bytes[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let suffix = &version[if date_ok { 10 } else { 0 }..];
    date_ok
        && (suffix.is_empty()
            || suffix
                .strip_prefix('-')
                .is_some_and(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric())))
}

/// 200, or 204 where the description's existence check answers that
/// (`ProductApi_CheckEntityExists`).
fn head_status(operation: Option<&Operation>) -> StatusCode {
    match operation {
        Some(operation) if !operation.answers(200) => StatusCode::NO_CONTENT,
        _ => StatusCode::OK,
    }
}

fn resource_key(path: &ArmPath) -> Result<Key, ArmError> {
    path.resource_key().ok_or_else(|| not_found(path))
}

fn resource_response(status: StatusCode, stored: &Stored, with_body: bool) -> Response {
    let mut response = if with_body {
        json_response(status, &stored.to_json())
    } else {
        empty_response(status)
    };
    if let Ok(etag) = HeaderValue::from_str(&stored.etag) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

fn store_error(error: StoreError, path: &ArmPath) -> ArmError {
    match error {
        StoreError::NotFound => not_found(path),
        StoreError::PreconditionFailed => ArmError::new(
            StatusCode::PRECONDITION_FAILED,
            "PreconditionFailed",
            "The entity tag in If-Match does not match the resource's current ETag.",
        ),
    }
}

fn not_found(path: &ArmPath) -> ArmError {
    // ARM names the resource as `Namespace/type/name/type/name`.
    let resource: String = path
        .pairs
        .iter()
        .map(|(t, n)| format!("/{t}/{n}"))
        .collect();
    ArmError::not_found(format!(
        "The Resource 'Microsoft.ApiManagement{resource}' under resource group '{}' was not found.",
        path.resource_group
    ))
}

/// ARM's answer to a POST no operation of the namespace has: the action is taken as a
/// resource type it does not know.
fn unknown_action(path: &ArmPath, action: &str, api_version: &str) -> ArmError {
    let mut kind: Vec<&str> = path.pairs.iter().map(|(kind, _)| kind.as_str()).collect();
    kind.push(action);
    ArmError::new(
        StatusCode::NOT_FOUND,
        "InvalidResourceType",
        format!(
            "The resource type '{}' could not be found in the namespace 'Microsoft.ApiManagement' \
             for api version '{api_version}'.",
            kind.join("/")
        ),
    )
}

fn invalid_content(reason: &str) -> ArmError {
    ArmError::new(
        StatusCode::BAD_REQUEST,
        "InvalidRequestContent",
        format!("The request content was invalid and could not be deserialized: {reason}."),
    )
}

fn unauthorized(code: &'static str, message: &str, challenge: &'static str) -> ArmError {
    ArmError::new(StatusCode::UNAUTHORIZED, code, message).with_header(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(challenge),
    )
}

fn method_not_allowed(method: &Method, allowed: &'static str) -> ArmError {
    ArmError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "MethodNotAllowed",
        format!("The HTTP method '{method}' is not supported for this path."),
    )
    .with_header(header::ALLOW, HeaderValue::from_static(allowed))
}

#[cfg(test)]
mod tests {
    use super::is_api_version;

    #[test]
    fn api_versions() {
        for ok in [
            "2024-05-01",
            "2023-09-01-preview",
            "2021-01-01-privatepreview",
        ] {
            assert!(is_api_version(ok), "{ok}");
        }
        for bad in [
            "",
            "2024",
            "2024-5-01",
            "2024-05-01-",
            "2024-05-01x",
            "latest",
            "2024-05-01-pre view",
            "２０２４-05-01",
        ] {
            assert!(!is_api_version(bad), "{bad}");
        }
    }
}
