//! The ARM handler: authentication, `api-version`, then the resource operations.

mod actions;
mod keys;
mod long_running;
mod skus;

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
use crate::query::{self, Query};
use crate::service;
use crate::state::{Shared, lock};
use crate::store::{Content, Key, Parent, Store, StoreError, Stored};
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
        if self
            .uri
            .path()
            .eq_ignore_ascii_case("/providers/Microsoft.ApiManagement/operations")
        {
            return match self.method {
                m if m == Method::GET => Ok(json_response(
                    StatusCode::OK,
                    &json!({ "value": description::provider_operations() }),
                )),
                _ => Err(method_not_allowed(self.method, "GET")),
            };
        }
        let path = ArmPath::parse(self.uri.path())?;
        validate::names(&path)?;
        crate::built_in::ensure(&mut lock(&self.shared.store), &path);
        if let Some((monitor, operation_id)) = long_running::monitor(&path) {
            return self.poll_operation(&path, monitor, operation_id, api_version);
        }
        let operation = description::resolve(self.method.as_str(), &path, &query)
            .map_err(|missing| missing_query(&missing))?;
        if let Some(operation) = operation {
            validate::against(operation, &path)?;
            self.require_headers(operation)?;
        }
        // At the subscription level only the description's own requests exist (lists,
        // deleted services, name checks): nothing is stored there by a client.
        if path.resource_group.is_none() && operation.is_none() {
            return Err(unknown_action(&path, api_version));
        }
        if self.method == Method::POST && operation.is_none() {
            return Err(match path.tail {
                Some(_) => unknown_action(&path, api_version),
                None => method_not_allowed(self.method, "GET, HEAD, PUT, PATCH, DELETE"),
            });
        }
        self.require_parents(&path)?;
        if let Some(operation) = operation.filter(|operation| operation.long_running) {
            return self.start_long_running(operation, &path, api_version);
        }
        if let Some(operation) = operation.filter(|_| self.method == Method::POST) {
            return self.action(&path, operation);
        }
        let catalogue = match operation.map(|operation| operation.operation_id) {
            Some("ApiManagementServiceSkus_ListAvailableServiceSkus") => Some(skus::service_skus()),
            Some("ApiManagementGatewaySkus_ListAvailableSkus") => Some(skus::gateway_skus()),
            Some("ApiManagementSkus_List") => Some(skus::subscription_skus()),
            _ => None,
        };
        if let Some(body) = catalogue {
            return Ok(json_response(StatusCode::OK, &body));
        }
        // Reports aggregate the gateway's traffic, which the emulator has none of.
        if operation.is_some_and(|operation| operation.operation_id.starts_with("Reports_")) {
            return Ok(json_response(
                StatusCode::OK,
                &json!({"value": [], "count": 0}),
            ));
        }
        if self.method == Method::GET {
            let store = lock(&self.shared.store);
            if let Some(answer) = crate::computed::answer(&store, &path, &query) {
                return match answer {
                    Some(body) => Ok(json_response(StatusCode::OK, &body)),
                    None => Err(not_found(&path)),
                };
            }
        }
        if let Some(operation) =
            operation.filter(|operation| operation.operation_id.ends_with("ApiExport_Get"))
        {
            return self.export(&path, &query, operation);
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
            (Some(_), _) => Err(method_not_allowed(self.method, "GET")),
        }
    }

    /// Every resource above the one the request is about must exist, as in APIM: creating
    /// or reading `apis/a/operations/o` needs `apis/a` (and the service). A list needs the
    /// resource it lists under, and an action the resource it acts on. Built-in parents
    /// that every service has and no client creates (see [`built_in`]), and parents no
    /// operation of the description creates, are not checked.
    ///
    /// Checked here for every request, before its body is read; a write checks them again
    /// in the same step as it stores (see [`Store::put`](crate::store::Store::put)).
    fn require_parents(&self, path: &ArmPath) -> Result<(), ArmError> {
        let store = lock(&self.shared.store);
        match required_parents(path)
            .into_iter()
            .find(|(_, key)| store.get(key).is_none())
        {
            Some((parent, _)) => Err(not_found(&parent)),
            None => Ok(()),
        }
    }

    /// The headers the description marks required: `If-Match` on most updates and deletes
    /// (the service wants the caller to say which version it changes, or `*`). Checked with
    /// the request's other parameters, before anything is read or changed.
    fn require_headers(&self, operation: &Operation) -> Result<(), ArmError> {
        match operation
            .required_headers
            .iter()
            .find(|name| !self.headers.contains_key(**name))
        {
            Some(name) => Err(ArmError::validation(
                name,
                format!(
                    "The {name} header is required for {}: send the ETag the resource was read \
                     with, or * to apply the change whatever its version.",
                    operation.operation_id
                ),
            )),
            None => Ok(()),
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
        if bearer_token(value) == Some(self.shared.token.as_str()) {
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

    /// `GET .../apis/{id}?format=...&export=true` (`ApiExport_Get`): an `ApiExportResult`
    /// whose `value.link` is a download URL for the API's description in that format.
    fn export(
        &self,
        path: &ArmPath,
        query: &Query,
        operation: &Operation,
    ) -> Result<Response, ArmError> {
        let format = query.get("format").unwrap_or_default();
        let (result_format, extension) = match format {
            "swagger-link" => ("swagger-link-json", "json"),
            "wsdl-link" => ("wsdl-link+xml", "wsdl"),
            "wadl-link" => ("wadl-link-json", "wadl"),
            "openapi-link" => ("openapi-link", "yaml"),
            "openapi+json-link" => ("openapi-link", "json"),
            _ => {
                return Err(ArmError::validation(
                    "format",
                    format!(
                        "'{format}' is not an export format of {}: use swagger-link, \
                         wsdl-link, wadl-link, openapi-link or openapi+json-link.",
                        operation.operation_id
                    ),
                ));
            }
        };
        if !query
            .get("export")
            .is_some_and(|export| export.eq_ignore_ascii_case("true"))
        {
            return Err(ArmError::validation("export", "'export' must be 'true'."));
        }
        let key = resource_key(path)?;
        let store = lock(&self.shared.store);
        let api = store.get(&key).ok_or_else(|| not_found(path))?;
        let link = format!(
            "https://apimgmtstexport.blob.core.windows.net/api-export/{}.{extension}?sv=2021-08-06&sr=b&sig={}&se={}&sp=r",
            api.identity.name,
            query::encode(&crate::ids::secret(32)),
            query::encode(&crate::rfc3339::format(
                std::time::SystemTime::now() + std::time::Duration::from_secs(300)
            )),
        );
        Ok(json_response(
            StatusCode::OK,
            &json!({"id": api.identity.id, "format": result_format, "value": {"link": link}}),
        ))
    }

    /// PUT: the body the description asks for. An operation without a body parameter (a
    /// link such as `ProductApi_CreateOrUpdate`) ignores whatever was sent.
    fn put(&self, path: &ArmPath, operation: Option<&Operation>) -> Result<Response, ArmError> {
        let key = resource_key(path)?;
        let identity = path.identity().ok_or_else(|| not_found(path))?;
        let if_match = self.if_match()?;
        let parents = any_parents(path);
        let content = match operation.map(|operation| operation.body) {
            // The one PUT with an optional body, `GatewayApi_CreateOrUpdate`, associates an
            // API with a gateway (the body is an `AssociationContract`): like the links
            // without a body, it answers the linked API.
            Some(Body::Absent | Body::Optional) => None,
            _ => Some(self.put_content(path)?),
        };
        // A certificate is read from its upload; the data and password are not kept.
        let content = match content {
            Some(mut content) if crate::certificate::is_certificate(path) => {
                content.properties = crate::certificate::read_upload(content.properties)?;
                Some(content)
            }
            other => other,
        };
        // The body is parsed; the rest is one step under one lock: the parents checked,
        // the linked resource and the keys of the one replaced read, and the write. A
        // parent deleted or a key regenerated by a request handled meanwhile is never
        // undone by this write.
        let mut store = lock(&self.shared.store);
        let mut content =
            content.unwrap_or_else(|| Content::properties(linked_properties(&store, path)));
        if let Some(operation) = operation {
            content.properties = keys::with_keys(
                operation.operation_id,
                content.properties,
                store.get(&key).map(|stored| &stored.properties),
            );
        }
        let result = store.put(&key, &parents, identity, content, if_match);
        drop(store);
        let (stored, created) = result.map_err(|e| store_error(e, path))?;
        // Where the description has no 201 (`Notification_CreateOrUpdate`), creating is 200.
        let status = if created && operation.is_none_or(|operation| operation.answers(201)) {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        };
        Ok(resource_response(status, &stored, true))
    }
}

/// The properties a link PUT stores: a copy of the linked resource's, found by the
/// link's type and name in the same service or workspace (`products/{p}/apis/{a}` links
/// `apis/{a}`), so the link reads and lists as APIM returns it. Empty when nothing is
/// linked (`notifications/{name}`) or the linked resource is not stored.
fn linked_properties(store: &Store, path: &ArmPath) -> Value {
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
    let mut linked = path.ancestor(0);
    linked.pairs = scope_pairs.iter().chain([link]).cloned().collect();
    linked
        .resource_key()
        .and_then(|key| store.get(&key).map(|stored| stored.properties.clone()))
        .unwrap_or_else(|| json!({}))
}

impl Request<'_> {
    /// PATCH: merges, then answers 200 with the resource, or 204 where the description
    /// says so (`SignInSettings_Update`).
    fn patch(&self, path: &ArmPath, operation: Option<&Operation>) -> Result<Response, ArmError> {
        let key = resource_key(path)?;
        let (properties, extra) = self.patch_content()?;
        let result = lock(&self.shared.store).patch(
            &key,
            properties.as_ref(),
            Some(&extra),
            self.if_match()?,
        );
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
        let if_match = self.if_match()?;
        let mut store = lock(&self.shared.store);
        // An email template cannot be deleted: DELETE puts APIM's default back.
        if is_email_template(path)
            && let Some(stored) = store.get(&key)
            && let Some(defaults) = crate::built_in::default_properties(&store, path)
        {
            let identity = stored.identity.clone();
            let content = Content::properties(defaults);
            store
                .put(&key, &[], identity, content, if_match)
                .map_err(|e| store_error(e, path))?;
            return Ok(empty_response(StatusCode::OK));
        }
        let existed = store
            .delete(&key, if_match)
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
        let subscription = path.subscription.to_lowercase();
        let across_groups = path.resource_group.is_none() && path.pairs.is_empty();
        let collections = |key: &[String]| match (across_groups, key) {
            (false, _) => key == collection.as_slice(),
            // `.../providers/Microsoft.ApiManagement/deletedservices`: every location's.
            (true, [s, group, locations, _, kind])
                if collection.last() == Some(kind) && kind == "deletedservices" =>
            {
                *s == subscription && group.is_empty() && locations == "locations"
            }
            // `.../providers/Microsoft.ApiManagement/service`: every resource group's.
            (true, [s, group, kind]) => {
                *s == subscription && !group.is_empty() && collection.last() == Some(kind)
            }
            (true, _) => false,
        };
        let body = listing.respond(
            &lock(&self.shared.store),
            collections,
            view.as_ref(),
            &self.shared.endpoint,
            self.uri.path(),
            api_version,
        );
        Ok(json_response(StatusCode::OK, &body))
    }

    /// `POST .../backends/{id}/reconnect`: 202, recorded with `after` as sent.
    pub(super) fn reconnect(&self, path: &ArmPath) -> Result<Response, ArmError> {
        let after = self.reconnect_after()?;
        let key = resource_key(path)?;
        if lock(&self.shared.store).get(&key).is_none() {
            return Err(not_found(path));
        }
        let name = |i: usize| path.pairs[i].1.clone();
        lock(&self.shared.reconnects).push(Reconnect {
            subscription_id: path.subscription.clone(),
            resource_group: path.group().to_string(),
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

    /// A PUT body: the `properties` object it must have, and its other top-level fields
    /// (`location`, `sku`, `tags`, ... of a service or gateway). A tracked resource (a
    /// gateway whose properties are all read-only) may leave `properties` out.
    fn put_content(&self, path: &ArmPath) -> Result<Content, ArmError> {
        let mut body = self.json_object()?;
        match body.remove("properties") {
            Some(properties @ Value::Object(_)) => Ok(Content {
                properties,
                extra: top_level_fields(body),
            }),
            None if service::tracked(path).is_some() => Ok(Content {
                properties: json!({}),
                extra: top_level_fields(body),
            }),
            _ => Err(ArmError::validation(
                "properties",
                "The request body must be an object with a 'properties' object.",
            )),
        }
    }

    /// A PATCH body: the `properties` object it may have, and its other top-level fields.
    fn patch_content(&self) -> Result<(Option<Value>, Map<String, Value>), ArmError> {
        let mut body = self.json_object()?;
        match body.remove("properties") {
            None => Ok((None, top_level_fields(body))),
            Some(properties @ Value::Object(_)) => Ok((Some(properties), top_level_fields(body))),
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

/// A body's top-level fields a resource keeps: all but the read-only ones the service sets.
fn top_level_fields(mut body: Map<String, Value>) -> Map<String, Value> {
    for read_only in ["id", "name", "type", "etag", "systemData"] {
        body.remove(read_only);
    }
    body
}

/// The token of an `Authorization: Bearer <token>` value (the scheme in any case).
fn bearer_token(value: &HeaderValue) -> Option<&str> {
    let (scheme, token) = value.to_str().ok()?.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// Whether `headers` carry this emulator's `token`, as [`Request::authorize`] requires.
pub(crate) fn is_authenticated(headers: &HeaderMap, token: &str) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(bearer_token)
        .is_some_and(|sent| sent == token)
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

/// `.../service/{svc}/templates/{name}`.
fn is_email_template(path: &ArmPath) -> bool {
    matches!(path.pairs.as_slice(), [(service, _), (kind, _)]
        if service == "service" && kind.eq_ignore_ascii_case("templates"))
        && path.tail.is_none()
}

/// 200, or 204 where the description's existence check answers that
/// (`ProductApi_CheckEntityExists`).
fn head_status(operation: Option<&Operation>) -> StatusCode {
    match operation {
        Some(operation) if !operation.answers(200) => StatusCode::NO_CONTENT,
        _ => StatusCode::OK,
    }
}

/// Parents every service has and no client creates: the tenant's access and git
/// configuration, the portal settings, the notifications and email templates (fixed names),
/// a user's `confirmations/password`, and `locations/{location}` at the subscription level.
fn built_in(kind: &str) -> bool {
    [
        "tenant",
        "portalsettings",
        "notifications",
        "templates",
        "confirmations",
        "locations",
    ]
    .iter()
    .any(|built_in| kind.eq_ignore_ascii_case(built_in))
}

/// The resources above the one `path` is about that a request to it needs (see
/// [`Request::require_parents`]), each with its key. Built-in parents that every service
/// has and no client creates (see [`built_in`]), and parents no operation of the
/// description creates (`quotas/{counterKey}`), are not required.
fn required_parents(path: &ArmPath) -> Vec<(ArmPath, Key)> {
    // Without a tail the last pair is the resource itself (or, for
    // `tenant/{access}/git/regeneratePrimaryKey`, holds the action).
    let len = match &path.tail {
        Some(_) => path.pairs.len(),
        None => path.pairs.len().saturating_sub(1),
    };
    (1..=len)
        .filter(|&end| !built_in(&path.pairs[end - 1].0))
        .map(|end| path.ancestor(end))
        .filter(description::creatable)
        .filter_map(|parent| {
            let key = parent.resource_key()?;
            Some((parent, key))
        })
        .collect()
}

/// The keys of [`required_parents`], for a write to check in the same step as it stores.
fn parent_keys(path: &ArmPath) -> Vec<Key> {
    required_parents(path)
        .into_iter()
        .map(|(_, key)| key)
        .collect()
}

/// [`parent_keys`], each whatever resource is there when the write happens.
fn any_parents(path: &ArmPath) -> Vec<Parent> {
    parent_keys(path).into_iter().map(Parent::any).collect()
}

/// 400 for a documented operation whose required query parameters were not all sent
/// (`Reports_ListByApi` without `$filter`, `ApiExport_Get` with `export` but no `format`).
fn missing_query(missing: &[&str]) -> ArmError {
    let names: Vec<String> = missing.iter().map(|name| format!("'{name}'")).collect();
    ArmError::validation(
        missing.first().copied().unwrap_or_default(),
        match names.as_slice() {
            [one] => format!("The query parameter {one} is required for this request."),
            _ => format!(
                "The query parameters {} are required for this request.",
                names.join(" and ")
            ),
        },
    )
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
        StoreError::ParentNotFound(index) => match required_parents(path).get(index) {
            Some((parent, _)) => not_found(parent),
            None => not_found(path),
        },
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
    match &path.resource_group {
        Some(group) => ArmError::not_found(format!(
            "The Resource 'Microsoft.ApiManagement{resource}' under resource group '{group}' was not found."
        )),
        None => ArmError::not_found(format!(
            "The Resource 'Microsoft.ApiManagement{resource}' was not found."
        )),
    }
}

/// ARM's answer to a POST no operation of the namespace has: the action is taken as a
/// resource type it does not know.
fn unknown_action(path: &ArmPath, api_version: &str) -> ArmError {
    let mut kind: Vec<&str> = path.pairs.iter().map(|(kind, _)| kind.as_str()).collect();
    kind.extend(path.tail.as_deref());
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
