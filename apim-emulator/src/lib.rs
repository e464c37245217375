//! A local emulator of the Azure Resource Manager endpoint for API Management.
//!
//! [`Emulator::start`] binds a real HTTP server to `127.0.0.1` on an ephemeral port. It
//! answers the 2024-05-01 API's paths (read from the checked-in description): resources
//! under
//! `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ApiManagement/service/{svc}/...`,
//! the top-level gateways (`.../Microsoft.ApiManagement/gateways/{gateway}/...`), and the
//! subscription-level paths (`.../providers/Microsoft.ApiManagement/service`, `gateways`,
//! `deletedservices`, `locations/{location}/deletedservices/{svc}`,
//! `checkNameAvailability`, `getDomainOwnershipIdentifier`, `skus`), and the provider's
//! operation list (`/providers/Microsoft.ApiManagement/operations`). It stores resources as
//! JSON and answers the way the real service does: it requires `api-version` and the bearer
//! token from [`Emulator::token`], validates names (the resource group and service as ARM
//! does, every other path name with the constraints the description documents for that
//! operation's placeholder, read from the description itself and not from the client's
//! rule table: 400 `ValidationError` with the placeholder as `target`)
//! and required query parameters, returns
//! ARM error bodies, keeps ETags and honours `If-Match` (compared strongly, as RFC 9110
//! asks, and required where the description requires it: most updates and deletes answer
//! 400 `ValidationError` targeting `If-Match` without one; send `*` for an unconditional
//! change), pages lists with `nextLink`, runs
//! the long-running operations as described [below](#long-running-operations), and answers
//! each of the description's 47 actions with its documented shape ([below](#actions)).
//!
//! # Parents
//!
//! As in APIM, a resource's parents must exist: creating, reading, listing, updating,
//! deleting or acting on `.../service/{svc}/apis/a/operations/o` answers 404
//! `ResourceNotFound` naming the first missing one (`.../service/{svc}`, then `apis/a`). So
//! the service must exist before anything in it: create it with `PUT .../service/{svc}` (a
//! long-running operation) or seed it. Parents every service has and no client creates are
//! not checked (`tenant/{access}`, `portalsettings/...`, `notifications/{name}`,
//! `templates/{name}`), nor are parents no operation creates (`quotas/{counterKey}`). A
//! link (`products/{p}/apis/{a}`) needs its parents, not the resource it links. Deleting a
//! resource deletes everything under it. A resource's `id` is its path, its `name` the last
//! segment and its `type` the path's types (`Microsoft.ApiManagement/service/apis/operations`).
//!
//! [`Emulator::put_json`] (seeding) is the exception: it creates the parents a path lacks,
//! empty, so one call seeds `.../apis/a/operations/o` and the service above it.
//!
//! A service is returned as APIM fills it in: `gatewayUrl` (`https://{svc}.azure-api.net`),
//! `portalUrl`, `developerPortalUrl`, `managementApiUrl`, `scmUrl`, `gatewayRegionalUrl`,
//! `publicIPAddresses`, `createdAtUtc`, `platformVersion`, `sku`, `location`, `tags` and
//! `etag`; its create answers `Created` (target `Activating`) and ends `Succeeded`. Deleting
//! a service leaves it under `locations/{location}/deletedservices/{svc}` until purged.
//! Top-level gateways and their config connections get their hostnames likewise.
//!
//! It is an independent test oracle: it shares no code with the client. Tests can seed
//! resources ([`Emulator::put_json`]), read the request log ([`Emulator::requests`]) and
//! make the next requests fail ([`Emulator::inject`]).
//!
//! ```
//! use apim_emulator::{Emulator, Fault};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let emulator = Emulator::start().await?;
//! let backend = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/svc/backends/b1";
//! emulator
//!     .put_json(backend, serde_json::json!({"url": "https://example.invalid", "protocol": "http"}))
//!     .expect("a valid resource path");
//!
//! // The next request answers 429 with `Retry-After: 1`; the one after it is handled normally.
//! emulator.inject(Fault::throttle(1), 1);
//!
//! // Send requests to `emulator.endpoint()` with `Authorization: Bearer {emulator.token()}`
//! // and `?api-version=2024-05-01`, then inspect what arrived:
//! assert!(emulator.endpoint().starts_with("http://127.0.0.1:"));
//! assert!(emulator.requests().is_empty());
//! assert!(emulator.reconnects().is_empty());
//! emulator.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! # Actions
//!
//! Each of the 47 actions (POST) answers with its documented code and model, and data
//! consistent with the store: `listSecrets`/`listValue`/`listKeys` return what the resource
//! was stored with (tenant access has its keys from the service's creation, as APIM has it),
//! `regenerate*Key` replaces that key, `listReferences` finds the stored policies that
//! include the fragment, `checkNameAvailability` reports a stored service's name as taken,
//! tokens and sign-in URLs have APIM's shapes (`{user}&{yyyyMMddHHmm}&{signature}`,
//! `GatewayKey {gateway}&...`, `https://{svc}.developer.azure-api.net/signin-sso?token=...`),
//! and `reconnect` is recorded ([`Emulator::reconnects`]). The long-running ones (`backup`,
//! `restore`, `migrateToStv2`, `applynetworkconfigurationupdates`, a named value's
//! `refreshSecret`) end with the resource they act on; `connectivityCheck`,
//! `validatePolicies` and the git configuration's `deploy`/`save`/`validate` with their own
//! result (`ConnectivityCheckResponse`, `OperationResultContract`). A POST the description
//! does not have answers 404 `InvalidResourceType`, as ARM does. Reports (`reports/by*`)
//! answer an empty list: the emulator sees no gateway traffic. The SKU lists answer a fixed
//! catalogue of APIM's tiers.
//!
//! # Long-running operations
//!
//! The operations the REST description marks long-running (38 in 2024-05-01, e.g.
//! `Api_CreateOrUpdate`, `User_Delete`, `ApiManagementService_Backup`; the table is
//! generated from the checked-in description) follow ARM's async contract. The first
//! answer (PUT 201, or 200 when replacing, with the resource
//! `"provisioningState": "InProgress"` (a service `"Created"`), or 202 without a body where
//! the description says so; PATCH, POST and DELETE 202 without a body) carries
//! `Azure-AsyncOperation` (a status URL, `.../service/{svc}/operationStatuses/{id}`; for a
//! top-level gateway `.../gateways/{gateway}/...`, for a purge
//! `.../locations/{location}/...`), `Location` (a result URL, `.../operationResults/{id}`)
//! and `Retry-After`.
//! The status URL answers 200 with `{"id","name","status","startTime","endTime"?,
//! "percentComplete"?,"error"?}`; the result URL answers 202 until the operation is done,
//! then the final resource (200), 204 after a delete, or the ARM error. The change is applied
//! only when the operation completes, after [`Emulator::set_lro_polls`] polls of either URL:
//! until then a resource being created answers 404, as in APIM. A DELETE of a missing
//! resource answers 204 at once. [`Emulator::set_lro_retry_after`] sets or omits
//! `Retry-After`, and [`Emulator::inject_lro`] makes the next operations fail, cancel, or
//! answer 404 to their first polls ([`LroFault`]).
//!
//! A test that starts the emulator, seeds a service, makes its next backup fail, follows
//! the operation and reads the log:
//!
//! ```
//! use apim_emulator::{Emulator, LroFault};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let emulator = Emulator::start().await?;
//! let service = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/svc";
//! emulator.put_json(service, serde_json::json!({"publisherName": "Contoso"}))?;
//! emulator.set_lro_polls(1);
//! emulator.inject_lro(
//!     LroFault::Failed {
//!         code: "BackupFailed".into(),
//!         message: "The storage account refused the backup.".into(),
//!     },
//!     1,
//! );
//!
//! let http = reqwest::Client::new();
//! let accepted = http
//!     .post(format!("{}{service}/backup?api-version=2024-05-01", emulator.endpoint()))
//!     .bearer_auth(emulator.token())
//!     .header("content-type", "application/json")
//!     .body(r#"{"storageAccount": "acct", "containerName": "c", "backupName": "b"}"#)
//!     .send()
//!     .await?;
//! assert_eq!(accepted.status(), 202);
//! let status_url = accepted.headers()["azure-asyncoperation"].to_str()?.to_string();
//!
//! // One poll sees the backup in progress, the next its injected failure.
//! for expected in ["InProgress", "Failed"] {
//!     let answer = http.get(&status_url).bearer_auth(emulator.token()).send().await?;
//!     let status: serde_json::Value = serde_json::from_slice(&answer.bytes().await?)?;
//!     assert_eq!(status["status"], expected);
//! }
//!
//! let log: Vec<_> = emulator
//!     .requests()
//!     .iter()
//!     .map(|request| (request.method.clone(), request.status))
//!     .collect();
//! assert_eq!(log, [("POST".into(), 202), ("GET".into(), 200), ("GET".into(), 200)]);
//! emulator.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod arm;
mod built_in;
mod certificate;
mod computed;
mod description;
mod duration;
mod emulator;
mod error;
mod faults;
mod ids;
mod list;
mod log;
mod lro;
mod options;
mod path;
mod query;
mod rfc3339;
mod secrets;
mod server;
mod service;
mod state;
mod store;
mod throttle;
mod validate;
mod views;

pub use emulator::{Emulator, InvalidPath};
pub use faults::{Fault, RetryAfter};
pub use log::{
    LOG_MAX_BYTES, LOG_MAX_ENTRIES, RECORDED_BODY_MAX_BYTES, Reconnect, RecordedRequest,
};
pub use lro::LroFault;
pub use options::{
    DEFAULT_RESOURCE_GROUP, DEFAULT_SERVICE_NAME, DEFAULT_SERVICE_PATH, DEFAULT_SUBSCRIPTION_ID,
    EmulatorOptions,
};
pub use throttle::{Bucket, ThrottleOptions};
