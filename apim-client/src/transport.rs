//! One call on the wire: the token, the retry loop with one fresh token after a 401, the
//! capped body read, and the status check that turns an unexpected answer into an
//! [`Error`]. A call has one budget of retries and time, whatever happens within it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use backon::Retryable;
use bytes::{Bytes, BytesMut};
use reqwest::header::{HeaderMap, HeaderValue};
use tracing::Instrument;

use crate::client::ApimClient;
use crate::error::{Error, ErrorKind, Result};
use crate::request::{Prepared, RequestBuilder};
use crate::request_id::new_client_request_id;
use crate::{error_body, pacing, retry};

/// The largest success body buffered. Management API answers are far smaller (a list
/// page is at most a few MiB); a larger one is a broken or hostile server, not data.
pub(crate) const MAX_RESPONSE_BODY: usize = 16 << 20;

/// An error answer is read up to this much and the rest discarded: enough for any ARM
/// error, and a huge 503 stays a 503 that is retried.
pub(crate) const MAX_ERROR_BODY: usize = 64 << 10;

/// A response read in full (or, for an error answer, up to [`MAX_ERROR_BODY`]).
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
    /// A success body larger than [`MAX_RESPONSE_BODY`]; not retried.
    TooLarge { status: u16 },
    /// No token; the token cache has its own back-off, so not retried here.
    Credential(Error),
    /// The call's time budget (`RetryOptions::max_elapsed`) ran out during the attempt.
    OutOfTime(Duration),
}

impl Attempt {
    fn is_retryable(&self) -> bool {
        match self {
            Attempt::Status(_) => true,
            // A timed-out attempt is not retried: the timeout is the user's bound on waiting.
            // Connection failures, resets and interrupted bodies are, as azure_core does.
            Attempt::Transport(e) => e.is_connect() || !e.is_timeout(),
            Attempt::TooLarge { .. } | Attempt::Credential(_) | Attempt::OutOfTime(_) => false,
        }
    }
}

/// Why a call ended with [`ErrorKind::Timeout`] before its attempt did.
#[derive(Debug)]
struct BudgetSpent(Duration);

impl std::fmt::Display for BudgetSpent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the call's time budget of {:?} (RetryOptions::max_elapsed) ran out",
            self.0
        )
    }
}

impl std::error::Error for BudgetSpent {}

/// What one call remembers across its attempts.
struct Call<'a> {
    client: &'a ApimClient,
    request: &'a Prepared,
    client_request_id: HeaderValue,
    /// A 401 gets one fresh token per call, not one per attempt.
    refreshed: AtomicBool,
    /// Whether anything went out, so only errors of a sent request carry its id.
    sent: AtomicBool,
}

/// Sends `request` and returns the answer if its status is one the operation expects.
pub(crate) async fn execute(client: &ApimClient, request: &Prepared) -> Result<RawResponse> {
    let call = Call {
        client,
        request,
        client_request_id: new_client_request_id(),
        refreshed: AtomicBool::new(false),
        sent: AtomicBool::new(false),
    };
    // Every log line of the call (retries included) names the operation.
    let span = tracing::debug_span!("apim", operation = &*request.name);
    call.run().instrument(span).await.map_err(|e| {
        let e = e.in_operation(request.name.clone());
        if call.sent.load(Ordering::Relaxed) {
            e.with_client_request_id(call.client_request_id.to_str().unwrap_or_default())
        } else {
            e
        }
    })
}

