//! Long-running operations, as ARM runs them: the faults a test can give them
//! ([`LroFault`]) and the operations in flight ([`operations`]). Which operations are
//! long-running, and their first answers' codes, come from the description
//! (`crate::description`); the HTTP side (first answers, status and result URLs) is in
//! `arm::long_running`.

pub(crate) mod operations;

/// How the next long-running operation ends or misbehaves (see
/// [`Emulator::inject_lro`](crate::Emulator::inject_lro)).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LroFault {
    /// The operation ends `Failed` with this ARM error (status resource `error`, and a 400
    /// with `{"error":{code,message}}` from the result URL); its effect is never applied.
    Failed {
        /// The ARM error code, e.g. `"BackupFailed"`.
        code: String,
        /// The human-readable message.
        message: String,
    },
    /// The operation ends `Canceled` (the result URL answers 409 `OperationCanceled`); its
    /// effect is never applied.
    Canceled,
    /// The status and result URLs answer 404 `ResourceNotFound` to the first `n` polls, as
    /// ARM does while an operation has not reached every region yet; then the operation runs
    /// as usual (those polls do not count towards its progress).
    StatusNotFound(u32),
}

/// How long-running operations behave; read when one starts.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LroSettings {
    /// Polls answered "in progress" before the operation completes.
    pub polls: u32,
    /// `Retry-After` seconds on answers that ask the client to poll again; `None` omits it.
    pub retry_after: Option<u64>,
}

impl Default for LroSettings {
    fn default() -> Self {
        LroSettings {
            polls: 2,
            retry_after: Some(0),
        }
    }
}
