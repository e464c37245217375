//! `Poller<T>`: a long-running operation, followed to its end.
//!
//! `poller.await` gives the final answer as a [`Response<T>`] (status, headers and the
//! final resource, or `()`), the same shape as a plain operation; [`Poller::next_status`] (or the
//! [`Stream`] of statuses) reports progress on the way. Polling follows ARM's contract
//! ([`crate::lro`]): `Azure-AsyncOperation`, then `Operation-Location`, then `Location`,
//! then (for a PUT or PATCH) the resource's own `provisioningState`; a DELETE or POST whose
//! first answer is 200, 201 or 204 without a polling header is done, whatever its body
//! says. A `Location` that a 202 poll answers with is polled next. Between polls it waits
//! what `Retry-After` says, or [`PollingOptions`](crate::PollingOptions)'s default, never
//! less than its minimum (but for its first few waits on a loopback endpoint), and stops at
//! its time limit. Every poll goes through the same retries, token
//! refresh and timeouts as any request, and only to the endpoint's origin. Dropping the
//! poller stops polling: nothing runs in the background.

use std::borrow::Cow;
use std::fmt;
use std::future::{Future, IntoFuture, poll_fn};
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_core::Stream;
use reqwest::header::HeaderMap;

use crate::client::ApimClient;
use crate::decode::{Decode, ResponseBody, decode_with, final_decoder};
use crate::error::{Error, ErrorKind, Result};
use crate::lro::{self, FinalState, OperationState, PollStatus, PollTarget, Track};
use crate::request::{Method, Prepared, RequestBuilder};
use crate::response::Response;
use crate::retry;
use crate::transport::{RawResponse, execute};

/// The answers a poll reads; anything else is an error (404 is tolerated for a while).
const POLL_ANSWERS: &[u16] = &[200, 201, 202, 204];
/// The answers the final read accepts.
const FINAL_ANSWERS: &[u16] = &[200, 201, 204];
/// How many 404s in a row a poll URL may answer before they count: APIM's `Location` can
/// point at a resource that appears only when the operation (an API import) ends.
const MAX_NOT_FOUND: u32 = 10;

/// A long-running operation. Await it for the final answer (a [`Response<T>`]: status,
/// headers, ETag and the final resource), or read its statuses first.
///
/// ```no_run
/// # use apim_client::{Poller, Result};
/// # async fn run(poller: Poller<()>) -> Result<()> {
/// let mut poller = poller;
/// while let Some(status) = poller.next_status().await {
///     let status = status?;
///     println!("{:?} {:?}", status.state, status.percent_complete);
/// }
/// let done = poller.await?; // the final answer, now that the statuses ended
/// println!("{}", done.status());
/// # Ok(())
/// # }
/// ```
pub struct Poller<T> {
    core: Option<Core>,
    step: Option<Step>,
    decode: Decode<T>,
    token: Option<String>,
}

type Step = Pin<Box<dyn Future<Output = (Core, Option<Result<PollStatus>>)> + Send>>;

struct Core {
    client: ApimClient,
    stage: Stage,
    started: Instant,
    /// The wait before the next poll.
    wait: Duration,
    /// 404s answered in a row.
    not_found: u32,
    /// Waits computed so far (see [`PollingOptions::wait`](crate::PollingOptions)).
    waits: u32,
}

enum Stage {
    /// The first request, not sent yet.
    First(Box<Result<Prepared>>, FinalState),
    Polling(Track),
    /// Succeeded; the final answer's body waits to be decoded.
    Finished(Cow<'static, str>, RawResponse),
    /// Ended with an error, or the final body was taken.
    Done,
}

// Nothing is pinned in place, so `Poller` is `Unpin` whatever `T` is.
impl<T> Unpin for Poller<T> {}

impl<T: ResponseBody + Send + 'static> Poller<T> {
    fn with_stage(client: ApimClient, stage: Stage, wait: Duration) -> Self {
        Poller {
            core: Some(Core {
                client,
                stage,
                started: Instant::now(),
                wait,
                not_found: 0,
                waits: 0,
            }),
            step: None,
            decode: final_decoder::<T>(),
            token: None,
        }
    }