impl Call<'_> {
    async fn run(&self) -> Result<RawResponse> {
        let response = self.with_retries().await?;
        let request = self.request;
        tracing::debug!(
            operation = &*request.name,
            method = request.method.name(),
            url = %request.url,
            status = response.status,
            request_id = response.headers.get("x-ms-request-id").and_then(|v| v.to_str().ok()),
            "answered"
        );
        if request.accepts(response.status) {
            Ok(response)
        } else {
            Err(Error::new(ErrorKind::Service(error_body::parse(
                response.status,
                &response.headers,
                &response.body,
            ))))
        }
    }

    async fn with_retries(&self) -> Result<RawResponse> {
        let options = self.client.retry_options();
        let started = Instant::now();
        let operation = &*self.request.name;
        let outcome = (|| self.attempt_within(started, options.max_elapsed))
            .retry(retry::backoff(options))
            .when(Attempt::is_retryable)
            .adjust(|attempt, backoff| {
                let server_wait = match attempt {
                    Attempt::Status(response) => retry::server_wait(&response.headers),
                    _ => None,
                };
                retry::next_wait(backoff, server_wait, started.elapsed(), options)
            })
            .notify(|attempt, wait| match attempt {
                Attempt::Status(r) => {
                    tracing::debug!(operation, status = r.status, ?wait, "retrying");
                }
                Attempt::Transport(e) => {
                    tracing::debug!(operation, error = %e, ?wait, "retrying");
                }
                Attempt::TooLarge { .. } | Attempt::Credential(_) | Attempt::OutOfTime(_) => {}
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
            Err(Attempt::Credential(e)) => Err(e),
            Err(Attempt::OutOfTime(budget)) => {
                Err(Error::with_source(ErrorKind::Timeout, BudgetSpent(budget)))
            }
        }
    }

    /// One attempt, cut off when the call's time budget runs out: the budget bounds the
    /// whole call, so a retry started just inside it cannot run its full request timeout
    /// past it. The first attempt too: a budget shorter than `request_timeout` wins.
    async fn attempt_within(
        &self,
        started: Instant,
        budget: Duration,
    ) -> std::result::Result<RawResponse, Attempt> {
        let left = budget.saturating_sub(started.elapsed());
        tokio::time::timeout(left, self.attempt())
            .await
            .unwrap_or(Err(Attempt::OutOfTime(budget)))
    }

    /// One attempt; a 401 is answered with one fresh token, within the same attempt, once
    /// per call: the token may have been revoked or rotated.
    async fn attempt(&self) -> std::result::Result<RawResponse, Attempt> {
        let auth = self.client.auth();
        let authorization = auth.authorization().await.map_err(Attempt::Credential)?;
        let mut response = self.send(&authorization).await?;
        if response.status == 401 && !self.refreshed.swap(true, Ordering::Relaxed) {
            auth.invalidate(&authorization);
            let authorization = auth.authorization().await.map_err(Attempt::Credential)?;
            response = self.send(&authorization).await?;
        }
        if retry::is_retryable_status(response.status) {
            Err(Attempt::Status(response))
        } else {
            Ok(response)
        }
    }

    async fn send(&self, authorization: &HeaderValue) -> std::result::Result<RawResponse, Attempt> {
        let paced = self.client.pacer().map(|pacer| {
            let key = pacing::Key::new(self.request.url.path(), self.request.method);
            (pacer, key)
        });
        if let Some((pacer, key)) = &paced {
            pacer.acquire(key).await;
        }
        let response = self.send_now(authorization).await?;
        if let Some((pacer, key)) = &paced {
            let server_wait = (response.status == 429)
                .then(|| retry::server_wait(&response.headers))
                .flatten();
            pacer.observe(key, response.status, &response.headers, server_wait);
        }
        Ok(response)
    }

    async fn send_now(
        &self,
        authorization: &HeaderValue,
    ) -> std::result::Result<RawResponse, Attempt> {
        self.sent.store(true, Ordering::Relaxed);
        let http_request = self.request.to_http(authorization, &self.client_request_id);
        let response = self
            .client
            .http()
            .execute(http_request)
            .await
            .map_err(Attempt::Transport)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = if status < 400 {
            read_body(response, MAX_RESPONSE_BODY, Overflow::Refuse).await?
        } else {
            read_body(response, MAX_ERROR_BODY, Overflow::Truncate).await?
        };
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }
}

/// What to do with a body longer than the limit.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Overflow {
    /// A success body: refuse it ([`Attempt::TooLarge`]).
    Refuse,
    /// An error body: keep the first `limit` bytes and stop reading.
    Truncate,
}

/// Reads the body up to `limit` bytes. A body that arrives in one chunk (the usual case)
/// is returned without a copy.
async fn read_body(
    mut response: reqwest::Response,
    limit: usize,
    overflow: Overflow,
) -> std::result::Result<Bytes, Attempt> {
    let status = response.status().as_u16();
    if overflow == Overflow::Refuse && response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(Attempt::TooLarge { status });
    }
    let mut single: Option<Bytes> = None;
    let mut joined = BytesMut::new();
    while let Some(mut chunk) = response.chunk().await.map_err(Attempt::Transport)? {
        let so_far = single.as_ref().map_or(joined.len(), Bytes::len);
        let over = so_far + chunk.len() > limit;
        if over && overflow == Overflow::Refuse {
            return Err(Attempt::TooLarge { status });
        }
        if over {
            chunk.truncate(limit - so_far);
        }
        match single.take() {
            None if joined.is_empty() => single = Some(chunk),
            None => joined.extend_from_slice(&chunk),
            Some(first) => {
                joined.extend_from_slice(&first);
                joined.extend_from_slice(&chunk);
            }
        }
        if over {
            // The rest is never read; the connection is closed instead of reused.
            break;
        }
    }
    Ok(single.unwrap_or_else(|| joined.freeze()))
}

/// For the request-building benchmark: the request exactly as a first attempt would send
/// it (URL, headers, token, request id, body), without sending it.
pub async fn build_http_request(request: RequestBuilder<'_>) -> Result<reqwest::Request> {
    let client = request.client();
    let prepared = request.finish()?;
    let authorization = client.auth().authorization().await?;
    Ok(prepared.to_http(&authorization, &new_client_request_id()))
}
