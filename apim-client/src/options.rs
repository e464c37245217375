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
#[derive(Clone, Debug)]
pub struct PollingOptions {
    /// The wait between polls when the service gives no `Retry-After`.
    pub default_interval: Duration,
    /// The shortest wait between polls, whatever the service asks.
    pub min_interval: Duration,
    /// The longest a poller polls before it stops with
    /// [`ErrorKind::PollingTimedOut`](crate::ErrorKind::PollingTimedOut).
    pub max_duration: Duration,
}

impl Default for PollingOptions {
    fn default() -> Self {
        PollingOptions {
            default_interval: Duration::from_secs(30),
            min_interval: Duration::from_secs(1),
            max_duration: Duration::from_secs(2 * 3600),
        }
    }
}
