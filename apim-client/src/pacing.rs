//! Client-side pacing: a model of ARM's throttling buckets that makes a request wait
//! *before* it is sent when the bucket it draws from is empty, instead of after a 429.
//!
//! One [`Pacer`] per client, shared by its clones; one bucket per subscription and kind
//! (read, write, delete), as ARM counts. A bucket starts full at the configured size,
//! refills continuously, and each request reserves a token: when none is left the
//! reservation waits until the refill reaches it, so waiters are served in order at the
//! refill rate. What the service reports is taken as truth when it is lower (another
//! client on the same subscription and principal spends the same tokens): the
//! `x-ms-ratelimit-remaining-*` count of each answer, and a 429's wait, after which the
//! bucket starts again from empty.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use apim_wire::Method;
use reqwest::header::HeaderMap;

use crate::options::{BucketSize, PacingOptions};
use crate::rate_limit::RateLimit;

/// The bucket a request draws from, as ARM counts requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Read,
    Write,
    Delete,
}

impl Kind {
    pub(crate) fn of(method: Method) -> Kind {
        match method {
            Method::Get | Method::Head => Kind::Read,
            Method::Delete => Kind::Delete,
            Method::Put | Method::Post | Method::Patch => Kind::Write,
        }
    }
}

/// Which bucket: the subscription in the request's path (empty for tenant-level
/// requests) and the kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    subscription: Box<str>,
    kind: Kind,
}

impl Key {
    /// The bucket of a request to `path` (`/subscriptions/{id}/...`, or tenant-level).
    pub(crate) fn new(path: &str, method: Method) -> Key {
        let subscription = path
            .strip_prefix("/subscriptions/")
            .map(|rest| rest.split('/').next().unwrap_or_default())
            .unwrap_or_default()
            .to_ascii_lowercase();
        Key {
            subscription: subscription.into(),
            kind: Kind::of(method),
        }
    }

    /// What the answer says is left in this key's bucket.
    fn remaining(&self, limit: &RateLimit) -> Option<u64> {
        if self.subscription.is_empty() {
            match self.kind {
                Kind::Read => limit.tenant_reads,
                Kind::Write | Kind::Delete => limit.tenant_writes,
            }
        } else {
            match self.kind {
                Kind::Read => limit.reads,
                Kind::Write => limit.writes,
                Kind::Delete => limit.deletes,
            }
        }
    }
}

/// A token bucket whose count may go below zero: the tokens reserved by requests that
/// are waiting for the refill.
#[derive(Debug)]
struct Bucket {
    tokens: f64,
    capacity: f64,
    per_second: f64,
    updated: Instant,
    /// Whether an answer came back yet. The service's bucket starts when the first
    /// request reaches it, later than this one starts: counting the refill only from the
    /// first answer keeps the model behind the service, never ahead of it.
    answered: bool,
}

impl Bucket {
    fn new(size: &BucketSize, now: Instant) -> Bucket {
        let capacity = f64::from(size.capacity.max(1));
        Bucket {
            tokens: capacity,
            capacity,
            // A zero or broken rate would never refill: the smallest rate ARM uses is
            // far above this floor.
            per_second: if size.per_second.is_finite() {
                size.per_second.max(0.001)
            } else {
                0.001
            },
            updated: now,
            answered: false,
        }
    }

    fn refill(&mut self, now: Instant) {
        if !self.answered {
            self.updated = now;
            return;
        }
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.per_second).min(self.capacity);
        self.updated = self.updated.max(now);
    }

    /// Takes a token; the wait until the refill has produced it.
    fn reserve(&mut self, now: Instant) -> Duration {
        self.refill(now);
        self.tokens -= 1.0;
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::try_from_secs_f64(-self.tokens / self.per_second).unwrap_or(Duration::MAX)
        }
    }

    /// Gives back a token whose request was never sent (its call was dropped or ran
    /// out of time while waiting).
    fn give_back(&mut self) {
        self.tokens = (self.tokens + 1.0).min(self.capacity);
    }

    /// An answer came back; the service says `remaining` are left, if it says: never
    /// believe in more than that.
    fn observe(&mut self, now: Instant, remaining: Option<u64>) {
        self.refill(now);
        self.answered = true;
        if let Some(remaining) = remaining {
            self.tokens = self.tokens.min(remaining as f64);
        }
    }

    /// The service answered 429 asking for `wait`. When its count says this bucket is
    /// empty, the bucket was a token ahead: the refused request owes one (ARM rounds its
    /// wait up to whole seconds, far longer than a token takes). Otherwise the limit is
    /// another one (a resource provider's): no token before `wait` has passed.
    fn throttled(&mut self, now: Instant, wait: Duration, bucket_empty: bool) {
        self.refill(now);
        let owed = if bucket_empty {
            1.0
        } else {
            (wait.as_secs_f64() * self.per_second).min(1e12)
        };
        self.tokens = self.tokens.min(-owed);
    }
}

