//! Long-running operations over HTTP, after ARM's async contract: the first answer (PUT
//! 201/200 with the resource `InProgress`, PATCH/POST/DELETE 202) carries
//! `Azure-AsyncOperation` (the status URL), `Location` (the result URL) and `Retry-After`;
//! polls of those URLs report progress, then the outcome.

use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value, json};

use super::{Request, method_not_allowed, not_found, resource_key, resource_response, store_error};
use crate::description::Operation;
use crate::error::{ArmError, empty_response, json_response};
use crate::ids;
use crate::lro::operations::{Effect, Scope, Snapshot, Status};
use crate::path::ArmPath;
use crate::query::encode;
use crate::rfc3339;
use crate::service;
use crate::state::lock;
use crate::store::{Key, StoreError, Stored, if_match_allows};

const AZURE_ASYNC_OPERATION: HeaderName = HeaderName::from_static("azure-asyncoperation");

/// What a path segment keeps unencoded: RFC 3986's unreserved characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Which of an operation's two URLs a request polls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Monitor {
    /// `Azure-AsyncOperation`: the operation status resource.
    Status,
    /// `Location`: 202 until done, then the operation's result.
    Result,
}

impl Monitor {
    fn segment(self) -> &'static str {
        match self {
            Monitor::Status => "operationStatuses",
            Monitor::Result => "operationResults",
        }
    }
}

/// `.../service/{svc}/operationStatuses/{id}` or `.../operationResults/{id}`: which one, and
/// the operation id.
pub(super) fn monitor(path: &ArmPath) -> Option<(Monitor, &str)> {
    let [_, (kind, id)] = path.pairs.as_slice() else {
        return None;
    };
    if path.tail.is_some() {
        return None;
    }
    [Monitor::Status, Monitor::Result]
        .into_iter()
        .find(|monitor| kind.eq_ignore_ascii_case(monitor.segment()))
        .map(|monitor| (monitor, id.as_str()))
}

/// What the first answer says, and what the operation will do when it succeeds.
struct Accepted {
    status: StatusCode,
    body: Option<Value>,
    effect: Effect,
}

