//! 64 concurrent clients doing mixed creates, updates and deletes under shared parents:
//! nothing acknowledged is lost, and nothing is left (or brought back) under a parent that
//! was deleted, including by a long-running create completing after its parent's delete.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Harness, SERVICE, json_body, send};

const CLIENTS: usize = 64;
const ROUNDS: usize = 24;
/// Parents never deleted: each client's own children there must end as it last left them.
const STABLE: usize = 4;
/// Parents deleted and created again while clients write under them.
const VOLATILE: usize = 4;

/// A small deterministic generator (xorshift), one per client: no dependency, repeatable.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

#[derive(Default)]
struct Counts {
    requests: AtomicUsize,
    conflicts: AtomicUsize,
    not_found: AtomicUsize,
}

fn gateway(kind: &str, i: usize) -> String {
    format!("{SERVICE}/gateways/{kind}{i}")
}

fn api(i: usize) -> String {
    format!("{SERVICE}/apis/va{i}")
}

/// What one client knows at the end about a child it owns.
enum Last {
    /// Its last write was acknowledged with this host name.
    Written(String),
    /// Its last change was a delete, or a write refused (parent missing, operation failed).
    Absent,
}

struct Client {
    id: usize,
    http: reqwest::Client,
    endpoint: String,
    token: String,
    counts: Arc<Counts>,
}

impl Client {
    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> crate::common::Resp {
        self.counts.requests.fetch_add(1, Ordering::Relaxed);
        let url = format!("{}{path}?api-version=2024-05-01", self.endpoint);
        let mut request = self
            .http
            .request(method.clone(), url)
            .bearer_auth(&self.token);
        if method != Method::GET && method != Method::PUT {
            request = request.header("if-match", "*");
        }
        let answer = match body {
            Some(body) => send(json_body(request, &body)).await,
            None => send(request).await,
        };
        match answer.status {
            404 => self.counts.not_found.fetch_add(1, Ordering::Relaxed),
            409 | 412 => self.counts.conflicts.fetch_add(1, Ordering::Relaxed),
            _ => 0,
        };
        answer
    }