    /// Re-attaches to a long-running operation from a [`resume_token`](Self::resume_token),
    /// e.g. in a later run of a command-line tool. The token is checked: its URLs must be
    /// on `client`'s endpoint origin, so a token cannot send the credential elsewhere.
    pub fn resume(client: &ApimClient, token: &str) -> Result<Self> {
        let refuse = |why: &str| {
            Error::new(ErrorKind::Polling(
                format!("the resume token is not valid: {why}").into(),
            ))
        };
        let bytes = azure_core::base64::decode_url_safe(token.trim())
            .map_err(|_| refuse("not base64url"))?;
        let track: Track = serde_json::from_slice(&bytes).map_err(|_| refuse("not a token"))?;
        if track.method().is_none() {
            return Err(refuse("unknown method"));
        }
        check_origins(client, &track)?;
        Ok(Self::with_stage(
            client.clone(),
            Stage::Polling(track),
            Duration::ZERO,
        ))
    }

    /// The next status, or `None` once the operation has ended (successfully: then await
    /// the poller for the final answer). An error ends the statuses.
    pub async fn next_status(&mut self) -> Option<Result<PollStatus>> {
        poll_fn(|cx| self.poll_status(cx)).await
    }

    /// A token to re-attach to this operation with [`Poller::resume`], once the first
    /// answer arrived and while the operation runs. It holds the URLs to poll, no secret.
    pub fn resume_token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    fn poll_status(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<PollStatus>>> {
        if self.step.is_none() {
            let Some(core) = self.core.take() else {
                return Poll::Ready(None);
            };
            self.step = Some(Box::pin(core.step()));
        }
        let Some(step) = self.step.as_mut() else {
            return Poll::Ready(None);
        };
        let (core, status) = ready!(step.as_mut().poll(cx));
        self.step = None;
        self.token = match &core.stage {
            Stage::Polling(track) => resume_token(track),
            _ => None,
        };
        self.core = Some(core);
        Poll::Ready(status)
    }

    /// The final answer, once the statuses have ended.
    fn take_final(&mut self) -> Result<Response<T>> {
        let stage = self
            .core
            .as_mut()
            .map(|core| std::mem::replace(&mut core.stage, Stage::Done));
        match stage {
            Some(Stage::Finished(operation, answer)) => {
                let model = decode_with(self.decode, &operation, &answer.body)?;
                Ok(Response::new(answer.status, answer.headers, model))
            }
            _ => Err(Error::new(ErrorKind::Polling(
                "the operation already ended with an error, or its result was taken".into(),
            ))),
        }
    }
}

impl<T: ResponseBody + Send + 'static> IntoFuture for Poller<T> {
    type Output = Result<Response<T>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<Response<T>>> + Send>>;

    /// Polls to the end and reads the final answer.
    fn into_future(mut self) -> Self::IntoFuture {
        Box::pin(async move {
            while let Some(status) = self.next_status().await {
                status?;
            }
            self.take_final()
        })
    }
}

impl<T: ResponseBody + Send + 'static> Stream for Poller<T> {
    type Item = Result<PollStatus>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_status(cx)
    }
}

impl Core {
    /// Sends the first request or one poll, and says what it learned. Any error ends it.
    async fn step(mut self) -> (Self, Option<Result<PollStatus>>) {
        let outcome = match std::mem::replace(&mut self.stage, Stage::Done) {
            Stage::First(first, final_state) => self.start(*first, final_state).await,
            Stage::Polling(track) => self.poll(track).await,
            stage @ (Stage::Finished(..) | Stage::Done) => {
                self.stage = stage;
                return (self, None);
            }
        };
        (self, Some(outcome))
    }

