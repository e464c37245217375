//! The operations in flight: each one's effect on the store, how many polls it still
//! answers "in progress", and how it ends. An operation changes the store only when it
//! completes, so until then the resource keeps its old state (or stays absent).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::SystemTime;

use axum::http::StatusCode;
use serde_json::{Map, Value};

use super::{LroFault, LroSettings};
use crate::state::lock;
use crate::store::{Content, Identity, Key, Parent, Store, StoreError, Stored};

/// The most operations remembered; the oldest are forgotten first (their URLs then answer
/// 404), so a long test run cannot grow the emulator without bound.
pub(crate) const MAX_OPERATIONS: usize = 10_000;

/// What an operation does to the store when it succeeds.
#[derive(Debug)]
pub(crate) enum Effect {
    /// Create or replace the resource, if the `parents` it was accepted under are still
    /// there (not deleted, nor deleted and created again) and `if_match` (the request's, if
    /// it sent one) still allows it.
    Put {
        key: Key,
        parents: Vec<Parent>,
        identity: Identity,
        content: Content,
        if_match: Option<String>,
    },
    /// Merge-patch the resource's properties and top-level fields (RFC 7386), if
    /// `if_match` still allows it.
    Patch {
        key: Key,
        resource_id: String,
        properties: Value,
        extra: Map<String, Value>,
        if_match: Option<String>,
    },
    /// Delete the resource (and everything under it), if `if_match` still allows it;
    /// store `tombstone` in its place (a deleted service's `deletedservices` record). With
    /// `answer`, the result is the resource as it was deleted.
    Delete {
        key: Key,
        tombstone: Option<(Key, Identity, Content)>,
        answer: bool,
        if_match: Option<String>,
    },
    /// An action whose result is its own (`ConnectivityCheckResponse`,
    /// `OperationResultContract`), not a stored resource.
    Respond { body: Value },
    /// An action whose result is the resource it acts on, as it is when the action ends.
    ReadBack { key: Key, resource_id: String },
}

/// An ARM error an operation ended with.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct OperationError {
    /// The status the result URL answers with.
    pub status: StatusCode,
    pub code: String,
    pub message: String,
}

/// Where an operation stands, as a poll reports it.
#[derive(Clone, Debug)]
pub(crate) enum Status {
    InProgress {
        percent_complete: u32,
    },
    /// The resource as it ended up, or `None` after a delete.
    Succeeded(Option<Stored>),
    /// Succeeded with an action's own result.
    Responded(Value),
    Failed(OperationError),
    Canceled,
}

impl Status {
    /// The status resource's `status`.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Status::InProgress { .. } => "InProgress",
            Status::Succeeded(_) | Status::Responded(_) => "Succeeded",
            Status::Failed(_) => "Failed",
            Status::Canceled => "Canceled",
        }
    }
}

/// How an operation ends once its polls are used up.
#[derive(Debug)]
enum Ending {
    Succeed,
    Fail(OperationError),
    Cancel,
}

#[derive(Debug)]
enum Progress {
    Running { effect: Effect, ending: Ending },
    Finished(Status),
}

/// The names in an operation's URLs: `[subscription, resource group (or ""), top-level type,
/// its name]` as the starting request spelled them (e.g. `service` and the service's name).
pub(crate) type Scope = [String; 4];

/// An operation as one poll sees it.
#[derive(Clone, Debug)]
pub(crate) struct Snapshot {
    pub status: Status,
    pub started: SystemTime,
    pub ended: Option<SystemTime>,
    pub retry_after: Option<u64>,
}

#[derive(Debug)]
struct Operation {
    scope: Scope,
    started: SystemTime,
    ended: Option<SystemTime>,
    retry_after: Option<u64>,
    /// Polls answered "in progress" before it completes.
    polls: u32,
    polls_seen: u32,
    /// Polls still to be answered 404 (an injected [`LroFault::StatusNotFound`]).
    not_found_polls: u32,
    progress: Progress,
}

/// Every remembered operation, by lower-cased id.
#[derive(Debug, Default)]
pub(crate) struct Operations {
    by_id: HashMap<String, Operation>,
    /// Ids, oldest first, for forgetting over [`MAX_OPERATIONS`].
    order: VecDeque<String>,
}