impl Request<'_> {
    /// Checks the request as the service does before accepting it (answering errors at
    /// once), then starts the operation and answers first.
    pub(super) fn start_long_running(
        &self,
        operation: &Operation,
        path: &ArmPath,
        api_version: &str,
    ) -> Result<Response, ArmError> {
        let key = resource_key(path)?;
        let accepted = match operation.method {
            "PUT" => self.accept_put(path, key, operation)?,
            "PATCH" => self.accept_patch(path, key)?,
            "DELETE" => match self.accept_delete(path, key, operation)? {
                Some(accepted) => accepted,
                // Nothing to delete: ARM answers at once, with no operation.
                None => return Ok(empty_response(StatusCode::NO_CONTENT)),
            },
            _ => self.accept_action(path, key, operation)?,
        };
        Ok(self.begin(path, accepted, api_version))
    }

    /// A GET of an operation's status or result URL: one poll.
    pub(super) fn poll_operation(
        &self,
        path: &ArmPath,
        monitor: Monitor,
        operation_id: &str,
        api_version: &str,
    ) -> Result<Response, ArmError> {
        if self.method != Method::GET {
            return Err(method_not_allowed(self.method, "GET"));
        }
        let scope = scope_of(path);
        let snapshot = lock(&self.shared.operations)
            .poll(&scope, operation_id, &self.shared.store)
            .ok_or_else(|| operation_not_found(operation_id))?;
        let links = Links::new(&self.shared.endpoint, &scope, operation_id, api_version);
        Ok(match monitor {
            Monitor::Status => status_answer(&scope, operation_id, &snapshot),
            Monitor::Result => result_answer(&links, &snapshot),
        })
    }

    fn begin(&self, path: &ArmPath, accepted: Accepted, api_version: &str) -> Response {
        let settings = *lock(&self.shared.lro_settings);
        let fault = lock(&self.shared.lro_faults).pop_front();
        let operation_id = ids::request_id();
        let scope = scope_of(path);
        let links = Links::new(&self.shared.endpoint, &scope, &operation_id, api_version);
        lock(&self.shared.operations).start(&operation_id, scope, accepted.effect, settings, fault);
        let mut response = match accepted.body {
            Some(body) => json_response(accepted.status, &body),
            None => empty_response(accepted.status),
        };
        let headers = response.headers_mut();
        insert_url(headers, AZURE_ASYNC_OPERATION, &links.status);
        insert_url(headers, header::LOCATION, &links.result);
        insert_retry_after(headers, settings.retry_after);
        response
    }

    /// PUT: 201 (or 200 when replacing) with the resource as it will be, `InProgress`; 202
    /// without a body where the description's first answer is 202.
    fn accept_put(
        &self,
        path: &ArmPath,
        key: Key,
        operation: &Operation,
    ) -> Result<Accepted, ArmError> {
        let content = self.put_content(path)?;
        let if_match = self.if_match()?;
        let identity = path.identity().ok_or_else(|| not_found(path))?;
        let store = lock(&self.shared.store);
        // The parents it is accepted under: at completion, the same ones must still be there.
        let parents = store.parents_now(super::parent_keys(path));
        let existing = store.get(&key);
        if !if_match_allows(if_match, existing.map(|stored| stored.etag.as_str())) {
            return Err(store_error(StoreError::PreconditionFailed, path));
        }
        // A soft-deleted service keeps its name: creating it again is a conflict unless the
        // create restores it (`properties.restore`), which ends the deleted record.
        let mut restored = None;
        if service::tracked(path) == Some(service::Tracked::Service)
            && existing.is_none()
            && let Some(deleted) = service::soft_deleted(&store, path)
        {
            if content.properties.get("restore") != Some(&Value::Bool(true)) {
                return Err(service::soft_deleted_conflict(path));
            }
            restored = Some(deleted);
        }
        let status = accepted_put_status(operation, existing.is_some());
        // A replaced resource keeps the name casing it was created with.
        let identity = existing.map_or(identity, |stored| stored.identity.clone());
        // A service answers as APIM's does: `Created` (or `Updating`) while it activates,
        // with every read-only property already set.
        let (pending, done) = if let Some(tracked) = service::tracked(path) {
            let (state, target) = match (tracked, existing) {
                (service::Tracked::ConfigConnection, _) => ("InProgress", ""),
                (_, None) => ("Created", "Activating"),
                (_, Some(_)) => ("Updating", "Succeeded"),
            };
            let complete = |content, state, target| {
                service::complete_tracked(tracked, path, content, existing, state, target)
            };
            (
                complete(content.clone(), state, target),
                complete(content, "Succeeded", ""),
            )
        } else {
            let mut pending = content.clone();
            pending.properties = with_provisioning_state(pending.properties, "InProgress");
            let mut done = content;
            done.properties = with_provisioning_state(done.properties, "Succeeded");
            (pending, done)
        };
        drop(store);
        if let Some(deleted) = restored {
            let _ = lock(&self.shared.store).delete(&deleted, None);
        }
        let pending = Stored {
            identity: identity.clone(),
            properties: pending.properties,
            extra: pending.extra,
            etag: String::new(),
            created: 0,
        };
        Ok(Accepted {
            status,
            body: (status != StatusCode::ACCEPTED).then(|| pending.to_json()),
            effect: Effect::Put {
                key,
                parents,
                identity,
                content: done,
                if_match: if_match.map(str::to_owned),
            },
        })
    }

    /// PATCH: 202; the resource must exist now.
    fn accept_patch(&self, path: &ArmPath, key: Key) -> Result<Accepted, ArmError> {
        let (patch, extra) = self.patch_content()?;
        let patch = patch.unwrap_or_else(|| json!({}));
        let if_match = self.if_match()?;
        let store = lock(&self.shared.store);
        let existing = store.get(&key).ok_or_else(|| not_found(path))?;
        if !if_match_allows(if_match, Some(&existing.etag)) {
            return Err(store_error(StoreError::PreconditionFailed, path));
        }
        Ok(Accepted {
            status: StatusCode::ACCEPTED,
            body: None,
            effect: Effect::Patch {
                key,
                resource_id: existing.identity.id.clone(),
                properties: with_provisioning_state(patch, "Succeeded"),
                extra,
                if_match: if_match.map(str::to_owned),
            },
        })
    }

    /// DELETE: 202 when the resource exists, `None` when it does not.
    fn accept_delete(
        &self,
        path: &ArmPath,
        key: Key,
        operation: &Operation,
    ) -> Result<Option<Accepted>, ArmError> {
        let if_match = self.if_match()?;
        let store = lock(&self.shared.store);
        let Some(existing) = store.get(&key) else {
            return Ok(None);
        };
        if !if_match_allows(if_match, Some(&existing.etag)) {
            return Err(store_error(StoreError::PreconditionFailed, path));
        }
        // A deleted service stays listed under `deletedservices` until purged.
        let tombstone = if service::is_service(path) {
            service::tombstone(path, existing)
        } else {
            None
        };
        Ok(Some(Accepted {
            status: StatusCode::ACCEPTED,
            body: None,
            effect: Effect::Delete {
                key,
                tombstone,
                answer: answers_deleted(operation),
                if_match: if_match.map(str::to_owned),
            },
        }))
    }

    /// POST `{resource}/{action}`: 202; the result is the resource the action is on, which
    /// must exist.
    fn accept_action(
        &self,
        path: &ArmPath,
        key: Key,
        operation: &Operation,
    ) -> Result<Accepted, ArmError> {
        let accepted = |effect| Accepted {
            status: StatusCode::ACCEPTED,
            body: None,
            effect,
        };
        match operation.operation_id {
            "ApiManagementService_Backup" | "ApiManagementService_Restore" => {
                backup_parameters(&self.json_object()?)?;
            }
            "PerformConnectivityCheckAsync" => {
                let body = connectivity_check(&self.json_object()?, path)?;
                return Ok(accepted(Effect::Respond { body }));
            }
            "PolicyRestrictionValidations_ByService" => {
                let body = operation_result(path, "Policies are valid.");
                return Ok(accepted(Effect::Respond { body }));
            }
            "TenantConfiguration_Deploy"
            | "TenantConfiguration_Save"
            | "TenantConfiguration_Validate" => {
                let branch = git_branch(&self.json_object()?)?;
                let info = match operation.operation_id {
                    "TenantConfiguration_Deploy" => {
                        format!(
                            "Changes from branch '{branch}' are deployed to the configuration database."
                        )
                    }
                    "TenantConfiguration_Save" => {
                        format!("The configuration is saved to branch '{branch}'.")
                    }
                    _ => format!("The changes in branch '{branch}' are valid."),
                };
                return Ok(accepted(Effect::Respond {
                    body: operation_result(path, &info),
                }));
            }
            _ => {}
        }
        let store = lock(&self.shared.store);
        let existing = store.get(&key).ok_or_else(|| not_found(path))?;
        let resource_id = existing.identity.id.clone();
        Ok(accepted(match operation.operation_id {
            // The service moves to the stv2 platform.
            "ApiManagementService_MigrateToStv2" => Effect::Patch {
                key,
                resource_id,
                properties: json!({"platformVersion": "stv2"}),
                extra: Map::new(),
                if_match: None,
            },
            _ => Effect::ReadBack { key, resource_id },
        }))
    }
}

