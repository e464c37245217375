//! Client options, in the Azure SDK's shape: fill what you need, `..Default::default()`
//! for the rest.

use std::time::Duration;

/// The public Azure Resource Manager endpoint.
pub const DEFAULT_ENDPOINT: &str = "https://management.azure.com";
/// The newest stable API Management api-version.
pub const DEFAULT_API_VERSION: &str = "2024-05-01";

/// Options for [`ApimClient::new`](crate::ApimClient::new).
#[derive(Clone, Debug)]
pub struct ApimClientOptions {
    /// The management endpoint. Default: `https://management.azure.com`.
    pub endpoint: String,
    /// The api-version sent with every request unless an operation fixes its own.
    /// Default: `2024-05-01`.
    pub api_version: String,
    /// How failed attempts are retried.
    pub retry: RetryOptions,
    /// How long to wait for a connection. Default: 20 s.
    pub connect_timeout: Duration,
    /// How long one attempt (request and response body) may take. Default: 60 s. The
    /// call's budget, [`RetryOptions::max_elapsed`], can end an attempt sooner.
    pub request_timeout: Duration,
    /// How long one call of the credential (`get_token`) may take before it is given up
    /// with a [`Credential`](crate::ErrorKind::Credential) error. Default: 30 s, longer
    /// than `azure_identity`'s credentials take when their endpoint answers at all; the
    /// next request then asks the credential again (after a short back-off). A token is
    /// fetched before a request is sent, so this is not part of `request_timeout`.
    pub credential_timeout: Duration,
    /// Permit plain `http://` for loopback hosts only (127.0.0.0/8, `::1`, `localhost`),
    /// for emulators and tests. Any other `http://` endpoint is refused either way.
    pub allow_http_loopback: bool,
    /// Use the proxy named by `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` (and `NO_PROXY`) for
    /// `https://` endpoints. Default: `true`. A loopback endpoint never goes through a
    /// proxy, whatever this says: the token would reach the proxy in clear over `http://`.
    pub use_env_proxy: bool,
    /// The most pages one [`Pager`](crate::Pager) fetches before it stops with a
    /// [`Paging`](crate::ErrorKind::Paging) error, a bound on a service that pages forever.
    /// Default: 10,000.
    pub max_pages: u32,
    /// How long-running operations are polled.
    pub polling: PollingOptions,
    /// How requests are paced to stay within ARM's throttling limits. Default: on for
    /// any endpoint but loopback ones (the emulator, test servers).
    pub pacing: PacingOptions,
}

impl Default for ApimClientOptions {
    fn default() -> Self {
        ApimClientOptions {
            endpoint: DEFAULT_ENDPOINT.to_owned(),
            api_version: DEFAULT_API_VERSION.to_owned(),
            retry: RetryOptions::default(),
            connect_timeout: Duration::from_secs(20),
            request_timeout: Duration::from_secs(60),
            credential_timeout: Duration::from_secs(30),
            allow_http_loopback: false,
            use_env_proxy: true,
            max_pages: 10_000,
            polling: PollingOptions::default(),
            pacing: PacingOptions::default(),
        }
    }
}

/// Retry settings. The defaults are azure_core's: up to 8 retries within 60 s, exponential
/// backoff from 200 ms up to 30 s with up to 255 ms of jitter, and the service's
/// `Retry-After` wins when it asks for longer.
#[derive(Clone, Debug)]
pub struct RetryOptions {
    /// Retries after the first attempt; 0 disables retrying.
    pub max_retries: u32,
    /// The first backoff delay; each later one doubles.
    pub initial_delay: Duration,
    /// The longest single backoff delay.
    pub max_delay: Duration,
    /// The time budget of one call, from its first attempt: no retry starts and no wait
    /// is taken that would end past it, and an attempt still running when it ends is cut
    /// off with [`ErrorKind::Timeout`](crate::ErrorKind::Timeout). It bounds the first
    /// attempt too: raise it with `ApimClientOptions::request_timeout` for slow operations.
    pub max_elapsed: Duration,
}