/// The buckets of one client and its clones.
#[derive(Debug)]
pub(crate) struct Pacer {
    options: PacingOptions,
    buckets: Mutex<HashMap<Key, Bucket>>,
}

impl Pacer {
    /// The pacer `options` ask for on this endpoint, if any.
    pub(crate) fn for_endpoint(options: &PacingOptions, loopback: bool) -> Option<Pacer> {
        (options.enabled && (!loopback || options.on_loopback)).then(|| Pacer {
            options: options.clone(),
            buckets: Mutex::new(HashMap::new()),
        })
    }

    fn with_bucket<R>(&self, key: &Key, f: impl FnOnce(&mut Bucket, Instant) -> R) -> R {
        let now = Instant::now();
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Looked up before inserting: the key is cloned only for a bucket's first request.
        if let Some(bucket) = buckets.get_mut(key) {
            return f(bucket, now);
        }
        let size = match key.kind {
            Kind::Read => &self.options.reads,
            Kind::Write => &self.options.writes,
            Kind::Delete => &self.options.deletes,
        };
        f(
            buckets.entry(key.clone()).or_insert(Bucket::new(size, now)),
            now,
        )
    }

    /// Waits until `key`'s bucket has a token for one request. Dropped before the wait
    /// ends (the call was cancelled or ran out of time), the token is given back.
    pub(crate) async fn acquire(&self, key: &Key) {
        let wait = self.with_bucket(key, Bucket::reserve);
        if wait.is_zero() {
            return;
        }
        tracing::debug!(?wait, kind = ?key.kind, "pacing: waiting for ARM's bucket");
        let mut reservation = Reservation {
            pacer: self,
            key,
            sent: false,
        };
        tokio::time::sleep(wait).await;
        reservation.sent = true;
    }

    /// Learns from an answer to a request of `key`: its remaining count, and its wait if
    /// it was a 429.
    pub(crate) fn observe(
        &self,
        key: &Key,
        status: u16,
        headers: &HeaderMap,
        server_wait: Option<Duration>,
    ) {
        let remaining = key.remaining(&RateLimit::from_headers(headers));
        self.with_bucket(key, |bucket, now| {
            bucket.observe(now, remaining);
            if status == 429 {
                let wait = server_wait.unwrap_or(Duration::ZERO);
                bucket.throttled(now, wait, remaining == Some(0));
            }
        });
    }
}