/// `ConnectivityCheckRequest`: `source.region` and `destination.address`/`port` are
/// required. The answer (`ConnectivityCheckResponse`) finds the destination reachable in
/// two hops, from the service to the internet.
fn connectivity_check(body: &Map<String, Value>, path: &ArmPath) -> Result<Value, ArmError> {
    let region = body
        .get("source")
        .and_then(|source| source.get("region"))
        .and_then(Value::as_str);
    if region.is_none_or(str::is_empty) {
        return Err(ArmError::validation(
            "source.region",
            "'source.region' is required.",
        ));
    }
    let destination = body.get("destination");
    let address = destination
        .and_then(|destination| destination.get("address"))
        .and_then(Value::as_str)
        .filter(|address| !address.is_empty());
    let port = destination
        .and_then(|destination| destination.get("port"))
        .and_then(Value::as_u64);
    let (Some(address), Some(_)) = (address, port) else {
        return Err(ArmError::validation(
            "destination",
            "'destination.address' and 'destination.port' are required.",
        ));
    };
    let service_id = path
        .ancestor(1)
        .identity()
        .map(|identity| identity.id)
        .unwrap_or_default();
    let (source, internet) = (ids::request_id(), ids::request_id());
    Ok(json!({
        "hops": [
            {"type": "Source", "id": source, "address": "10.0.0.4", "resourceId": service_id,
             "nextHopIds": [internet], "issues": []},
            {"type": "Internet", "id": internet, "address": address, "nextHopIds": [], "issues": []},
        ],
        "connectionStatus": "Connected",
        "avgLatencyInMs": 5,
        "minLatencyInMs": 3,
        "maxLatencyInMs": 9,
        "probesSent": 10,
        "probesFailed": 0,
    }))
}

