//! The token cache in front of the user's `TokenCredential`.
//!
//! The fast path is one atomic load and one clock read: the cached `Authorization` value is
//! shared through `ArcSwap`, so concurrent requests never take a lock to read it.
//!
//! Off the fast path, one credential call at a time ("an attempt") and its outcome, success
//! or failure, is shared with every request that waited on it:
//! - a token still valid but due for refresh is served at once while a background task
//!   refreshes it, so a slow or failing credential never delays requests that have a token;
//! - after a failed attempt the credential is left alone for a short, growing interval, and
//!   requests without a valid token get that failure at once instead of queueing behind
//!   calls that are likely to fail the same way;
//! - an attempt is bounded by `ApimClientOptions::credential_timeout`: a credential call
//!   that never answers fails the attempt with a timeout, and an attempt past its deadline
//!   is never joined again (if nothing ran it to its end), so a hung credential call cannot
//!   hold the single-flight slot and wedge every later request.

use std::error::Error as StdError;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use arc_swap::ArcSwapOption;
use azure_core::credentials::TokenCredential;
use azure_core::time::{Duration, OffsetDateTime};
use reqwest::header::HeaderValue;
use tokio::sync::OnceCell;

use crate::error::{Error, ErrorKind, Result};

/// Refresh this long before expiry (azure_core's margin), or at half the remaining
/// lifetime for tokens that live shorter than twice that.
const REFRESH_MARGIN: Duration = Duration::minutes(5);

/// No credential call for this long after a failed attempt, doubling with each further
/// failure up to [`MAX_BACKOFF`]: long enough to stop hammering a credential that is down,
/// short enough that a recovered one is used again soon.
const FIRST_BACKOFF: std::time::Duration = std::time::Duration::from_millis(500);
const MAX_BACKOFF: std::time::Duration = std::time::Duration::from_secs(30);

pub(crate) struct TokenCache {
    shared: Arc<Shared>,
}

/// What the cache and its background refreshes share.
struct Shared {
    credential: Arc<dyn TokenCredential>,
    scope: String,
    /// The longest one attempt (one credential call) may take.
    timeout: std::time::Duration,
    current: ArcSwapOption<CachedToken>,
    /// Held only for short, non-async sections.
    refresh: Mutex<RefreshState>,
}

struct CachedToken {
    /// `Bearer <token>`, marked sensitive so `http`'s `Debug` does not print it.
    header: HeaderValue,
    refresh_at: OffsetDateTime,
    expires_on: OffsetDateTime,
}

#[derive(Default)]
struct RefreshState {
    /// The attempt in flight, if any; everyone who needs a token joins it.
    in_flight: Option<Arc<Attempt>>,
    /// The last failure while it still holds back new attempts.
    backoff: Option<Backoff>,
}

struct Backoff {
    failure: Failure,
    until: Instant,
    consecutive_failures: u32,
}

/// One credential call; its outcome is computed once and read by every waiter.
struct Attempt {
    outcome: OnceCell<Outcome>,
    /// When the attempt is given up: its credential call is cut off then, and a request
    /// that finds it still in flight after this starts a new one instead of joining it.
    deadline: Instant,
}

impl Attempt {
    fn new(timeout: std::time::Duration) -> Arc<Self> {
        let now = Instant::now();
        Arc::new(Attempt {
            outcome: OnceCell::new(),
            // A timeout too large for the clock is no bound at all.
            deadline: now
                .checked_add(timeout)
                .or_else(|| now.checked_add(FAR_FUTURE))
                .unwrap_or(now),
        })
    }

    fn is_live(&self) -> bool {
        Instant::now() < self.deadline
    }
}

/// A deadline that never comes in practice, for timeouts the clock cannot add.
const FAR_FUTURE: std::time::Duration = std::time::Duration::from_secs(100 * 365 * 24 * 3600);

type Outcome = std::result::Result<HeaderValue, Failure>;

/// Why an attempt failed, shareable between its waiters (an `Error` is not `Clone`).
#[derive(Clone)]
struct Failure(Arc<dyn StdError + Send + Sync>);

