//! Sending a prepared request: authentication, the retry loop, one refresh on 401, and the
//! status check that turns an unexpected answer into an [`Error`].

use std::time::Instant;

use backon::Retryable;
use bytes::{Bytes, BytesMut};
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderValue,
};

use crate::__private::Prepared;
use crate::client::ApimClient;
use crate::error::{Error, ErrorKind, Result};
use crate::request_id::new_client_request_id;
use crate::{error_body, retry};

const CLIENT_REQUEST_ID: &str = "x-ms-client-request-id";

/// The largest response body buffered. Management API answers are far smaller (a list
/// page is at most a few MiB); a larger one is a broken or hostile server, not data.
pub(crate) const MAX_RESPONSE_BODY: usize = 16 << 20;

/// A response read in full.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// Why one attempt did not produce a final answer.
#[derive(Debug)]
enum Attempt {
    /// The service answered with a status worth retrying.
    Status(RawResponse),
    /// The request failed on the way.
    Transport(reqwest::Error),
    /// The answer's body is larger than [`MAX_RESPONSE_BODY`]; not retried.
    TooLarge { status: u16 },
}

impl Attempt {
    fn is_retryable(&self) -> bool {
        match self {
            Attempt::Status(_) => true,
            // A timed-out attempt is not retried: the timeout is the user's bound on waiting.
            // Connection failures, resets and interrupted bodies are, as azure_core does.
            Attempt::Transport(e) => e.is_connect() || !e.is_timeout(),
            Attempt::TooLarge { .. } => false,
        }
    }
}

impl ApimClient {
    /// Sends `request` and returns the answer if its status is one the operation expects.
    pub(crate) async fn execute(&self, request: Prepared) -> Result<RawResponse> {
        let client_request_id = new_client_request_id();
        self.execute_with_id(&request, &client_request_id)
            .await
            .map_err(|e| {
                e.in_operation(request.operation.name)
                    .with_client_request_id(client_request_id.to_str().unwrap_or_default())
            })
    }

    async fn execute_with_id(
        &self,
        request: &Prepared,
        client_request_id: &HeaderValue,
    ) -> Result<RawResponse> {
        let authorization = self.auth().authorization().await?;
        let mut response = self
            .send_with_retries(request, &authorization, client_request_id)
            .await?;
        if response.status == 401 {
            // The token may have been revoked or rotated: try once more with a fresh one.
            self.auth().invalidate(&authorization);
            let authorization = self.auth().authorization().await?;
            response = self
                .send_with_retries(request, &authorization, client_request_id)
                .await?;
        }
        tracing::debug!(
            operation = request.operation.name,
            method = %crate::__private::as_reqwest(request.operation.method),
            url = %request.url,
            status = response.status,
            request_id = response.headers.get("x-ms-request-id").and_then(|v| v.to_str().ok()),
            "answered"
        );
        if request.operation.accepts(response.status) {
            Ok(response)
        } else {
            Err(Error::new(ErrorKind::Service(error_body::parse(
                response.status,
                &response.headers,
                &response.body,
            ))))
        }
    }

    async fn send_with_retries(
        &self,
        request: &Prepared,
        authorization: &HeaderValue,
        client_request_id: &HeaderValue,
    ) -> Result<RawResponse> {
        let options = self.retry_options();
        let started = Instant::now();
        let outcome = (|| self.attempt(request, authorization, client_request_id))
            .retry(retry::backoff(options))
            .when(Attempt::is_retryable)
            .adjust(|attempt, backoff| {
                let server_wait = match attempt {
                    Attempt::Status(response) => retry::server_wait(&response.headers),
                    Attempt::Transport(_) | Attempt::TooLarge { .. } => None,
                };
                retry::next_wait(backoff, server_wait, started.elapsed(), options)
            })
            .notify(|attempt, wait| match attempt {
                Attempt::Status(r) => tracing::debug!(
                    operation = request.operation.name,
                    status = r.status,
                    ?wait,
                    "retrying"
                ),
                Attempt::Transport(e) => tracing::debug!(
                    operation = request.operation.name, error = %e, ?wait, "retrying"
                ),
                Attempt::TooLarge { .. } => {}
            })
            .await;
        match outcome {
            Ok(response) | Err(Attempt::Status(response)) => Ok(response),
            Err(Attempt::Transport(e)) if e.is_timeout() && !e.is_connect() => {
                Err(Error::with_source(ErrorKind::Timeout, e))
            }
            Err(Attempt::Transport(e)) => Err(Error::with_source(ErrorKind::Transport, e)),
            Err(Attempt::TooLarge { status }) => Err(Error::new(ErrorKind::BodyTooLarge {
                status,
                limit: MAX_RESPONSE_BODY,
            })),
        }
    }