/// The required `properties.branch` of a git configuration deploy, save or validate.
fn git_branch(body: &Map<String, Value>) -> Result<String, ArmError> {
    body.get("properties")
        .and_then(|properties| properties.get("branch"))
        .and_then(Value::as_str)
        .filter(|branch| !branch.is_empty())
        .map(str::to_string)
        .ok_or_else(|| {
            ArmError::validation("properties.branch", "'properties.branch' is required.")
        })
}

/// An `OperationResultContract` that succeeded now, with `info` as its `resultInfo`.
fn operation_result(path: &ArmPath, info: &str) -> Value {
    let id = ids::request_id();
    let service_id = path
        .ancestor(1)
        .identity()
        .map(|identity| identity.id)
        .unwrap_or_default();
    let now = rfc3339::format(std::time::SystemTime::now());
    json!({
        "id": format!("{service_id}/tenant/configuration/operationResults/{id}"),
        "name": id,
        "type": "Microsoft.ApiManagement/service/tenant/operationResults",
        "properties": {
            "id": id,
            "status": "Succeeded",
            "started": now,
            "updated": now,
            "resultInfo": info,
            "actionLog": [],
        },
    })
}

/// The first answer to a long-running PUT, from the description's codes: 202 where the
/// service only accepts (`PrivateEndpointConnection_CreateOrUpdate`), else 201 for a new
/// resource and 200 for a replaced one, unless the description has only 201
/// (`PortalRevision_CreateOrUpdate`).
fn accepted_put_status(operation: &Operation, replacing: bool) -> StatusCode {
    if operation.answers(202) {
        StatusCode::ACCEPTED
    } else if replacing && operation.answers(200) {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    }
}

/// `ApiManagementServiceBackupRestoreParameters`: `storageAccount`, `containerName` and
/// `backupName` are required strings.
fn backup_parameters(body: &Map<String, Value>) -> Result<(), ArmError> {
    for field in ["storageAccount", "containerName", "backupName"] {
        match body.get(field) {
            Some(Value::String(text)) if !text.is_empty() => {}
            _ => {
                return Err(ArmError::validation(
                    field,
                    format!("'{field}' is required and must be a non-empty string."),
                ));
            }
        }
    }
    Ok(())
}

fn with_provisioning_state(mut properties: Value, state: &str) -> Value {
    if let Value::Object(map) = &mut properties {
        map.insert("provisioningState".to_string(), state.into());
    }
    properties
}

/// The subscription, resource group and service named by `path`, as spelled there.
fn scope_of(path: &ArmPath) -> Scope {
    let (kind, name) = path.pairs.first().cloned().unwrap_or_default();
    [
        path.subscription.clone(),
        path.group().to_string(),
        kind,
        name,
    ]
}

/// The absolute status and result URLs of one operation.
struct Links {
    status: String,
    result: String,
}

impl Links {
    fn new(endpoint: &str, scope: &Scope, operation_id: &str, api_version: &str) -> Links {
        let url = |monitor| {
            let path = monitor_path(scope, monitor, operation_id, |segment| {
                utf8_percent_encode(segment, SEGMENT).to_string()
            });
            format!("{endpoint}{path}?api-version={}", encode(api_version))
        };
        Links {
            status: url(Monitor::Status),
            result: url(Monitor::Result),
        }
    }
}