    async fn start(
        &mut self,
        first: Result<Prepared>,
        final_state: FinalState,
    ) -> Result<PollStatus> {
        let request = first?;
        let response = execute(&self.client, &request).await?;
        let (monitor, location) = lro::polling_headers(&response.headers);
        let track = Track {
            operation: request.name.clone(),
            method: request.method.name().to_owned(),
            original: request.url.to_string(),
            monitor,
            location,
            final_state,
        };
        check_origins(&self.client, &track)?;
        let state = lro::provisioning_state(&response.body);
        let has_header = track.monitor.is_some() || track.location.is_some();
        let puts = matches!(request.method, Method::Put | Method::Patch);
        if !has_header {
            match &state {
                _ if response.status == 202 && !puts => {
                    return Err(polling_error(
                        &track,
                        "the service answered 202 without Azure-AsyncOperation, Operation-Location or Location: there is nothing to poll",
                    ));
                }
                // A DELETE or POST has no resource of its own to poll (its URL may not
                // even answer GET): a final answer is final, whatever its body says, as
                // ARM's contract and the Azure SDKs have it.
                _ if !puts => {
                    self.stage = Stage::Finished(track.operation, response);
                    return Ok(succeeded());
                }
                // PUT/PATCH: the resource itself tells when it is done.
                Some(OperationState::Running(_)) => {}
                _ if response.status == 202 => {}
                Some(OperationState::Failed | OperationState::Canceled) => {
                    return Err(ended(&track, state, &response));
                }
                Some(OperationState::Succeeded) | None => {
                    self.stage = Stage::Finished(track.operation, response);
                    return Ok(succeeded());
                }
            }
        }
        self.wait = self.next_wait(Some(&response.headers));
        let status = match state {
            Some(state @ OperationState::Running(_)) => PollStatus {
                state,
                percent_complete: None,
            },
            _ if response.status == 202 => PollStatus::running("Accepted"),
            _ => PollStatus::running("InProgress"),
        };
        self.stage = Stage::Polling(track);
        Ok(status)
    }

    async fn poll(&mut self, mut track: Track) -> Result<PollStatus> {
        let limit = self.client.polling_options().max_duration;
        // The wait is the server's: saturating, so `Retry-After: 18446744073709551615`
        // ends polling with an error instead of overflowing.
        if self.started.elapsed().saturating_add(self.wait) > limit {
            return Err(Error::new(ErrorKind::PollingTimedOut).in_operation(track.operation));
        }
        tokio::time::sleep(self.wait).await;
        let (target, url) = track.poll_target();
        let response = match self.get(&track, url, POLL_ANSWERS).await {
            Err(e) if e.status() == Some(404) && self.not_found < MAX_NOT_FOUND => {
                self.not_found += 1;
                self.wait = self.next_wait(None);
                self.stage = Stage::Polling(track);
                return Ok(PollStatus::running("NotFound"));
            }
            other => other?,
        };
        self.not_found = 0;
        let status = match target {
            PollTarget::Monitor => lro::monitor_status(&response.body).ok_or_else(|| {
                polling_error(
                    &track,
                    "the status answer has neither `status` nor `properties.provisioningState`",
                )
            })?,
            PollTarget::Location if response.status == 202 => {
                // The service may move the operation: the next poll goes where it says
                // (azure-core's location polling), on the endpoint's origin only.
                if let (_, Some(location)) = lro::polling_headers(&response.headers) {
                    on_origin(&self.client, &track, &location)?;
                    track.location = Some(location);
                }
                PollStatus::running("InProgress")
            }
            PollTarget::Location => succeeded(),
            PollTarget::Original => match lro::provisioning_state(&response.body) {
                None => succeeded(),
                Some(state) => PollStatus {
                    state,
                    percent_complete: None,
                },
            },
        };
        match status.state {
            OperationState::Running(_) => {
                self.wait = self.next_wait(Some(&response.headers));
                self.stage = Stage::Polling(track);
                Ok(status)
            }
            OperationState::Succeeded => {
                let answer = self.final_answer(&track, target, response).await?;
                self.stage = Stage::Finished(track.operation, answer);
                Ok(status)
            }
            OperationState::Failed | OperationState::Canceled => {
                Err(ended(&track, Some(status.state), &response))
            }
        }
    }