impl Failure {
    fn message(message: impl Into<String>) -> Self {
        Failure(Arc::from(Box::<dyn StdError + Send + Sync>::from(
            message.into(),
        )))
    }

    fn to_error(&self) -> Error {
        Error::with_source(ErrorKind::Credential, self.0.clone())
    }
}

/// What a request should do, decided under the lock.
enum Next {
    Send(HeaderValue),
    Wait(Arc<Attempt>),
    Fail(Failure),
}

impl TokenCache {
    pub(crate) fn new(
        credential: Arc<dyn TokenCredential>,
        scope: String,
        timeout: std::time::Duration,
    ) -> Self {
        TokenCache {
            shared: Arc::new(Shared {
                credential,
                scope,
                timeout,
                current: ArcSwapOption::empty(),
                refresh: Mutex::new(RefreshState::default()),
            }),
        }
    }

    /// The `Authorization` value to send now.
    pub(crate) async fn authorization(&self) -> Result<HeaderValue> {
        if let Some(token) = &*self.shared.current.load()
            && OffsetDateTime::now_utc() < token.refresh_at
        {
            return Ok(token.header.clone());
        }
        match self.next() {
            Next::Send(header) => Ok(header),
            Next::Fail(failure) => Err(failure.to_error()),
            Next::Wait(attempt) => Shared::outcome(&self.shared, &attempt)
                .await
                .map_err(|failure| failure.to_error()),
        }
    }

    /// Forgets `rejected` after the service answered 401 to it, so the next call asks the
    /// credential again. A token another task already replaced is left alone.
    pub(crate) fn invalidate(&self, rejected: &HeaderValue) {
        let current = self.shared.current.load();
        if current.as_ref().is_some_and(|t| t.header == *rejected) {
            self.shared.current.compare_and_swap(&current, None);
        }
    }

    /// Off the fast path: serve a still-valid token (refreshing it in the background), join
    /// or start an attempt, or fail at once while backing off.
    fn next(&self) -> Next {
        let mut state = self
            .shared
            .refresh
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // Checked under the lock: an attempt that just finished has stored its token.
        let now = OffsetDateTime::now_utc();
        let valid = self
            .shared
            .current
            .load_full()
            .filter(|token| now < token.expires_on);
        if let Some(token) = &valid
            && now < token.refresh_at
        {
            return Next::Send(token.header.clone());
        }
        // An attempt past its deadline is not joined: its credential call hung and whoever
        // ran it did not end it (its task stopped, say). A new attempt takes the slot.
        if let Some(attempt) = state.in_flight.as_ref().filter(|a| a.is_live()) {
            return match valid {
                Some(token) => Next::Send(token.header.clone()),
                None => Next::Wait(attempt.clone()),
            };
        }
        if let Some(backoff) = &state.backoff
            && Instant::now() < backoff.until
        {
            return match valid {
                Some(token) => Next::Send(token.header.clone()),
                None => Next::Fail(backoff.failure.clone()),
            };
        }
        let attempt = Attempt::new(self.shared.timeout);
        state.in_flight = Some(attempt.clone());
        match valid {
            Some(token) => {
                self.refresh_in_background(attempt);
                Next::Send(token.header.clone())
            }
            None => Next::Wait(attempt),
        }
    }

    /// Runs `attempt` on its own task, so no request waits for it. Without a Tokio runtime
    /// there is no one to run it; the next request without a valid token will.
    fn refresh_in_background(&self, attempt: Arc<Attempt>) {
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let shared = self.shared.clone();
            runtime.spawn(async move {
                let _ = Shared::outcome(&shared, &attempt).await;
            });
        }
    }
}

