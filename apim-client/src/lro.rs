//! ARM's asynchronous operation contract (azure-resource-manager-rpc, "async-api-reference"),
//! as pure functions over answers: where to poll, what state an answer reports, where the
//! final resource is. [`crate::poller`] sends the requests and waits.

use std::borrow::Cow;

use reqwest::header::HeaderMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::ServiceError;
use crate::request::Method;

/// Where a long-running operation's final resource is read once it succeeded: the
/// declaration's `final_state`, or ARM's rules when it has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FinalState {
    /// ARM's rules: PUT and PATCH read the original URI; POST and DELETE read `Location`
    /// when the first answer gave one, and otherwise end without a body.
    Default,
    /// `final_state = "location"`: the `Location` of the first answer.
    Location,
    /// `final_state = "azure-async-operation"`: the status resource's own body (for a POST or
    /// DELETE; a PUT or PATCH still reads its resource where it was written).
    AzureAsyncOperation,
    /// `final_state = "original-uri"`: the URI of the first request.
    OriginalUri,
}

/// The state a long-running operation reports. `Succeeded`, `Failed` and `Canceled`
/// (or `Cancelled`) end it, in any case; any other word keeps it running.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OperationState {
    /// Still running; the service's own word (`InProgress`, `Accepted`, `Creating`, ...).
    Running(String),
    /// Done; the final resource follows.
    Succeeded,
    /// Ended in failure.
    Failed,
    /// Ended by cancellation.
    Canceled,
}

impl OperationState {
    /// Reads a status word, case-insensitively.
    pub fn from_word(word: &str) -> OperationState {
        match word.to_ascii_lowercase().as_str() {
            "succeeded" => OperationState::Succeeded,
            "failed" => OperationState::Failed,
            "canceled" | "cancelled" => OperationState::Canceled,
            _ => OperationState::Running(word.to_owned()),
        }
    }

    /// Whether the operation has ended.
    pub fn is_terminal(&self) -> bool {
        !matches!(self, OperationState::Running(_))
    }
}

/// One status of a long-running operation, for progress reporting.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PollStatus {
    /// The state reported.
    pub state: OperationState,
    /// `percentComplete`, when the service gives it.
    pub percent_complete: Option<f64>,
}

impl PollStatus {
    pub(crate) fn running(word: &str) -> PollStatus {
        PollStatus {
            state: OperationState::Running(word.to_owned()),
            percent_complete: None,
        }
    }
}

/// The URLs a long-running operation is followed with, as the first answer gave them.
/// This is also what a resume token holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Track {
    /// The operation's name, for errors.
    pub(crate) operation: Cow<'static, str>,
    /// The first request's method, by name.
    pub(crate) method: String,
    pub(crate) original: String,
    /// `Azure-AsyncOperation`, else `Operation-Location`: a status resource.
    pub(crate) monitor: Option<String>,
    /// `Location`: answers 202 while running, then the result.
    pub(crate) location: Option<String>,
    pub(crate) final_state: FinalState,
}

/// What a poll's URL is: it decides how its answers are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PollTarget {
    Monitor,
    Location,
    Original,
}

impl Track {
    pub(crate) fn method(&self) -> Option<Method> {
        Method::from_name(&self.method)
    }

    /// Where to poll: the status resource, then `Location`, then the resource itself.
    pub(crate) fn poll_target(&self) -> (PollTarget, &str) {
        match (&self.monitor, &self.location) {
            (Some(monitor), _) => (PollTarget::Monitor, monitor),
            (None, Some(location)) => (PollTarget::Location, location),
            (None, None) => (PollTarget::Original, &self.original),
        }
    }

    /// Where the final resource is read after success; `None`: there is none.
    pub(crate) fn final_target(&self) -> Option<(PollTarget, &str)> {
        let method = self.method();
        let puts = matches!(method, Some(Method::Put | Method::Patch));
        match self.final_state {
            // A PUT's or PATCH's status resource holds no resource (ARM's contract; azure-core
            // reads it only for POST): the resource is read where it was written.
            FinalState::AzureAsyncOperation if self.monitor.is_some() && !puts => {
                self.monitor.as_deref().map(|m| (PollTarget::Monitor, m))
            }
            FinalState::Location if self.location.is_some() => {
                self.location.as_deref().map(|l| (PollTarget::Location, l))
            }
            FinalState::OriginalUri => Some((PollTarget::Original, &self.original)),
            // The named header is missing, or no `final_state` was declared: ARM's rules.
            _ if puts => Some((PollTarget::Original, &self.original)),
            _ => self.location.as_deref().map(|l| (PollTarget::Location, l)),
        }
    }
}

/// The polling headers of an answer: (`Azure-AsyncOperation` or `Operation-Location`,
/// `Location`).
pub(crate) fn polling_headers(headers: &HeaderMap) -> (Option<String>, Option<String>) {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let monitor = header("azure-asyncoperation").or_else(|| header("operation-location"));
    (monitor, header("location"))
}

/// The status a status resource reports: `status`, or, when APIM leaves it out,
/// `properties.provisioningState`; `None` when the body has neither.
pub(crate) fn monitor_status(body: &[u8]) -> Option<PollStatus> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let word = value
        .get("status")
        .and_then(Value::as_str)
        .or_else(|| provisioning_state_of(&value))?;
    Some(PollStatus {
        state: OperationState::from_word(word),
        percent_complete: value.get("percentComplete").and_then(Value::as_f64),
    })
}