impl Operations {
    /// Registers an operation that will apply `effect`, shaped by `fault` if one was injected.
    pub(crate) fn start(
        &mut self,
        id: &str,
        scope: Scope,
        effect: Effect,
        settings: LroSettings,
        fault: Option<LroFault>,
    ) {
        let (ending, not_found_polls) = match fault {
            None => (Ending::Succeed, 0),
            Some(LroFault::Failed { code, message }) => (
                Ending::Fail(OperationError {
                    status: StatusCode::BAD_REQUEST,
                    code,
                    message,
                }),
                0,
            ),
            Some(LroFault::Canceled) => (Ending::Cancel, 0),
            Some(LroFault::StatusNotFound(n)) => (Ending::Succeed, n),
        };
        let id = id.to_ascii_lowercase();
        self.by_id.insert(
            id.clone(),
            Operation {
                scope,
                started: SystemTime::now(),
                ended: None,
                retry_after: settings.retry_after,
                polls: settings.polls,
                polls_seen: 0,
                not_found_polls,
                progress: Progress::Running { effect, ending },
            },
        );
        self.order.push_back(id);
        while self.order.len() > MAX_OPERATIONS {
            if let Some(oldest) = self.order.pop_front() {
                self.by_id.remove(&oldest);
            }
        }
    }

    /// One poll of operation `id` in `scope` (names compared case-insensitively): counts it,
    /// completes the operation on `store` when its polls are used up, and reports where it
    /// stands. `None` for an unknown operation, or one still answering 404.
    pub(crate) fn poll(
        &mut self,
        scope: &Scope,
        id: &str,
        store: &Mutex<Store>,
    ) -> Option<Snapshot> {
        let operation = self.by_id.get_mut(&id.to_ascii_lowercase())?;
        let same_scope = operation
            .scope
            .iter()
            .zip(scope)
            .all(|(ours, theirs)| ours.eq_ignore_ascii_case(theirs));
        if !same_scope {
            return None;
        }
        if operation.not_found_polls > 0 {
            operation.not_found_polls -= 1;
            return None;
        }
        let status = operation.advance(store);
        Some(Snapshot {
            status,
            started: operation.started,
            ended: operation.ended,
            retry_after: operation.retry_after,
        })
    }
}

impl Operation {
    /// Counts a poll and returns the status it sees.
    fn advance(&mut self, store: &Mutex<Store>) -> Status {
        if let Progress::Finished(status) = &self.progress {
            return status.clone();
        }
        if self.polls_seen < self.polls {
            self.polls_seen += 1;
            let percent = u64::from(self.polls_seen) * 100 / (u64::from(self.polls) + 1);
            return Status::InProgress {
                percent_complete: u32::try_from(percent).unwrap_or(100),
            };
        }
        // Swap in a placeholder to take the effect out; it is replaced just below.
        let running = std::mem::replace(&mut self.progress, Progress::Finished(Status::Canceled));
        let status = match running {
            Progress::Running { effect, ending } => match ending {
                Ending::Succeed => apply(effect, &mut lock(store)),
                Ending::Fail(error) => Status::Failed(error),
                Ending::Cancel => Status::Canceled,
            },
            Progress::Finished(status) => status,
        };
        self.ended = Some(SystemTime::now());
        self.progress = Progress::Finished(status.clone());
        status
    }
}