impl Shared {
    /// The outcome of `attempt`: the first waiter calls the credential (should it be
    /// cancelled, the next waiter takes over, within the same deadline), everyone reads
    /// the same result.
    async fn outcome(shared: &Arc<Shared>, attempt: &Arc<Attempt>) -> Outcome {
        attempt
            .outcome
            .get_or_init(|| async {
                // Outside a Tokio runtime there is no timer to bound the call with (a request
                // built but not sent, polled once); everything that sends runs in one.
                let outcome = if tokio::runtime::Handle::try_current().is_ok() {
                    let deadline = tokio::time::Instant::from_std(attempt.deadline);
                    match tokio::time::timeout_at(deadline, shared.fetch()).await {
                        Ok(outcome) => outcome,
                        Err(_) => Err(Failure::message(format!(
                            "the credential did not answer within {:?} \
                             (ApimClientOptions::credential_timeout)",
                            shared.timeout
                        ))),
                    }
                } else {
                    shared.fetch().await
                };
                shared.record(attempt, &outcome);
                outcome
            })
            .await
            .clone()
    }

    /// Asks the credential once and caches what it returns.
    async fn fetch(&self) -> Outcome {
        let access = self
            .credential
            .get_token(&[&self.scope], None)
            .await
            .map_err(|e| Failure(Arc::new(e)))?;
        let now = OffsetDateTime::now_utc();
        if access.expires_on <= now {
            // Sending it would only earn a 401 and another credential call per request.
            return Err(Failure::message(
                "the credential returned an access token that has already expired",
            ));
        }
        let mut header = HeaderValue::try_from(format!("Bearer {}", access.token.secret()))
            .map_err(|_| {
                Failure::message(
                    "the credential returned a token with characters not allowed in an HTTP header",
                )
            })?;
        header.set_sensitive(true);
        let lifetime = access.expires_on - now;
        let margin = if lifetime > REFRESH_MARGIN * 2 {
            REFRESH_MARGIN
        } else {
            lifetime / 2
        };
        self.current.store(Some(Arc::new(CachedToken {
            header: header.clone(),
            refresh_at: access.expires_on - margin,
            expires_on: access.expires_on,
        })));
        Ok(header)
    }

    /// Ends `attempt` and starts or clears the backoff. An attempt that was given up and
    /// replaced leaves its successor alone (its token, if it got one, is stored anyway).
    fn record(&self, attempt: &Arc<Attempt>, outcome: &Outcome) {
        let mut state = self.refresh.lock().unwrap_or_else(PoisonError::into_inner);
        if !state
            .in_flight
            .as_ref()
            .is_some_and(|current| Arc::ptr_eq(current, attempt))
        {
            return;
        }
        state.in_flight = None;
        state.backoff = match outcome {
            Ok(_) => None,
            Err(failure) => {
                let consecutive_failures = state
                    .backoff
                    .as_ref()
                    .map_or(1, |b| b.consecutive_failures.saturating_add(1));
                let wait = FIRST_BACKOFF
                    .saturating_mul(1 << (consecutive_failures - 1).min(16))
                    .min(MAX_BACKOFF);
                tracing::warn!(
                    scope = %self.scope,
                    retry_in_ms = wait.as_millis(),
                    "token refresh failed"
                );
                let now = Instant::now();
                Some(Backoff {
                    failure: failure.clone(),
                    until: now.checked_add(wait).unwrap_or(now),
                    consecutive_failures,
                })
            }
        };
    }
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("scope", &self.shared.scope)
            .field("cached", &self.shared.current.load().is_some())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Instant;

    use azure_core::credentials::{AccessToken, Secret, TokenRequestOptions};

    use super::*;

    const SECRET: &str = "s3cret-token";

    /// Answers after `delay` with a token valid for `lifetime` (negative: already expired),
    /// or fails when `lifetime` is `None`; counts its calls.
    #[derive(Debug)]
    struct TestCredential {
        delay: std::time::Duration,
        lifetime: Option<Duration>,
        calls: AtomicUsize,
    }

    impl TestCredential {
        fn new(delay_ms: u64, lifetime: Option<Duration>) -> Arc<Self> {
            Arc::new(TestCredential {
                delay: std::time::Duration::from_millis(delay_ms),
                lifetime,
                calls: AtomicUsize::new(0),
            })
        }

        fn calls(&self) -> usize {
            self.calls.load(Ordering::SeqCst)
        }
    }