/// The `properties.provisioningState` of a resource body; `None` when it has none (or
/// is not JSON), which ARM reads as done.
pub(crate) fn provisioning_state(body: &[u8]) -> Option<OperationState> {
    let value: Value = serde_json::from_slice(body).ok()?;
    provisioning_state_of(&value).map(OperationState::from_word)
}

fn provisioning_state_of(value: &Value) -> Option<&str> {
    value
        .get("properties")
        .and_then(|p| p.get("provisioningState"))
        .and_then(Value::as_str)
}

/// The ARM `error` object of a failed or canceled status body (or of a resource body).
pub(crate) fn status_error(status: u16, headers: &HeaderMap, body: &[u8]) -> ServiceError {
    let value: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let error = value
        .get("error")
        .or_else(|| value.get("properties").and_then(|p| p.get("error")));
    let bytes = error.map(|e| serde_json::json!({ "error": e }).to_string());
    crate::error_body::parse(status, headers, bytes.as_deref().unwrap_or("").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn track(method: &str, monitor: bool, location: bool, final_state: FinalState) -> Track {
        Track {
            operation: "op".into(),
            method: method.into(),
            original: "o".into(),
            monitor: monitor.then(|| "m".to_owned()),
            location: location.then(|| "l".to_owned()),
            final_state,
        }
    }

    #[test]
    fn states_are_read_case_insensitively_and_unknown_words_keep_running() {
        assert_eq!(
            OperationState::from_word("SUCCEEDED"),
            OperationState::Succeeded
        );
        assert_eq!(
            OperationState::from_word("cancelled"),
            OperationState::Canceled
        );
        assert_eq!(
            OperationState::from_word("Canceled"),
            OperationState::Canceled
        );
        assert_eq!(OperationState::from_word("failed"), OperationState::Failed);
        assert!(!OperationState::from_word("Provisioning").is_terminal());
        assert!(!OperationState::from_word("").is_terminal());
    }

    #[test]
    fn polling_prefers_the_status_resource_then_location_then_the_resource() {
        let t = track("PUT", true, true, FinalState::Default);
        assert_eq!(t.poll_target(), (PollTarget::Monitor, "m"));
        let t = track("PUT", false, true, FinalState::Default);
        assert_eq!(t.poll_target(), (PollTarget::Location, "l"));
        let t = track("PUT", false, false, FinalState::Default);
        assert_eq!(t.poll_target(), (PollTarget::Original, "o"));
    }

    #[test]
    fn the_final_resource_follows_arms_rules_unless_declared() {
        let target = |m, mon, loc, fs| track(m, mon, loc, fs).final_target().map(|(t, _)| t);
        assert_eq!(
            target("PUT", true, true, FinalState::Default),
            Some(PollTarget::Original)
        );
        assert_eq!(
            target("PATCH", true, false, FinalState::Default),
            Some(PollTarget::Original)
        );
        assert_eq!(
            target("POST", true, true, FinalState::Default),
            Some(PollTarget::Location)
        );
        assert_eq!(target("DELETE", true, false, FinalState::Default), None);
        assert_eq!(
            target("DELETE", true, true, FinalState::Location),
            Some(PollTarget::Location)
        );
        assert_eq!(
            target("POST", true, true, FinalState::AzureAsyncOperation),
            Some(PollTarget::Monitor)
        );
        assert_eq!(
            target("POST", true, true, FinalState::OriginalUri),
            Some(PollTarget::Original)
        );
        // `ApiGatewayConfigConnection_CreateOrUpdate` declares azure-async-operation: a
        // PUT's resource is still the resource, not the status resource.
        assert_eq!(
            target("PUT", true, true, FinalState::AzureAsyncOperation),
            Some(PollTarget::Original)
        );
        // A declared header that did not come: ARM's rules.
        assert_eq!(
            target("PUT", true, false, FinalState::Location),
            Some(PollTarget::Original)
        );
    }

    #[test]
    fn a_status_without_status_reads_the_provisioning_state() {
        let status = monitor_status(br#"{"properties":{"provisioningState":"Succeeded"}}"#);
        assert_eq!(status.unwrap().state, OperationState::Succeeded);
        let status = monitor_status(br#"{"status":"InProgress","percentComplete":40}"#).unwrap();
        assert_eq!(status.state, OperationState::Running("InProgress".into()));
        assert_eq!(status.percent_complete, Some(40.0));
        assert_eq!(monitor_status(br#"{"name":"x"}"#), None);
        assert_eq!(monitor_status(b"not json"), None);
    }

    #[test]
    fn the_error_of_a_failed_status_is_kept() {
        let body = br#"{"status":"Failed","error":{"code":"Conflict","message":"m","details":[{"code":"d"}]}}"#;
        let e = status_error(200, &HeaderMap::new(), body);
        assert_eq!(e.code.as_deref(), Some("Conflict"));
        assert_eq!(e.details.len(), 1);
        let e = status_error(200, &HeaderMap::new(), br#"{"status":"Canceled"}"#);
        assert_eq!(e.code, None);
    }
}
