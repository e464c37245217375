//! Shared helpers: a started emulator, a plain reqwest client, bounded sends.

use std::future::Future;
use std::time::Duration;

use apim_emulator::{Emulator, EmulatorOptions};
use reqwest::header::HeaderMap;
use reqwest::{Method, RequestBuilder};
use serde_json::Value;

pub(crate) const API_VERSION: &str = "2024-05-01";
pub(crate) const SERVICE: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1";

/// How long any single step may take before the test fails instead of hanging.
pub(crate) const STEP: Duration = Duration::from_secs(15);

pub(crate) fn backends() -> String {
    format!("{SERVICE}/backends")
}

pub(crate) fn backend(id: &str) -> String {
    format!("{SERVICE}/backends/{id}")
}

/// Runs `future`, failing the test if it takes longer than `STEP`.
pub(crate) async fn bounded<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(STEP, future)
        .await
        .expect("step timed out")
}

pub(crate) struct Harness {
    pub emulator: Emulator,
    pub http: reqwest::Client,
}

impl Harness {
    /// A started emulator with the service [`SERVICE`] seeded and nothing in it but what
    /// no request can create (an emulator started empty, then seeded): tests that count
    /// what they made. `tests/emulator/built_in.rs` checks what a default one has.
    pub(crate) async fn new() -> Harness {
        let emulator = bounded(Emulator::start_with(EmulatorOptions::empty()))
            .await
            .expect("emulator starts");
        // Requests need their parents: the service every test works in exists.
        emulator
            .put_json(SERVICE, serde_json::json!({"publisherName": "Contoso"}))
            .expect("a valid service path");
        let http = reqwest::Client::builder()
            .timeout(STEP)
            .build()
            .expect("client builds");
        Harness { emulator, http }
    }

    /// A started emulator with the default options: the default service, with APIM's
    /// built-ins.
    pub(crate) async fn default() -> Harness {
        let emulator = bounded(Emulator::start()).await.expect("emulator starts");
        let http = reqwest::Client::builder()
            .timeout(STEP)
            .build()
            .expect("client builds");
        Harness { emulator, http }
    }

    /// A started emulator with nothing seeded, not even the service, whose services get no
    /// built-ins.
    pub(crate) async fn bare() -> Harness {
        let emulator = bounded(Emulator::start_with(EmulatorOptions::empty()))
            .await
            .expect("emulator starts");
        let http = reqwest::Client::builder()
            .timeout(STEP)
            .build()
            .expect("client builds");
        Harness { emulator, http }
    }

    /// Seeds an empty resource at each of `paths` (and any parent it lacks).
    pub(crate) fn seed(&self, paths: &[String]) {
        for path in paths {
            self.emulator
                .put_json(path, serde_json::json!({}))
                .expect("a valid resource path");
        }
    }

    /// `path` on the emulator with `?api-version=...` (plus `extra_query`, if any).
    pub(crate) fn url(&self, path: &str, extra_query: &str) -> String {
        let mut url = format!(
            "{}{path}?api-version={API_VERSION}",
            self.emulator.endpoint()
        );
        if !extra_query.is_empty() {
            url.push('&');
            url.push_str(extra_query);
        }
        url
    }

    /// An authenticated request with api-version.
    pub(crate) fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, self.url(path, ""))
            .bearer_auth(self.emulator.token())
    }

    pub(crate) async fn get(&self, path: &str) -> Resp {
        send(self.request(Method::GET, path)).await
    }

    pub(crate) async fn put(&self, path: &str, body: &Value) -> Resp {
        send(json_body(self.request(Method::PUT, path), body)).await
    }

    pub(crate) async fn put_backend(&self, id: &str, url: &str) -> Resp {
        let resp = self
            .put(
                &backend(id),
                &serde_json::json!({"properties": {"url": url, "protocol": "http"}}),
            )
            .await;
        assert!(matches!(resp.status, 200 | 201), "put {id}: {resp:?}");
        resp
    }
}

pub(crate) fn json_body(request: RequestBuilder, body: &Value) -> RequestBuilder {
    request
        .header("content-type", "application/json")
        .body(serde_json::to_vec(body).expect("serialisable"))
}

/// A fully read response.
#[derive(Debug)]
pub(crate) struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("ASCII header"))
    }

    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {:?}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// Asserts an ARM error of this status and code, and returns its `error` object.
    pub(crate) fn arm_error(&self, status: u16, code: &str) -> Value {
        assert_eq!(self.status, status, "{self:?}");
        assert_eq!(
            self.header("content-type"),
            Some("application/json; charset=utf-8")
        );
        let body = self.json();
        let error = &body["error"];
        assert_eq!(error["code"], code, "{body}");
        assert!(
            error["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{body}"
        );
        assert_eq!(error["details"], serde_json::json!([]), "{body}");
        error.clone()
    }
}

/// Sends and reads the whole response within `STEP`, and checks the header every
/// response must carry: a fresh UUID-like `x-ms-request-id`.
pub(crate) async fn send(request: RequestBuilder) -> Resp {
    bounded(async {
        let response = request
            .send()
            .await
            .expect("request succeeds at the transport level");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.expect("body reads").to_vec();
        let resp = Resp {
            status,
            headers,
            body,
        };
        let request_id = resp
            .header("x-ms-request-id")
            .unwrap_or_else(|| panic!("no x-ms-request-id: {resp:?}"));
        assert!(
            is_uuid(request_id),
            "request id {request_id:?} is not a UUID"
        );
        resp
    })
    .await
}

pub(crate) fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}