    #[async_trait::async_trait]
    impl TokenCredential for TestCredential {
        async fn get_token(
            &self,
            _scopes: &[&str],
            _options: Option<TokenRequestOptions<'_>>,
        ) -> azure_core::Result<AccessToken> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(self.delay).await;
            match self.lifetime {
                Some(lifetime) => Ok(AccessToken::new(
                    Secret::new(SECRET),
                    OffsetDateTime::now_utc() + lifetime,
                )),
                None => Err(azure_core::Error::with_message(
                    azure_core::error::ErrorKind::Credential,
                    "identity endpoint unavailable",
                )),
            }
        }
    }

    fn cache(credential: &Arc<TestCredential>) -> Arc<TokenCache> {
        cache_with_timeout(credential.clone(), std::time::Duration::from_secs(30))
    }

    /// A cache whose credential calls are bounded by `timeout`.
    fn cache_with_timeout(
        credential: Arc<dyn TokenCredential>,
        timeout: std::time::Duration,
    ) -> Arc<TokenCache> {
        Arc::new(TokenCache::new(
            credential,
            "https://management.azure.com/.default".into(),
            timeout,
        ))
    }

    /// Calls `authorization` from `count` tasks at once; each result with how long it took.
    async fn concurrently(
        cache: &Arc<TokenCache>,
        count: usize,
    ) -> Vec<(Result<HeaderValue>, std::time::Duration)> {
        let tasks: Vec<_> = (0..count)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move {
                    let started = Instant::now();
                    let result = cache.authorization().await;
                    (result, started.elapsed())
                })
            })
            .collect();
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.expect("task"));
        }
        results
    }

    fn is_credential_error(result: &Result<HeaderValue>) -> bool {
        matches!(result, Err(e) if *e.kind() == ErrorKind::Credential)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failing_credential_is_called_once_for_concurrent_waiters() {
        let credential = TestCredential::new(200, None);
        let cache = cache(&credential);
        let results = concurrently(&cache, 16).await;
        assert_eq!(credential.calls(), 1, "one refresh attempt, shared");
        for (result, took) in &results {
            assert!(is_credential_error(result), "{result:?}");
            assert!(*took < std::time::Duration::from_millis(1_500), "{took:?}");
        }
        // Right after the failure, callers get it at once instead of calling again.
        let started = Instant::now();
        assert!(is_credential_error(&cache.authorization().await));
        assert!(started.elapsed() < std::time::Duration::from_millis(150));
        assert_eq!(credential.calls(), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_valid_token_in_its_refresh_window_is_served_while_the_credential_is_down() {
        let credential = TestCredential::new(1_000, None);
        let cache = cache(&credential);
        let now = OffsetDateTime::now_utc();
        let mut header = HeaderValue::from_static("Bearer cached");
        header.set_sensitive(true);
        cache.shared.current.store(Some(Arc::new(CachedToken {
            header: header.clone(),
            refresh_at: now - Duration::seconds(1),
            expires_on: now + Duration::minutes(4),
        })));

        for round in 0..2 {
            for (result, took) in concurrently(&cache, 8).await {
                assert_eq!(result.ok().as_ref(), Some(&header), "round {round}");
                assert!(
                    took < std::time::Duration::from_millis(500),
                    "round {round}: waited {took:?} for a failing credential"
                );
            }
            // Let the background refresh fail.
            tokio::time::sleep(std::time::Duration::from_millis(1_300)).await;
        }
        // One attempt per round at most, never one per request: the second round may
        // start one more once the first failure's back-off (500 ms) is over, which
        // depends on how fast this machine ran the first round.
        assert!(credential.calls() <= 2, "{} calls", credential.calls());
    }

    #[tokio::test]
    async fn an_expired_token_from_the_credential_is_refused() {
        let credential = TestCredential::new(0, Some(-Duration::minutes(1)));
        let cache = cache(&credential);
        let error = cache.authorization().await.expect_err("an expired token");
        assert_eq!(*error.kind(), ErrorKind::Credential);
        let shown = format!("{error} {error:?}");
        assert!(shown.contains("expired"), "{shown}");
        assert!(!shown.contains(SECRET), "{shown}");
        assert!(cache.authorization().await.is_err());
        assert_eq!(
            credential.calls(),
            1,
            "backs off instead of asking on every request"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_first_calls_share_one_successful_refresh() {
        let credential = TestCredential::new(100, Some(Duration::hours(1)));
        let cache = cache(&credential);
        for (result, _) in concurrently(&cache, 16).await {
            assert_eq!(
                result.unwrap().to_str().unwrap(),
                format!("Bearer {SECRET}")
            );
        }
        assert_eq!(credential.calls(), 1);
    }

    /// Never answers its first `hanging` calls; later calls answer at once with a token
    /// valid for an hour.
    #[derive(Debug)]
    struct HangingCredential {
        hanging: usize,
        calls: AtomicUsize,
    }

    impl HangingCredential {
        fn new(hanging: usize) -> Arc<Self> {
            Arc::new(HangingCredential {
                hanging,
                calls: AtomicUsize::new(0),
            })
        }
    }

    #[async_trait::async_trait]
    impl TokenCredential for HangingCredential {
        async fn get_token(
            &self,
            _scopes: &[&str],
            _options: Option<TokenRequestOptions<'_>>,
        ) -> azure_core::Result<AccessToken> {
            if self.calls.fetch_add(1, Ordering::SeqCst) < self.hanging {
                std::future::pending::<()>().await;
            }
            Ok(AccessToken::new(
                Secret::new(SECRET),
                OffsetDateTime::now_utc() + Duration::hours(1),
            ))
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_hanging_background_refresh_does_not_wedge_the_client() {
        let credential = HangingCredential::new(1);
        let cache = cache_with_timeout(credential.clone(), std::time::Duration::from_millis(500));
        // A token in its refresh window that expires in 1 s.
        let now = OffsetDateTime::now_utc();
        let mut header = HeaderValue::from_static("Bearer cached");
        header.set_sensitive(true);
        cache.shared.current.store(Some(Arc::new(CachedToken {
            header: header.clone(),
            refresh_at: now - Duration::seconds(1),
            expires_on: now + Duration::seconds(1),
        })));
        // Served at once; the background refresh it starts never answers.
        assert_eq!(cache.authorization().await.ok().as_ref(), Some(&header));
        tokio::time::sleep(std::time::Duration::from_millis(1_200)).await;

        // Once the token has expired, callers that give up and try again get a fresh
        // attempt, which answers at once.
        let started = Instant::now();
        let mut outcome = None;
        for _ in 0..5 {
            match tokio::time::timeout(std::time::Duration::from_secs(3), cache.authorization())
                .await
            {
                Ok(Ok(header)) => {
                    outcome = Some(header);
                    break;
                }
                // A timed-out attempt's failure while the credential is backed off.
                Ok(Err(_)) => tokio::time::sleep(std::time::Duration::from_millis(300)).await,
                Err(_) => {}
            }
        }
        let header = outcome.expect("a token once the hung refresh is given up");
        assert_eq!(header.to_str().unwrap(), format!("Bearer {SECRET}"));
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(credential.calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_hanging_credential_ends_with_a_credential_timeout_error() {
        let credential = HangingCredential::new(usize::MAX);
        let cache = cache_with_timeout(credential, std::time::Duration::from_millis(300));
        let error = tokio::time::timeout(std::time::Duration::from_secs(10), cache.authorization())
            .await
            .expect("the credential call is bounded")
            .expect_err("no token from a credential that never answers");
        assert_eq!(*error.kind(), ErrorKind::Credential);
        let shown = error.to_string();
        assert!(shown.contains("did not answer within 300ms"), "{shown}");
        assert!(shown.contains("credential_timeout"), "{shown}");
    }

    #[tokio::test]
    async fn invalidate_asks_the_credential_again() {
        let credential = TestCredential::new(0, Some(Duration::hours(1)));
        let cache = cache(&credential);
        let first = cache.authorization().await.unwrap();
        cache.invalidate(&first);
        cache.authorization().await.unwrap();
        assert_eq!(credential.calls(), 2);
        // A stale rejection does not drop the newer token.
        cache.invalidate(&HeaderValue::from_static("Bearer old"));
        cache.authorization().await.unwrap();
        assert_eq!(credential.calls(), 2);
    }
}
