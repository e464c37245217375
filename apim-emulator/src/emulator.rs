//! The public handle: start, inspect, inject faults, seed resources, shut down.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::faults::Fault;
use crate::ids;
use crate::log::{Reconnect, RecordedRequest};
use crate::lro::LroFault;
use crate::options::EmulatorOptions;
use crate::path::ArmPath;
use crate::server;
use crate::service;
use crate::state::{Shared, lock};
use crate::store::{Content, Stored};
use crate::throttle::{Throttle, ThrottleOptions};
use crate::validate;
use serde_json::json;

/// A running emulator on `127.0.0.1`. Dropping it (or [`Emulator::shutdown`]) stops the
/// server and closes its connections.
pub struct Emulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    shutdown: Option<watch::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Starts on `127.0.0.1` on an ephemeral port with the default options: the service at
    /// [`DEFAULT_SERVICE_PATH`](crate::DEFAULT_SERVICE_PATH) ready, with what APIM creates
    /// in a new instance, and long-running operations that ask for no wait. Must be called
    /// within a Tokio runtime.
    pub async fn start() -> std::io::Result<Emulator> {
        Emulator::start_with(EmulatorOptions::default()).await
    }

    /// Starts on `127.0.0.1:port` (`0` picks an ephemeral port), with the default options
    /// otherwise. Only loopback is ever bound.
    pub async fn start_on_port(port: u16) -> std::io::Result<Emulator> {
        Emulator::start_with(EmulatorOptions {
            port,
            ..EmulatorOptions::default()
        })
        .await
    }

    /// Starts with `options` (e.g. [`EmulatorOptions::empty`] for no service and no
    /// built-ins). Fails if the port cannot be bound or the request log file cannot be
    /// created.
    pub async fn start_with(options: EmulatorOptions) -> std::io::Result<Emulator> {
        let sink = match &options.request_log {
            Some(path) => Some(crate::log::JsonLines::create(path)?),
            None => None,
        };
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, options.port)).await?;
        let addr = listener.local_addr()?;
        let mut shared = Shared::new(ids::token(), format!("http://{addr}"), &options);
        shared.request_sink = sink;
        let shared = Arc::new(shared);
        let (shutdown, stopped) = watch::channel(());
        let task = tokio::spawn(server::serve(listener, shared.clone(), stopped));
        let emulator = Emulator {
            shared,
            addr,
            shutdown: Some(shutdown),
            task: Some(task),
        };
        if options.default_service {
            let publisher =
                json!({"publisherEmail": "admin@contoso.com", "publisherName": "Contoso"});
            emulator
                .put_json(crate::DEFAULT_SERVICE_PATH, publisher)
                .map_err(std::io::Error::other)?;
        }
        Ok(emulator)
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn endpoint(&self) -> &str {
        &self.shared.endpoint
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The bearer token requests must carry (`Authorization: Bearer <token>`); random per instance.
    pub fn token(&self) -> &str {
        &self.shared.token
    }

    /// The request log in arrival order: the most recent requests, at most
    /// [`LOG_MAX_ENTRIES`](crate::LOG_MAX_ENTRIES) of them and
    /// [`LOG_MAX_BYTES`](crate::LOG_MAX_BYTES) in all, each body cut to
    /// [`RECORDED_BODY_MAX_BYTES`](crate::RECORDED_BODY_MAX_BYTES) (see
    /// [`RecordedRequest::body_truncated`]). A request still being handled, or whose
    /// connection was dropped, has status `0`.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).to_vec()
    }

    /// How many bytes the request log keeps alive now; never more than
    /// [`LOG_MAX_BYTES`](crate::LOG_MAX_BYTES).
    pub fn request_log_bytes(&self) -> usize {
        lock(&self.shared.requests).retained_bytes()
    }

    /// Every accepted reconnect, in order.
    pub fn reconnects(&self) -> Vec<Reconnect> {
        lock(&self.shared.reconnects).to_vec()
    }

    /// The next `count` requests that carry this emulator's token, whatever their path, get
    /// `fault` instead of (or, for a delay, before) normal handling; a request without the
    /// token is answered 401 and uses none, as ARM authenticates first. Faults queue:
    /// injected faults are used first-in, first-out.
    pub fn inject(&self, fault: Fault, count: usize) {
        lock(&self.shared.faults).extend(std::iter::repeat_n(fault, count));
    }

    /// Turns ARM's throttling on with these bucket sizes, every bucket full (or off with
    /// `None`); see [`EmulatorOptions::throttle`].
    pub fn set_throttle(&self, throttle: Option<ThrottleOptions>) {
        *lock(&self.shared.throttle) = throttle.map(Throttle::new);
    }

    /// How many requests the throttling buckets refused (answered 429) so far.
    pub fn throttled_requests(&self) -> u64 {
        self.shared.throttled.load(Ordering::Relaxed)
    }

    /// Forgets every fault not yet used.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// How many polls of a long-running operation answer "in progress" before it completes
    /// (default 2); the next poll sees it finished. Polls are GETs of either its status URL
    /// (`Azure-AsyncOperation`) or its result URL (`Location`). `0` completes an operation at
    /// its first poll. Applies to operations that start afterwards.
    pub fn set_lro_polls(&self, polls: u32) {
        lock(&self.shared.lro_settings).polls = polls;
    }

    /// The `Retry-After` seconds on every answer that asks the client to poll a long-running
    /// operation again (default `Some(0)`: poll again at once); `None` sends no `Retry-After`. Applies to
    /// operations that start afterwards.
    pub fn set_lro_retry_after(&self, seconds: Option<u64>) {
        lock(&self.shared.lro_settings).retry_after = seconds;
    }

    /// The next `count` long-running operations (any of the description's 38, e.g.
    /// `Api_CreateOrUpdate`, `NamedValue_RefreshSecret`, `ApiManagementService_Backup`) each
    /// take one `fault` when they start, after the first answer's checks pass. Faults queue first-in, first-out, apart from [`Emulator::inject`]'s.
    pub fn inject_lro(&self, fault: LroFault, count: usize) {
        lock(&self.shared.lro_faults).extend(std::iter::repeat_n(fault, count));
    }

    /// Forgets every long-running operation fault not yet used.
    pub fn clear_lro_faults(&self) {
        lock(&self.shared.lro_faults).clear();
    }

    /// Creates or replaces the resource at `path` (e.g.
    /// `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/svc/backends/b1`,
    /// percent-encoded like a request path) with these `properties`, and returns it as GET would.
    /// Unlike a request, seeding creates the parents `path` lacks (empty; a service or gateway
    /// with what APIM fills in), so one call seeds a nested resource and its service.
    ///
    /// Fails if `path` does not name a resource the emulator serves, or a name in it is
    /// invalid.
    pub fn put_json(
        &self,
        path: &str,
        properties: serde_json::Value,
    ) -> Result<serde_json::Value, InvalidPath> {
        self.seed_resource(path, properties, serde_json::Map::new())
    }

    /// Like [`Emulator::put_json`], but from a whole resource body as APIM answers it:
    /// `properties` and the top-level fields beside it (`location`, `tags`, `identity`,
    /// `sku`, `zones`...) are kept; `id`, `name`, `type`, `etag` and `systemData` are the
    /// emulator's own and ignored.
    pub fn put_resource(
        &self,
        path: &str,
        body: serde_json::Value,
    ) -> Result<serde_json::Value, InvalidPath> {
        let serde_json::Value::Object(mut body) = body else {
            return Err(InvalidPath("a resource body is a JSON object".into()));
        };
        let properties = body.remove("properties").unwrap_or_else(|| json!({}));
        for own in ["id", "name", "type", "etag", "systemData"] {
            body.remove(own);
        }
        self.seed_resource(path, properties, body)
    }

    fn seed_resource(
        &self,
        path: &str,
        properties: serde_json::Value,
        extra: serde_json::Map<String, serde_json::Value>,
    ) -> Result<serde_json::Value, InvalidPath> {
        let path = resource_path(path).map_err(InvalidPath)?;
        let mut store = lock(&self.shared.store);
        // Seeding creates the missing parents (empty; a service as APIM fills it in), so
        // one call seeds a nested resource. Requests, unlike seeds, need their parents.
        for len in 1..path.pairs.len() {
            let parent = path.ancestor(len);
            let (Some(key), Some(identity)) = (parent.resource_key(), parent.identity()) else {
                continue;
            };
            if store.get(&key).is_none() {
                let content = seed_content(&parent, json!({}), serde_json::Map::new(), None);
                let _ = store.put(&key, &[], identity, content, None);
            }
        }
        let (Some(key), Some(identity)) = (path.resource_key(), path.identity()) else {
            return Err(InvalidPath(format!("'{path:?}' does not name a resource")));
        };
        let properties = if crate::certificate::is_certificate(&path) {
            crate::certificate::read_upload(properties)
                .map_err(|error| InvalidPath(error.message))?
        } else {
            properties
        };
        let content = seed_content(&path, properties, extra, store.get(&key));
        store
            .put(&key, &[], identity, content, None)
            .map(|(stored, _)| stored.to_json())
            .map_err(|error| InvalidPath(format!("{error:?}")))
    }

    /// Seeds every resource of `document` with [`Emulator::put_json`], in order, and says how
    /// many: either an array of `{"path": "...", "properties": {...}}` (or, for a whole body
    /// with its top-level fields, `{"path": "...", "resource": {...}}`, seeded with
    /// [`Emulator::put_resource`]), or an object whose keys are paths and values properties
    /// (the binary's `--seed FILE`).
    pub fn seed(&self, document: &serde_json::Value) -> Result<usize, InvalidPath> {
        let entries: Vec<(&str, Seeded<'_>)> = match document {
            serde_json::Value::Array(items) => items
                .iter()
                .map(|item| {
                    let path = item.get("path").and_then(serde_json::Value::as_str);
                    match (path, item.get("properties"), item.get("resource")) {
                        (Some(path), Some(properties), None) => {
                            Ok((path, Seeded::Properties(properties)))
                        }
                        (Some(path), None, Some(resource)) => {
                            Ok((path, Seeded::Resource(resource)))
                        }
                        _ => Err(InvalidPath(
                            "each seeded item needs a \"path\" string and either a \"properties\" \
                             or a \"resource\" object"
                                .into(),
                        )),
                    }
                })
                .collect::<Result<_, _>>()?,
            serde_json::Value::Object(map) => map
                .iter()
                .map(|(k, v)| (k.as_str(), Seeded::Properties(v)))
                .collect(),
            _ => {
                return Err(InvalidPath(
                    "a seed is an array of {path, properties} or an object of path: properties"
                        .into(),
                ));
            }
        };
        for (path, seeded) in &entries {
            match seeded {
                Seeded::Properties(properties) => self.put_json(path, (*properties).clone())?,
                Seeded::Resource(resource) => self.put_resource(path, (*resource).clone())?,
            };
        }
        Ok(entries.len())
    }

    /// The resource at `path` as GET would return it, if it exists (and `path` is valid).
    pub fn get_json(&self, path: &str) -> Option<serde_json::Value> {
        let key = resource_path(path).ok()?.resource_key()?;
        lock(&self.shared.store)
            .get(&key)
            .map(super::store::Stored::to_json)
    }

    /// Stops accepting connections, closes open ones, and waits for the server task to end.
    pub async fn shutdown(mut self) {
        self.shutdown.take();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.shutdown.take();
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("endpoint", &self.endpoint())
            .finish_non_exhaustive()
    }
}

