//! Cost of building one reconnect request, from arguments to a `reqwest::Request` ready to
//! send (URL, headers, token, request id, JSON body): the code `#[apim_operation]`
//! generates against the same request written by hand.
//!
//! ```text
//! cargo bench --bench request_build
//! ```
//!
//! The generated side is the real expansion: the operation is declared with
//! `crate = shim`, where `shim` is `apim_client` with the final send replaced by a function
//! that returns the built request instead of sending it.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use apim_client::models::BackendReconnectRequest;
use apim_client::{ApimClient, ApimClientOptions, StaticTokenCredential};
use futures_util::FutureExt;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use serde::Serialize;

const ITERATIONS: u32 = 200_000;
const ROUNDS: usize = 5;
const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";

/// `apim_client` with the send step swapped for "build and hand back".
mod shim {
    pub(crate) use apim_client::{ApimClient, Result};

    pub(crate) mod __private {
        pub(crate) use apim_client::__private::{Method, Operation, RequestBuilder, rules};

        pub(crate) async fn send_empty(request: RequestBuilder<'_>) -> apim_client::Result<()> {
            std::hint::black_box(apim_client::__private::build_http_request(request).await?);
            Ok(())
        }
    }
}

trait Generated {
    #[apim_client::apim_operation(POST, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/backends/<backend_id>/reconnect", status = [202], crate = shim)]
    async fn backend_reconnect(
        &self,
        resource_group_name: &str,
        service_name: &str,
        backend_id: &str,
        #[body] parameters: Option<&BackendReconnectRequest>,
    ) -> shim::Result<()>;
}

impl Generated for ApimClient {}

/// What a careful person writes by hand for the same request.
struct HandWritten {
    endpoint: String,
    authorization: HeaderValue,
}

#[derive(Serialize)]
struct Body<'a> {
    properties: Properties<'a>,
}

#[derive(Serialize)]
struct Properties<'a> {
    after: &'a str,
}

impl HandWritten {
    fn build(&self, resource_group: &str, service: &str, backend: &str) -> reqwest::Request {
        let url = format!(
            "{}/subscriptions/{SUBSCRIPTION}/resourceGroups/{resource_group}/providers/Microsoft.ApiManagement/service/{service}/backends/{backend}/reconnect?api-version=2024-05-01",
            self.endpoint
        );
        let mut request = reqwest::Request::new(
            reqwest::Method::POST,
            reqwest::Url::parse(&url).expect("url"),
        );
        let headers = request.headers_mut();
        headers.insert(AUTHORIZATION, self.authorization.clone());
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let id = uuid::Uuid::new_v4().to_string();
        headers.insert(
            "x-ms-client-request-id",
            HeaderValue::from_str(&id).expect("uuid"),
        );
        let body = serde_json::to_vec(&Body {
            properties: Properties { after: "PT2M" },
        })
        .expect("json");
        *request.body_mut() = Some(body.into());
        request
    }
}

fn main() {
    let options = ApimClientOptions {
        endpoint: "https://management.azure.com".into(),
        ..Default::default()
    };
    let client = ApimClient::new(
        SUBSCRIPTION,
        Arc::new(StaticTokenCredential::new("bench-token")),
        Some(options),
    )
    .expect("client");
    let parameters = BackendReconnectRequest::after(Duration::from_secs(120));
    let mut authorization = HeaderValue::from_static("Bearer bench-token");
    authorization.set_sensitive(true);
    let hand = HandWritten {
        endpoint: "https://management.azure.com".into(),
        authorization,
    };

    let generated = || {
        let future = client.backend_reconnect(
            black_box("rg1"),
            black_box("apimService1"),
            black_box("proxybackend"),
            Some(&parameters),
        );
        future
            .now_or_never()
            .expect("building never waits")
            .expect("generated build");
    };
    let handwritten = || {
        black_box(hand.build(
            black_box("rg1"),
            black_box("apimService1"),
            black_box("proxybackend"),
        ));
    };
    let generated_ns = median_ns(generated);
    let hand_ns = median_ns(handwritten);
    println!("build one reconnect request ({ITERATIONS} iterations, median of {ROUNDS} rounds):");
    println!("  hand-written reqwest: {hand_ns:8.0} ns");
    println!(
        "  #[apim_operation]:    {generated_ns:8.0} ns   ratio {:.2} (goal <= 1.2)",
        generated_ns / hand_ns
    );
    println!(
        "  (the generated side includes validating the three names and the token cache lookup)"
    );
}

fn median_ns(mut build: impl FnMut()) -> f64 {
    for _ in 0..ITERATIONS / 10 {
        build();
    }
    let mut rounds: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let started = Instant::now();
            for _ in 0..ITERATIONS {
                build();
            }
            started.elapsed().as_nanos() as f64 / f64::from(ITERATIONS)
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[ROUNDS / 2]
}