/// `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.ApiManagement/service/{svc}/{monitor}/{id}`
/// (or `gateways/{gateway}/...`, or at the subscription level `locations/{location}/...`),
/// each name passed through `name`.
fn monitor_path(
    scope: &Scope,
    monitor: Monitor,
    operation_id: &str,
    name: impl Fn(&str) -> String,
) -> String {
    let [subscription, group, kind, resource] = scope;
    let group = if group.is_empty() {
        String::new()
    } else {
        format!("/resourceGroups/{}", name(group))
    };
    format!(
        "/subscriptions/{}{group}/providers/Microsoft.ApiManagement/{kind}/{}/{}/{}",
        name(subscription),
        name(resource),
        monitor.segment(),
        name(operation_id),
    )
}

/// The operation status resource: always 200; `Retry-After` while in progress.
fn status_answer(scope: &Scope, operation_id: &str, snapshot: &Snapshot) -> Response {
    let mut body = json!({
        "id": monitor_path(scope, Monitor::Status, operation_id, str::to_string),
        "name": operation_id,
        "status": snapshot.status.name(),
        "startTime": rfc3339::format(snapshot.started),
    });
    if let Some(ended) = snapshot.ended {
        body["endTime"] = rfc3339::format(ended).into();
    }
    match &snapshot.status {
        Status::InProgress { percent_complete } => {
            body["percentComplete"] = (*percent_complete).into();
        }
        Status::Failed(error) => {
            body["error"] = json!({"code": error.code, "message": error.message, "details": []});
        }
        Status::Succeeded(_) | Status::Responded(_) | Status::Canceled => {}
    }
    let mut response = json_response(StatusCode::OK, &body);
    if matches!(snapshot.status, Status::InProgress { .. }) {
        insert_retry_after(response.headers_mut(), snapshot.retry_after);
    }
    response
}

/// The result URL: 202 while in progress, then the outcome.
fn result_answer(links: &Links, snapshot: &Snapshot) -> Response {
    match &snapshot.status {
        Status::InProgress { .. } => {
            let mut response = empty_response(StatusCode::ACCEPTED);
            insert_url(response.headers_mut(), header::LOCATION, &links.result);
            insert_retry_after(response.headers_mut(), snapshot.retry_after);
            response
        }
        Status::Succeeded(Some(resource)) => resource_response(StatusCode::OK, resource, true),
        Status::Succeeded(None) => empty_response(StatusCode::NO_CONTENT),
        Status::Responded(body) => json_response(StatusCode::OK, body),
        Status::Failed(error) => error_response(error.status, &error.code, &error.message),
        Status::Canceled => error_response(
            StatusCode::CONFLICT,
            "OperationCanceled",
            "The operation was canceled.",
        ),
    }
}

/// An ARM error body with a code chosen at run time (an injected fault's).
fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    json_response(
        status,
        &json!({"error": {"code": code, "message": message, "details": []}}),
    )
}

fn operation_not_found(operation_id: &str) -> ArmError {
    ArmError::not_found(format!(
        "The operation '{operation_id}' was not found: it never started here, or is no longer remembered."
    ))
}

fn insert_url(headers: &mut HeaderMap, name: HeaderName, url: &str) {
    // Built from percent-encoded segments and an encoded query: always a valid value.
    if let Ok(value) = HeaderValue::from_str(url) {
        headers.insert(name, value);
    }
}

fn insert_retry_after(headers: &mut HeaderMap, seconds: Option<u64>) {
    if let Some(seconds) = seconds {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
}

/// The long-running deletes whose description gives the final answer a model (the
/// resource): their result URL answers 200 with the resource as it was deleted, where the
/// others answer 204.
fn answers_deleted(operation: &Operation) -> bool {
    matches!(
        operation.operation_id,
        "ApiGateway_Delete" | "ApiManagementService_Delete" | "DeletedServices_Purge"
    )
}