/// What seeding `properties` at `path` stores: a service or gateway gets what APIM fills in.
/// One entry of a `--seed` document: properties only, or a whole resource body.
enum Seeded<'a> {
    Properties(&'a serde_json::Value),
    Resource(&'a serde_json::Value),
}

fn seed_content(
    path: &ArmPath,
    properties: serde_json::Value,
    extra: serde_json::Map<String, serde_json::Value>,
    previous: Option<&Stored>,
) -> Content {
    let content = Content { properties, extra };
    match service::tracked(path) {
        Some(tracked) => {
            service::complete_tracked(tracked, path, content, previous, "Succeeded", "")
        }
        None => content,
    }
}

/// Parses and validates `path` as a resource (not a collection or action) path.
fn resource_path(path: &str) -> Result<ArmPath, String> {
    let parsed = ArmPath::parse(path).map_err(|e| e.message)?;
    validate::names(&parsed).map_err(|e| e.message)?;
    if parsed.tail.is_some() || parsed.pairs.is_empty() {
        return Err(format!(
            "'{path}' names a collection or an action, not a resource"
        ));
    }
    Ok(parsed)
}

/// [`Emulator::put_json`] was given a path that names no resource, or an invalid name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidPath(String);

impl std::fmt::Display for InvalidPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot seed the emulator: {}", self.0)
    }
}

impl std::error::Error for InvalidPath {}
