//! The accept loop and the per-request wrapper around the ARM handler.
//!
//! A custom loop on hyper (rather than `axum::serve`) lets the request service fail, which
//! is how a `DropConnection` fault closes the connection without any response. The wrapper
//! also does what applies to every request: fault injection (for authenticated requests
//! only), the request log, and the `x-ms-request-id` / `x-ms-client-request-id` headers.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderName, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::arm::{self, RequestId};
use crate::error::ArmError;
use crate::faults::{self, Fault};
use crate::ids;
use crate::log::{RecordedRequest, recorded_header};
use crate::state::{Shared, lock};
use crate::throttle::Decision;

/// The largest request body accepted; larger ones are answered 413.
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-ms-request-id");
const CORRELATION_ID: HeaderName = HeaderName::from_static("x-ms-correlation-request-id");
const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("x-ms-client-request-id");

/// Accepts connections until `shutdown` changes (or its sender is dropped). Returning
/// drops the `JoinSet`, which aborts every open connection.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<()>,
) {
    let router = arm::router(shared.clone());
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = shutdown.changed() => break,
            accepted = listener.accept() => {
                // Accept errors (e.g. too many open files) are transient: keep serving.
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let (shared, router) = (shared.clone(), router.clone());
                let service = service_fn(move |request| handle(shared.clone(), router.clone(), request));
                connections.spawn(async move {
                    // A failed connection (a dropped fault, a client gone) concerns only itself.
                    let _ = http1::Builder::new().timer(TokioTimer::new()).serve_connection(TokioIo::new(stream), service).await;
                });
            }
            // Reap finished connections so the set does not grow without bound.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// Returned by the service to make hyper close the connection without a response.
#[derive(Debug)]
struct DroppedByFault;

impl fmt::Display for DroppedByFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for DroppedByFault {}

async fn handle(
    shared: Arc<Shared>,
    router: Router,
    request: Request<Incoming>,
) -> Result<Response, DroppedByFault> {
    let request_id = ids::request_id();
    let (mut parts, body) = request.into_parts();
    // Log on arrival (so the log is in arrival order) and complete the entry when answered.
    let seq = lock(&shared.requests).push(RecordedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| recorded_header(name.as_str(), value.as_bytes()))
            .collect(),
        body: Vec::new(),
        body_len: 0,
        body_truncated: false,
        status: 0,
        request_id: request_id.clone(),
    });
    // ARM authenticates before anything else (and throttles per principal): a request
    // without the token is answered 401 by the handler and leaves the faults to those
    // that carry it.
    let authenticated = arm::is_authenticated(&parts.headers, &shared.token);
    // ARM's buckets, when on, count authenticated requests; a refused one uses no fault.
    let throttled = authenticated
        .then(|| {
            lock(&shared.throttle)
                .as_mut()
                .map(|t| t.take(&parts.method, parts.uri.path(), &shared.token))
        })
        .flatten();
    let refused = throttled.as_ref().is_some_and(Decision::is_refused);
    let fault = if authenticated && !refused {
        lock(&shared.faults).pop_front()
    } else {
        None
    };
    let client_request_id = parts.headers.get(&CLIENT_REQUEST_ID).cloned();
    let correlation_id = parts.headers.get(&CORRELATION_ID).cloned();

    let (body, mut response) = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => {
            let body = collected.to_bytes();
            let response = match fault {
                _ if refused => {
                    shared.throttled.fetch_add(1, Ordering::Relaxed);
                    throttled
                        .as_ref()
                        .map(Decision::refusal)
                        .unwrap_or_else(|| StatusCode::TOO_MANY_REQUESTS.into_response())
                }
                Some(Fault::DropConnection) => {
                    complete(&shared, seq, &body, 0);
                    return Err(DroppedByFault);
                }
                Some(Fault::Status {
                    status,
                    retry_after,
                }) => faults::status_response(status, retry_after.as_ref()),
                delay_or_none => {
                    if let Some(Fault::Delay(delay)) = delay_or_none {
                        tokio::time::sleep(delay).await;
                    }
                    parts.extensions.insert(RequestId(request_id.clone()));
                    call(router, Request::from_parts(parts, Body::from(body.clone()))).await
                }
            };
            (body, response)
        }
        Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => {
            let error = ArmError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "RequestEntityTooLarge",
                format!("The request body is larger than {MAX_BODY_BYTES} bytes."),
            );
            (Bytes::new(), error.into_response())
        }
        // The client went away mid-body: there is no one to answer.
        Err(_) => {
            complete(&shared, seq, &[], 0);
            return Err(DroppedByFault);
        }
    };

    if let Some(decision) = &throttled {
        decision.annotate(&mut response);
    }
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        // Like ARM: the correlation id is the caller's, if it sent one.
        headers.insert(
            CORRELATION_ID,
            correlation_id.unwrap_or_else(|| value.clone()),
        );
        headers.insert(REQUEST_ID, value);
    }
    if let Some(value) = client_request_id {
        headers.insert(CLIENT_REQUEST_ID, value);
    }
    complete(&shared, seq, &body, response.status().as_u16());
    Ok(response)
}

async fn call(router: Router, request: Request<Body>) -> Response {
    match router.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// Fills in the log entry made on arrival, unless it has since been pushed out of the log.
fn complete(shared: &Shared, seq: u64, body: &[u8], status: u16) {
    let mut line = None;
    lock(&shared.requests).update(seq, |entry| {
        entry.set_body(body);
        entry.status = status;
        if shared.request_sink.is_some() {
            line = Some(entry.to_json());
        }
    });
    if let (Some(sink), Some(line)) = (&shared.request_sink, line) {
        sink.write(&line);
    }
}