    async fn attempt(
        &self,
        request: &Prepared,
        authorization: &HeaderValue,
        client_request_id: &HeaderValue,
    ) -> std::result::Result<RawResponse, Attempt> {
        let http_request = http_request(request, authorization, client_request_id);
        let response = self
            .http()
            .execute(http_request)
            .await
            .map_err(Attempt::Transport)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = read_body(response).await?;
        let response = RawResponse {
            status,
            headers,
            body,
        };
        if retry::is_retryable_status(status) {
            Err(Attempt::Status(response))
        } else {
            Ok(response)
        }
    }
}

/// Reads the body, refusing one larger than [`MAX_RESPONSE_BODY`]. A body that arrives in
/// one chunk (the usual case) is returned without a copy.
async fn read_body(mut response: reqwest::Response) -> std::result::Result<Bytes, Attempt> {
    let status = response.status().as_u16();
    if response
        .content_length()
        .is_some_and(|n| n > MAX_RESPONSE_BODY as u64)
    {
        return Err(Attempt::TooLarge { status });
    }
    let mut single: Option<Bytes> = None;
    let mut joined = BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(Attempt::Transport)? {
        let so_far = single.as_ref().map_or(joined.len(), Bytes::len);
        if so_far + chunk.len() > MAX_RESPONSE_BODY {
            return Err(Attempt::TooLarge { status });
        }
        match single.take() {
            None if joined.is_empty() => single = Some(chunk),
            None => joined.extend_from_slice(&chunk),
            Some(first) => {
                joined.extend_from_slice(&first);
                joined.extend_from_slice(&chunk);
            }
        }
    }
    Ok(single.unwrap_or_else(|| joined.freeze()))
}

/// The HTTP request one attempt sends: the prepared request plus the per-call headers.
/// The prepared headers are only the declared header arguments (usually none), so copying
/// them per attempt is cheap; the fixed headers are static values.
fn http_request(
    request: &Prepared,
    authorization: &HeaderValue,
    client_request_id: &HeaderValue,
) -> reqwest::Request {
    let mut http_request = reqwest::Request::new(
        crate::__private::as_reqwest(request.operation.method),
        request.url.clone(),
    );
    let headers = http_request.headers_mut();
    headers.clone_from(&request.headers);
    headers.insert(AUTHORIZATION, authorization.clone());
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    headers.insert(CLIENT_REQUEST_ID, client_request_id.clone());
    match &request.body {
        Some(body) => {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            *http_request.body_mut() = Some(body.clone().into());
        }
        // ARM answers a POST without Content-Length with 411 Length Required.
        None if request.operation.method.carries_body() => {
            headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
        }
        None => {}
    }
    http_request
}

/// For the request-building benchmark: the request exactly as a first attempt would send
/// it (URL, headers, token, request id, body), without sending it.
#[doc(hidden)]
pub async fn build_http_request(
    request: crate::__private::RequestBuilder<'_>,
) -> Result<reqwest::Request> {
    let client = request.client_ref();
    let prepared = request.finish()?;
    let authorization = client.auth().authorization().await?;
    Ok(http_request(
        &prepared,
        &authorization,
        &new_client_request_id(),
    ))
}