impl Default for RetryOptions {
    fn default() -> Self {
        RetryOptions {
            max_retries: 8,
            initial_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(30),
            max_elapsed: Duration::from_secs(60),
        }
    }
}

impl RetryOptions {
    /// No retries: every failure is returned at once.
    pub fn none() -> Self {
        RetryOptions {
            max_retries: 0,
            ..RetryOptions::default()
        }
    }
}

/// How a [`Poller`](crate::Poller) waits. The defaults are the Azure SDKs': the service's
/// `Retry-After` when it gives one, 30 s otherwise, never less than 1 s between polls,
/// and a limit of 2 hours (creating an API Management service can take most of one).
///
/// On a loopback endpoint (127.0.0.0/8, `::1`, `localhost`: the emulator, a test server)
/// the first [`loopback_fast_polls`](Self::loopback_fast_polls) waits of an operation take
/// the server's word even below `min_interval` (`Retry-After: 0` polls at once), so a
/// long-running call against the emulator takes milliseconds with the default options.
/// Every later wait, and every wait on any other endpoint, is at least `min_interval`: a
/// server that keeps answering "in progress, poll again now" is polled at most that many
/// times before the floor applies.
#[derive(Clone, Debug)]
pub struct PollingOptions {
    /// The wait between polls when the service gives no `Retry-After`.
    pub default_interval: Duration,
    /// The shortest wait between polls, whatever the service asks (but see
    /// [`loopback_fast_polls`](Self::loopback_fast_polls)).
    pub min_interval: Duration,
    /// On a loopback endpoint only: how many waits of one operation may be shorter than
    /// `min_interval` when the server asks for less. Default: 20. `0` applies the floor
    /// on loopback too.
    pub loopback_fast_polls: u32,
    /// The longest a poller polls before it stops with
    /// [`ErrorKind::PollingTimedOut`](crate::ErrorKind::PollingTimedOut).
    pub max_duration: Duration,
}

impl Default for PollingOptions {
    fn default() -> Self {
        PollingOptions {
            default_interval: Duration::from_secs(30),
            min_interval: Duration::from_secs(1),
            loopback_fast_polls: 20,
            max_duration: Duration::from_secs(2 * 3600),
        }
    }
}

impl PollingOptions {
    /// The wait before the next poll of an operation that has already waited `waits`
    /// times: the server's (`Retry-After` or kin) if it gave one, else
    /// `default_interval`; never below `min_interval`, except on a `loopback` endpoint
    /// for the first `loopback_fast_polls` waits.
    pub(crate) fn wait(&self, server: Option<Duration>, loopback: bool, waits: u32) -> Duration {
        let wait = server.unwrap_or(self.default_interval);
        if loopback && waits < self.loopback_fast_polls {
            wait
        } else {
            wait.max(self.min_interval)
        }
    }
}