    /// Follows a long-running answer to its end (a bounded number of polls): its status.
    async fn finish(&self, answer: &crate::common::Resp) -> String {
        let Some(status_url) = answer.header("azure-asyncoperation") else {
            return "Succeeded".into();
        };
        let status_url = status_url.to_string();
        for _ in 0..10 {
            self.counts.requests.fetch_add(1, Ordering::Relaxed);
            let poll = send(self.http.get(&status_url).bearer_auth(&self.token)).await;
            let status = poll.json()["status"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            if status != "InProgress" {
                return status;
            }
        }
        panic!("the operation at {status_url} did not end in 10 polls");
    }

    /// A stale `If-Match`: answered 412, and changes nothing.
    async fn stale_update(&self, path: &str) {
        self.counts.requests.fetch_add(1, Ordering::Relaxed);
        let url = format!("{}{path}?api-version=2024-05-01", self.endpoint);
        let request = self
            .http
            .request(Method::PATCH, url)
            .bearer_auth(&self.token)
            .header("if-match", "\"stale\"");
        let answer = send(json_body(
            request,
            &json!({"properties": {"hostname": "never.example"}}),
        ))
        .await;
        assert!(matches!(answer.status, 404 | 412), "{answer:?}");
        if answer.status == 412 {
            self.counts.conflicts.fetch_add(1, Ordering::Relaxed);
        } else {
            self.counts.not_found.fetch_add(1, Ordering::Relaxed);
        }
    }

    async fn run(self) -> Vec<(String, Last)> {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ ((self.id as u64 + 1) * 0x1000_0001));
        let mut own: std::collections::BTreeMap<String, Last> = Default::default();
        for round in 0..ROUNDS {
            let j = rng.below(3);
            let host = format!("c{}-{round}.example", self.id);
            let body = json!({"properties": {"hostname": host, "certificateId": null}});
            match rng.below(10) {
                // Own children under the stable parents: create or replace, update, delete.
                0..=2 => {
                    let path = format!(
                        "{}/hostnameConfigurations/c{}x{j}",
                        gateway("stable", (self.id + j) % STABLE),
                        self.id
                    );
                    let answer = self.call(Method::PUT, &path, Some(body)).await;
                    assert!(matches!(answer.status, 200 | 201), "{answer:?}");
                    self.stale_update(&path).await;
                    own.insert(path, Last::Written(host));
                }
                3 => {
                    let path = format!(
                        "{}/hostnameConfigurations/c{}x{j}",
                        gateway("stable", (self.id + j) % STABLE),
                        self.id
                    );
                    let answer = self.call(Method::DELETE, &path, None).await;
                    assert!(matches!(answer.status, 200 | 204), "{answer:?}");
                    own.insert(path, Last::Absent);
                }
                // Own children under the volatile parents, which others delete.
                4..=6 => {
                    let path = format!(
                        "{}/hostnameConfigurations/c{}v{j}",
                        gateway("volatile", rng.below(VOLATILE)),
                        self.id
                    );
                    let answer = self.call(Method::PUT, &path, Some(body)).await;
                    let last = match answer.status {
                        200 | 201 => Last::Written(host),
                        404 => Last::Absent,
                        _ => panic!("{answer:?}"),
                    };
                    own.insert(path, last);
                }
                // A long-running create under an API that others delete.
                7 => {
                    let path = format!("{}/schemas/c{}s{j}", api(rng.below(VOLATILE)), self.id);
                    let schema = json!({"properties": {"contentType": "application/json", "document": {"value": host}}});
                    let answer = self.call(Method::PUT, &path, Some(schema)).await;
                    let last = match answer.status {
                        200 | 201 if self.finish(&answer).await == "Succeeded" => {
                            Last::Written(host)
                        }
                        200 | 201 | 404 => Last::Absent,
                        _ => panic!("{answer:?}"),
                    };
                    own.insert(path, last);
                }
                // Deleting a shared parent, then creating it again.
                8 => {
                    let path = gateway("volatile", rng.below(VOLATILE));
                    self.call(Method::DELETE, &path, None).await;
                    let answer = self
                        .call(
                            Method::PUT,
                            &path,
                            Some(json!({"properties": {"locationData": {"name": "here"}}})),
                        )
                        .await;
                    assert!(matches!(answer.status, 200 | 201), "{answer:?}");
                }
                _ => {
                    let path = api(rng.below(VOLATILE));
                    let deleted = self.call(Method::DELETE, &path, None).await;
                    if deleted.status == 202 {
                        self.finish(&deleted).await;
                    }
                    let body = json!({"properties": {"displayName": "v", "path": format!("v{}", self.id), "protocols": ["https"]}});
                    let created = self.call(Method::PUT, &path, Some(body)).await;
                    assert!(matches!(created.status, 200 | 201), "{created:?}");
                    self.finish(&created).await;
                }
            }
        }
        own.into_iter().collect()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_clients_lose_nothing_and_leave_no_orphan() {
    let h = Harness::new().await;
    h.emulator.set_lro_polls(1);
    for i in 0..STABLE.max(VOLATILE) {
        let location = json!({"locationData": {"name": "here"}});
        h.emulator
            .put_json(&gateway("stable", i), location.clone())
            .unwrap();
        h.emulator
            .put_json(&gateway("volatile", i), location)
            .unwrap();
        h.emulator
            .put_json(
                &api(i),
                json!({"displayName": "v", "path": format!("va{i}")}),
            )
            .unwrap();
    }
    let counts = Arc::new(Counts::default());
    let started = std::time::Instant::now();
    let clients = (0..CLIENTS).map(|id| {
        let client = Client {
            id,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(15))
                .build()
                .expect("client builds"),
            endpoint: h.emulator.endpoint().to_string(),
            token: h.emulator.token().to_string(),
            counts: counts.clone(),
        };
        tokio::spawn(client.run())
    });
    let finished = tokio::time::timeout(Duration::from_secs(120), futures_join(clients.collect()))
        .await
        .expect("the load ends within 120 s");
    let elapsed = started.elapsed();

    let mut lost = Vec::new();
    let mut resurrected = Vec::new();
    for (path, last) in finished.into_iter().flatten() {
        let answer = h.get(&path).await;
        let under_stable = path.contains("/gateways/stable");
        match (last, answer.status) {
            (Last::Written(host), 200) => {
                let body = answer.json();
                let found = body["properties"]["hostname"]
                    .as_str()
                    .or_else(|| body["properties"]["document"]["value"].as_str());
                if under_stable && found != Some(host.as_str()) {
                    lost.push(path);
                }
            }
            // Written, then gone with a parent someone deleted: only under a volatile parent.
            (Last::Written(_), 404) if !under_stable => {}
            (Last::Absent, 404) => {}
            (Last::Absent, 200) => resurrected.push(path),
            (_, status) => lost.push(format!("{path}: {status}")),
        }
    }
    // A parent that is gone must have taken its children with it: created again empty, it
    // lists none.
    let mut orphans = 0;
    for i in 0..VOLATILE {
        for (parent, children) in [
            (gateway("volatile", i), "hostnameConfigurations"),
            (api(i), "schemas"),
        ] {
            if h.get(&parent).await.status == 404 {
                h.emulator.put_json(&parent, json!({})).unwrap();
                let listed = h.get(&format!("{parent}/{children}")).await.json();
                orphans += listed["value"].as_array().map_or(0, Vec::len);
            }
        }
    }
    let requests = counts.requests.load(Ordering::Relaxed);
    let conflicts = counts.conflicts.load(Ordering::Relaxed);
    let not_found = counts.not_found.load(Ordering::Relaxed);
    println!(
        "load: {CLIENTS} clients, {requests} requests in {elapsed:?}, {conflicts} conflicts (412), \
         {not_found} not found (parent deleted), {} lost, {} resurrected, {orphans} orphans",
        lost.len(),
        resurrected.len()
    );
    assert!(lost.is_empty(), "lost: {lost:?}");
    assert!(resurrected.is_empty(), "resurrected: {resurrected:?}");
    assert_eq!(orphans, 0);
    assert!(requests >= CLIENTS * ROUNDS, "{requests} requests");
    assert!(conflicts > 0, "the stale updates were answered 412");
}

/// Awaits every task; a panicked client fails the test with its message.
async fn futures_join<T>(handles: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut results = Vec::with_capacity(handles.len());
    for handle in handles {
        results.push(handle.await.expect("a client panicked"));
    }
    results
}
