//! The state one emulator instance shares between its server tasks and its handle.
//!
//! Each part has its own `std::sync::Mutex`, held only for short, non-async sections, so
//! concurrent requests never wait on each other across an await.

use std::collections::VecDeque;
use std::sync::atomic::AtomicU64;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::faults::Fault;
use crate::log::{Bounded, JsonLines, LOG_MAX_BYTES, LOG_MAX_ENTRIES, Reconnect, RecordedRequest};
use crate::lro::LroFault;
use crate::lro::LroSettings;
use crate::lro::operations::Operations;
use crate::options::EmulatorOptions;
use crate::store::Store;
use crate::throttle::Throttle;

pub(crate) struct Shared {
    /// The bearer token requests must carry.
    pub token: String,
    /// `http://127.0.0.1:PORT`, the base of every `nextLink`.
    pub endpoint: String,
    pub store: Mutex<Store>,
    pub requests: Mutex<Bounded<RecordedRequest>>,
    pub reconnects: Mutex<Bounded<Reconnect>>,
    pub faults: Mutex<VecDeque<Fault>>,
    pub lro_settings: Mutex<LroSettings>,
    /// Faults for the next long-running operations, one each, first-in first-out.
    pub lro_faults: Mutex<VecDeque<LroFault>>,
    pub operations: Mutex<Operations>,
    /// ARM's throttling buckets, when throttling is on.
    pub throttle: Mutex<Option<Throttle>>,
    /// Requests the buckets refused (answered 429).
    pub throttled: AtomicU64,
    /// Where each answered request is also written as a JSON line, if anywhere.
    pub request_sink: Option<JsonLines>,
}

impl Shared {
    pub(crate) fn new(token: String, endpoint: String, options: &EmulatorOptions) -> Self {
        Shared {
            token,
            endpoint,
            store: Mutex::new(Store::new(options.built_ins)),
            requests: Mutex::new(Bounded::new(LOG_MAX_ENTRIES, LOG_MAX_BYTES)),
            reconnects: Mutex::new(Bounded::new(LOG_MAX_ENTRIES, LOG_MAX_BYTES)),
            faults: Mutex::new(VecDeque::new()),
            lro_settings: Mutex::new(LroSettings {
                polls: options.lro_polls,
                retry_after: options.lro_retry_after,
            }),
            lro_faults: Mutex::new(VecDeque::new()),
            operations: Mutex::new(Operations::default()),
            throttle: Mutex::new(options.throttle.clone().map(Throttle::new)),
            throttled: AtomicU64::new(0),
            request_sink: None,
        }
    }
}

/// Locks `mutex`, ignoring poisoning: every critical section leaves its data consistent,
/// and one panicking test must not take the emulator down for others.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