/// Client-side pacing within Azure Resource Manager's request limits: each request waits
/// *before* it is sent when ARM's bucket for it would be empty, instead of being answered
/// 429 `SubscriptionRequestsThrottled` and retried after the service's wait.
///
/// ARM throttles with a token bucket per region, subscription and principal, for reads
/// (GET, HEAD), writes (PUT, PATCH, POST) and deletes apart. The client keeps one bucket
/// per subscription and kind, shared by all clones of the client, starting from ARM's
/// documented sizes (the defaults), and follows what the service reports: the
/// `x-ms-ratelimit-remaining-*` count of every answer when it is lower than the model's
/// (another program spending the same subscription's tokens), and a 429's wait (still
/// retried as before, within [`RetryOptions`]). A request waiting here is within its
/// call's time budget ([`RetryOptions::max_elapsed`]).
///
/// On by default for every endpoint but loopback ones, which are emulators and test
/// servers that do not throttle (set [`on_loopback`](Self::on_loopback) to pace those,
/// e.g. an emulator with ARM's buckets on). [`PacingOptions::off`] turns it off.
///
/// ```
/// use apim_client::{ApimClientOptions, BucketSize, PacingOptions};
/// // Off, e.g. for a single call where waiting is never wanted:
/// let off = ApimClientOptions { pacing: PacingOptions::off(), ..Default::default() };
/// // Tuned, e.g. a subscription shared with another bulk job: half of ARM's rates.
/// let half = ApimClientOptions {
///     pacing: PacingOptions {
///         reads: BucketSize { capacity: 125, per_second: 12.5 },
///         writes: BucketSize { capacity: 100, per_second: 5.0 },
///         deletes: BucketSize { capacity: 100, per_second: 5.0 },
///         ..Default::default()
///     },
///     ..Default::default()
/// };
/// # let _ = (off, half);
/// ```
#[derive(Clone, Debug)]
pub struct PacingOptions {
    /// Pace at all. Default: `true`.
    pub enabled: bool,
    /// Pace a loopback endpoint too (127.0.0.0/8, `::1`, `localhost`). Default: `false`.
    pub on_loopback: bool,
    /// The bucket of reads. Default: ARM's, 250 requests refilled at 25 a second.
    pub reads: BucketSize,
    /// The bucket of writes. Default: ARM's, 200 requests refilled at 10 a second.
    pub writes: BucketSize,
    /// The bucket of deletes. Default: ARM's, 200 requests refilled at 10 a second.
    pub deletes: BucketSize,
}

/// The size of one throttling bucket: how many requests it holds when full, and how
/// many it regains each second.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BucketSize {
    /// Requests a full bucket lets through at once.
    pub capacity: u32,
    /// Requests regained per second.
    pub per_second: f64,
}

impl Default for PacingOptions {
    fn default() -> Self {
        PacingOptions {
            enabled: true,
            on_loopback: false,
            reads: BucketSize {
                capacity: 250,
                per_second: 25.0,
            },
            writes: BucketSize {
                capacity: 200,
                per_second: 10.0,
            },
            deletes: BucketSize {
                capacity: 200,
                per_second: 10.0,
            },
        }
    }
}

impl PacingOptions {
    /// No pacing: requests are sent at once, and a 429 is only retried.
    pub fn off() -> Self {
        PacingOptions {
            enabled: false,
            ..PacingOptions::default()
        }
    }

    /// The same bucket for reads, writes and deletes, on any endpoint, loopback included:
    /// for an emulator whose buckets are scaled down.
    pub fn uniform(capacity: u32, per_second: f64) -> Self {
        let size = BucketSize {
            capacity,
            per_second,
        };
        PacingOptions {
            enabled: true,
            on_loopback: true,
            reads: size,
            writes: size,
            deletes: size,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_floor_holds_off_loopback_and_after_the_fast_polls() {
        let options = PollingOptions::default();
        let zero = Some(Duration::ZERO);
        let second = Duration::from_secs(1);
        // Azure (or any endpoint that is not loopback): `Retry-After: 0` is never taken.
        for waits in [0, 1, 19, 20, 1000] {
            assert_eq!(options.wait(zero, false, waits), second);
        }
        // Loopback: the first 20 waits are the server's, then the floor returns.
        assert_eq!(options.wait(zero, true, 0), Duration::ZERO);
        assert_eq!(options.wait(zero, true, 19), Duration::ZERO);
        assert_eq!(options.wait(zero, true, 20), second);
        assert_eq!(options.wait(zero, true, u32::MAX), second);
        // Longer waits are the server's everywhere; none given is the default interval.
        let long = Some(Duration::from_secs(7));
        assert_eq!(options.wait(long, false, 0), Duration::from_secs(7));
        assert_eq!(options.wait(None, true, 0), Duration::from_secs(30));
        assert_eq!(options.wait(None, false, 0), Duration::from_secs(30));
        // `loopback_fast_polls: 0` applies the floor on loopback too.
        let strict = PollingOptions {
            loopback_fast_polls: 0,
            ..PollingOptions::default()
        };
        assert_eq!(strict.wait(zero, true, 0), second);
    }
}