    /// The final answer, read where [`Track::final_target`] says; the answer just polled
    /// when that is where it is, without its body when there is no final resource.
    async fn final_answer(
        &self,
        track: &Track,
        polled: PollTarget,
        last: RawResponse,
    ) -> Result<RawResponse> {
        let without_body = |last: RawResponse| RawResponse {
            body: Bytes::new(),
            ..last
        };
        match track.final_target() {
            None => Ok(without_body(last)),
            Some((target, _)) if target == polled => Ok(last),
            Some((_, url)) => match self.get(track, url, FINAL_ANSWERS).await {
                Ok(response) => Ok(response),
                // A deleted resource is gone, as asked.
                Err(e) if e.status() == Some(404) && track.method() == Some(Method::Delete) => {
                    Ok(without_body(last))
                }
                Err(e) => Err(e),
            },
        }
    }

    /// A GET of `url`, which must be on the endpoint's origin, kept exactly as the service
    /// wrote it (its api-version included).
    async fn get(&self, track: &Track, url: &str, success: &'static [u16]) -> Result<RawResponse> {
        let url = on_origin(&self.client, track, url)?;
        execute(
            &self.client,
            &Prepared::get(track.operation.clone(), url, success),
        )
        .await
    }

    /// The server's `Retry-After` (or kin), else the default; never below the minimum
    /// but for the first few waits on a loopback endpoint ([`PollingOptions::wait`](crate::PollingOptions)).
    fn next_wait(&mut self, headers: Option<&HeaderMap>) -> Duration {
        let options = self.client.polling_options();
        let server = headers.and_then(retry::server_wait);
        let wait = options.wait(server, self.client.is_loopback(), self.waits);
        self.waits = self.waits.saturating_add(1);
        wait
    }
}

fn succeeded() -> PollStatus {
    PollStatus {
        state: OperationState::Succeeded,
        percent_complete: None,
    }
}

/// The error of an operation that ended `Failed` or `Canceled`.
fn ended(track: &Track, state: Option<OperationState>, response: &RawResponse) -> Error {
    let error = lro::status_error(response.status, &response.headers, &response.body);
    let kind = match state {
        Some(OperationState::Canceled) => ErrorKind::OperationCanceled(error),
        _ => ErrorKind::OperationFailed(error),
    };
    Error::new(kind).in_operation(track.operation.clone())
}

fn polling_error(track: &Track, reason: &'static str) -> Error {
    Error::new(ErrorKind::Polling(reason.into())).in_operation(track.operation.clone())
}

/// Refuses a polling or final URL on another origin than the endpoint's, before anything
/// is sent there.
fn on_origin(client: &ApimClient, track: &Track, url: &str) -> Result<reqwest::Url> {
    client.on_origin(url, "polling URL").map_err(|reason| {
        Error::new(ErrorKind::Polling(reason.into())).in_operation(track.operation.clone())
    })
}

fn check_origins(client: &ApimClient, track: &Track) -> Result<()> {
    let urls = [
        Some(&track.original),
        track.monitor.as_ref(),
        track.location.as_ref(),
    ];
    for url in urls.into_iter().flatten() {
        on_origin(client, track, url)?;
    }
    Ok(())
}

fn resume_token(track: &Track) -> Option<String> {
    serde_json::to_vec(track)
        .ok()
        .map(azure_core::base64::encode_url_safe)
}

/// A long-running operation: the first request when first polled, then its statuses.
pub fn send_poller<T: ResponseBody + Send + 'static>(
    request: RequestBuilder<'_>,
    final_state: FinalState,
) -> Poller<T> {
    let client = request.client().clone();
    let first = Stage::First(Box::new(request.finish()), final_state);
    Poller::with_stage(client, first, Duration::ZERO)
}

impl<T> fmt::Debug for Poller<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let stage = match self.core.as_ref().map(|c| &c.stage) {
            None => "polling",
            Some(Stage::First(..)) => "not started",
            Some(Stage::Polling(_)) => "running",
            Some(Stage::Finished(..)) => "succeeded",
            Some(Stage::Done) => "ended",
        };
        f.debug_struct("Poller")
            .field("stage", &stage)
            .finish_non_exhaustive()
    }
}