/// Applies a succeeded operation's effect, checking in the same step (the caller holds the
/// store's lock) what the request was accepted on: its resource's parents and its
/// `If-Match`. Either may have changed since the operation started (another request
/// deleted a parent, or wrote the resource): then the operation fails, as the service's
/// would, and the store is left as it is.
fn apply(effect: Effect, store: &mut Store) -> Status {
    let result = match effect {
        Effect::Put {
            key,
            parents,
            identity,
            content,
            if_match,
        } => {
            let resource_id = identity.id.clone();
            store
                .put(&key, &parents, identity, content, if_match.as_deref())
                .map(|(stored, _)| Some(stored))
                .map_err(|error| (error, resource_id))
        }
        Effect::Delete {
            key,
            tombstone,
            answer,
            if_match,
        } => {
            let deleted = store.get(&key).cloned();
            let resource_id = deleted.as_ref().map(|d| d.identity.id.clone());
            match store.delete(&key, if_match.as_deref()) {
                Err(error) => Err((error, resource_id.unwrap_or_default())),
                // A resource already gone stays gone.
                Ok(_) => {
                    if let Some((key, identity, content)) = tombstone {
                        let _ = store.put(&key, &[], identity, content, None);
                    }
                    Ok(deleted.filter(|_| answer))
                }
            }
        }
        Effect::Patch {
            key,
            resource_id,
            properties,
            extra,
            if_match,
        } => store
            .patch(&key, Some(&properties), Some(&extra), if_match.as_deref())
            .map(Some)
            .map_err(|error| (error, resource_id)),
        Effect::Respond { body } => return Status::Responded(body),
        Effect::ReadBack { key, resource_id } => store
            .get(&key)
            .cloned()
            .map(Some)
            .ok_or((StoreError::NotFound, resource_id)),
    };
    match result {
        Ok(resource) => Status::Succeeded(resource),
        Err((StoreError::PreconditionFailed, resource_id)) => Status::Failed(OperationError {
            status: StatusCode::PRECONDITION_FAILED,
            code: "PreconditionFailed".to_string(),
            message: format!(
                "The resource '{resource_id}' changed before the operation completed: the \
                 entity tag in If-Match no longer matches."
            ),
        }),
        Err((StoreError::NotFound | StoreError::ParentNotFound(_), resource_id)) => {
            Status::Failed(OperationError {
                status: StatusCode::NOT_FOUND,
                code: "ResourceNotFound".to_string(),
                message: format!(
                    "The resource '{resource_id}' or a parent of it was deleted before the \
                     operation completed."
                ),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(service: &str) -> Scope {
        ["s".into(), "rg".into(), "service".into(), service.into()]
    }

    fn read_back() -> Effect {
        Effect::ReadBack {
            key: Key {
                collection: vec!["s".into(), "rg".into(), "service".into()],
                item: "svc".into(),
            },
            resource_id: "/x/svc".into(),
        }
    }

    fn settings(polls: u32) -> LroSettings {
        LroSettings {
            polls,
            retry_after: None,
        }
    }

    #[test]
    fn forgets_the_oldest_over_the_cap() {
        let (mut operations, store) = (Operations::default(), Mutex::new(Store::default()));
        for n in 0..=MAX_OPERATIONS {
            operations.start(
                &format!("op{n}"),
                scope("svc"),
                read_back(),
                settings(1),
                None,
            );
        }
        assert!(operations.poll(&scope("svc"), "op0", &store).is_none());
        assert!(operations.poll(&scope("svc"), "op1", &store).is_some());
        assert_eq!(operations.by_id.len(), MAX_OPERATIONS);
        assert_eq!(operations.order.len(), MAX_OPERATIONS);
    }

    #[test]
    fn matches_scope_and_id_case_insensitively() {
        let (mut operations, store) = (Operations::default(), Mutex::new(Store::default()));
        operations.start("Op", scope("Svc"), read_back(), settings(1), None);
        assert!(operations.poll(&scope("other"), "op", &store).is_none());
        let snapshot = operations.poll(&scope("SVC"), "OP", &store).unwrap();
        assert!(matches!(
            snapshot.status,
            Status::InProgress {
                percent_complete: 50
            }
        ));
    }

    #[test]
    fn an_action_on_a_resource_gone_meanwhile_fails_not_found() {
        let (mut operations, store) = (Operations::default(), Mutex::new(Store::default()));
        operations.start("op", scope("svc"), read_back(), settings(0), None);
        let snapshot = operations.poll(&scope("svc"), "op", &store).unwrap();
        let Status::Failed(error) = snapshot.status else {
            panic!("{snapshot:?}");
        };
        assert_eq!(
            (error.status, error.code.as_str()),
            (StatusCode::NOT_FOUND, "ResourceNotFound")
        );
        assert!(snapshot.ended.is_some());
    }
}