/// A token taken for a request still waiting to be sent.
struct Reservation<'a> {
    pacer: &'a Pacer,
    key: &'a Key,
    sent: bool,
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        if !self.sent {
            self.pacer
                .with_bucket(self.key, |bucket, _| bucket.give_back());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(capacity: u32, per_second: f64) -> BucketSize {
        BucketSize {
            capacity,
            per_second,
        }
    }

    #[test]
    fn requests_are_counted_as_arm_counts_them() {
        let sub =
            "/subscriptions/ABC/resourceGroups/rg/providers/Microsoft.ApiManagement/service/s";
        let read = Key::new(sub, Method::Get);
        assert_eq!(read, Key::new(&sub.to_lowercase(), Method::Head));
        assert_eq!(Key::new(sub, Method::Post).kind, Kind::Write);
        assert_eq!(Key::new(sub, Method::Patch).kind, Kind::Write);
        assert_eq!(Key::new(sub, Method::Delete).kind, Kind::Delete);
        assert_eq!(&*read.subscription, "abc");
        let tenant = Key::new("/providers/Microsoft.ApiManagement/operations", Method::Get);
        assert_eq!(&*tenant.subscription, "");
        let limit = RateLimit {
            reads: Some(1),
            tenant_reads: Some(2),
            ..RateLimit::default()
        };
        assert_eq!(read.remaining(&limit), Some(1));
        assert_eq!(tenant.remaining(&limit), Some(2));
    }

    #[test]
    fn a_full_bucket_lets_its_capacity_through_then_waits_at_the_refill_rate() {
        let start = Instant::now();
        let mut bucket = Bucket::new(&size(3, 10.0), start);
        bucket.observe(start, None);
        for _ in 0..3 {
            assert_eq!(bucket.reserve(start), Duration::ZERO);
        }
        // The 4th and 5th wait for the 1st and 2nd token of the refill: 100 ms, 200 ms.
        let fourth = bucket.reserve(start);
        let fifth = bucket.reserve(start);
        assert!((fourth.as_secs_f64() - 0.1).abs() < 1e-9, "{fourth:?}");
        assert!((fifth.as_secs_f64() - 0.2).abs() < 1e-9, "{fifth:?}");
        // A second later the two reserved tokens are paid and the bucket holds 3 again
        // at most (it never fills beyond its capacity).
        let later = start + Duration::from_secs(10);
        bucket.refill(later);
        assert_eq!(bucket.tokens, 3.0);
    }

    #[test]
    fn the_service_s_lower_count_and_a_429_s_wait_are_believed() {
        let start = Instant::now();
        let mut bucket = Bucket::new(&size(100, 10.0), start);
        // Another client spent most of the bucket: the service says 1 is left.
        bucket.observe(start, Some(1));
        assert_eq!(bucket.reserve(start), Duration::ZERO);
        assert!(bucket.reserve(start) > Duration::ZERO);
        // A higher count than the model's never adds tokens.
        let mut full = Bucket::new(&size(5, 10.0), start);
        full.observe(start, None);
        full.observe(start, Some(11_999));
        assert_eq!(full.tokens, 5.0);
        // A 429 of another limit asking for 2 s: the next token comes 2 s (and one
        // refill step) later.
        full.throttled(start, Duration::from_secs(2), false);
        let wait = full.reserve(start);
        assert!((wait.as_secs_f64() - 2.1).abs() < 1e-9, "{wait:?}");
        // A 429 of this very bucket (its count is 0): one token owed, not whole seconds.
        let mut ahead = Bucket::new(&size(5, 10.0), start);
        ahead.observe(start, Some(0));
        ahead.throttled(start, Duration::from_secs(1), true);
        let wait = ahead.reserve(start);
        assert!((wait.as_secs_f64() - 0.2).abs() < 1e-9, "{wait:?}");
    }

    #[test]
    fn the_refill_counts_from_the_first_answer() {
        let start = Instant::now();
        let mut bucket = Bucket::new(&size(2, 10.0), start);
        bucket.reserve(start);
        bucket.reserve(start);
        // Before any answer, time brings no token: the service's bucket may not exist yet.
        let later = start + Duration::from_secs(1);
        bucket.refill(later);
        assert_eq!(bucket.tokens, 0.0);
        bucket.observe(later, None);
        bucket.refill(later + Duration::from_millis(100));
        assert!((bucket.tokens - 1.0).abs() < 1e-9, "{}", bucket.tokens);
    }

    #[test]
    fn a_token_whose_request_was_never_sent_is_given_back() {
        let start = Instant::now();
        let mut bucket = Bucket::new(&size(1, 1.0), start);
        assert_eq!(bucket.reserve(start), Duration::ZERO);
        assert!(bucket.reserve(start) > Duration::ZERO);
        bucket.give_back();
        assert_eq!(bucket.tokens, 0.0);
        // Odd sizes are clamped: no division by zero, no bucket that never refills.
        let odd = Bucket::new(&size(0, f64::NAN), start);
        assert_eq!((odd.capacity, odd.per_second), (1.0, 0.001));
    }

    #[test]
    fn pacing_follows_the_options_and_the_endpoint() {
        let on = PacingOptions::default();
        assert!(Pacer::for_endpoint(&on, false).is_some());
        assert!(Pacer::for_endpoint(&on, true).is_none());
        let loopback = PacingOptions {
            on_loopback: true,
            ..PacingOptions::default()
        };
        assert!(Pacer::for_endpoint(&loopback, true).is_some());
        assert!(Pacer::for_endpoint(&PacingOptions::off(), false).is_none());
    }
}
