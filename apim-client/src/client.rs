//! `ApimClient`: the endpoint, the api-version, the subscription, one shared connection
//! pool and the token cache. Cloning is one reference-count increment.

use std::fmt;
use std::sync::Arc;

use azure_core::credentials::TokenCredential;
use percent_encoding::utf8_percent_encode;

use crate::auth::TokenCache;
use crate::encoding::COMPONENT;
use crate::endpoint;
use crate::error::{Error, Result};
use crate::options::{ApimClientOptions, PollingOptions, RetryOptions};
use crate::pacing::Pacer;
use crate::rules;

/// A client for the API Management management API. Each operation group is reached
/// through a handle named after it (`client.backend()`, `client.api()`);
/// [`BackendReconnectApi`](crate::apis::BackendReconnectApi) and users' own traits are
/// implemented on the client itself.
#[derive(Clone)]
pub struct ApimClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: String,
    /// `base` parsed, for resolving the service's links against it.
    base_url: reqwest::Url,
    /// `scheme://host[:port]` of the endpoint: the only origin that receives the token.
    origin: String,
    api_version: String,
    subscription_id: String,
    subscription_segment: String,
    auth: TokenCache,
    retry: RetryOptions,
    max_pages: u32,
    polling: PollingOptions,
    /// ARM's throttling buckets as this client sees them, shared by its clones; `None`
    /// when pacing is off for this endpoint.
    pacer: Option<Pacer>,
    /// The endpoint is 127.0.0.0/8, `::1` or `localhost` (see [`PollingOptions::wait`]).
    loopback: bool,
}

impl ApimClient {
    /// Creates a client for `subscription_id` (a UUID) that authenticates with
    /// `credential`, e.g. any `azure_identity` credential or a
    /// [`StaticTokenCredential`](crate::StaticTokenCredential).
    ///
    /// Refuses, before any connection is made: a subscription id that is not a UUID, an
    /// endpoint that is not `https://` (plain `http://` only for loopback hosts with
    /// [`ApimClientOptions::allow_http_loopback`]), and an api-version that is empty.
    pub fn new(
        subscription_id: impl Into<String>,
        credential: Arc<dyn TokenCredential>,
        options: Option<ApimClientOptions>,
    ) -> Result<Self> {
        let options = options.unwrap_or_default();
        let subscription_id = subscription_id.into();
        rules::SUBSCRIPTION_ID
            .check(&subscription_id)
            .map_err(|reason| Error::invalid_argument("subscription_id", reason))?;
        let endpoint = endpoint::parse(&options.endpoint, options.allow_http_loopback)?;
        if options.api_version.trim().is_empty() {
            return Err(Error::configuration("the api-version must not be empty"));
        }
        let mut http = reqwest::Client::builder();
        if endpoint.is_loopback || !options.use_env_proxy {
            // A proxy from the environment would see a plain-http token in clear.
            http = http.no_proxy();
        }
        let http = http
            .connect_timeout(options.connect_timeout)
            .timeout(options.request_timeout)
            // A redirect would be followed without us deciding where the token goes.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("apim-client/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| {
                Error::with_source(
                    crate::ErrorKind::Configuration("the HTTP client could not be built".into()),
                    e,
                )
            })?;
        let scope = format!("{}/.default", endpoint.origin);

        Ok(ApimClient {
            inner: Arc::new(Inner {
                http,
                base: endpoint.base,
                base_url: endpoint.url,
                origin: endpoint.origin,
                api_version: options.api_version,
                subscription_segment: utf8_percent_encode(&subscription_id, COMPONENT).to_string(),
                subscription_id,
                auth: TokenCache::new(credential, scope, options.credential_timeout),
                retry: options.retry,
                max_pages: options.max_pages,
                polling: options.polling,
                pacer: Pacer::for_endpoint(&options.pacing, endpoint.is_loopback),
                loopback: endpoint.is_loopback,
            }),
        })
    }

    /// The subscription id of [`ApimClient::local`]: the one the emulator's default service
    /// is in (and the REST description's examples use).
    pub const LOCAL_SUBSCRIPTION_ID: &'static str = "00000000-0000-0000-0000-000000000000";

    /// A client for a local endpoint, such as a running `apim-emulator`
    /// (`http://127.0.0.1:PORT`), that sends `token` as its bearer token, in the
    /// subscription [`LOCAL_SUBSCRIPTION_ID`](Self::LOCAL_SUBSCRIPTION_ID), with the
    /// default options otherwise (plain `http://` allowed, as the endpoint is loopback).
    ///
    /// Refuses an endpoint that is not loopback (127.0.0.0/8, `::1`, `localhost`): for any
    /// other, use [`ApimClient::new`] with a real credential.
    ///
    /// ```
    /// # fn run() -> apim_client::Result<()> {
    /// let client = apim_client::ApimClient::local("http://127.0.0.1:8080", "emulator-token")?;
    /// assert_eq!(client.subscription_id(), "00000000-0000-0000-0000-000000000000");
    /// assert!(apim_client::ApimClient::local("https://management.azure.com", "t").is_err());
    /// # Ok(())
    /// # }
    /// # run().unwrap();
    /// ```
    pub fn local(endpoint: impl Into<String>, token: impl Into<String>) -> Result<Self> {
        let endpoint = endpoint.into();
        if !endpoint::parse(&endpoint, true)?.is_loopback {
            return Err(Error::configuration(
                "ApimClient::local takes a loopback endpoint (127.0.0.1, ::1 or localhost); use ApimClient::new for any other",
            ));
        }
        let credential = Arc::new(crate::StaticTokenCredential::new(token));
        let options = ApimClientOptions {
            endpoint,
            allow_http_loopback: true,
            ..ApimClientOptions::default()
        };
        ApimClient::new(Self::LOCAL_SUBSCRIPTION_ID, credential, Some(options))
    }

    /// The endpoint requests go to, without a trailing slash.
    pub fn endpoint(&self) -> &str {
        &self.inner.base
    }

    /// The subscription id paths are built with.
    pub fn subscription_id(&self) -> &str {
        &self.inner.subscription_id
    }

    /// The api-version sent with requests whose operation does not fix its own.
    pub fn api_version(&self) -> &str {
        &self.inner.api_version
    }

    /// A link the service gave (`what`: "nextLink", "polling URL"), resolved against the
    /// endpoint, if it stays on the endpoint's origin; otherwise why it is refused.
    pub(crate) fn on_origin(
        &self,
        link: &str,
        what: &str,
    ) -> std::result::Result<reqwest::Url, String> {
        let url = self
            .inner
            .base_url
            .join(link)
            .map_err(|e| format!("the {what} is not a URL: {e}"))?;
        let origin = url.origin().ascii_serialization();
        if origin != self.inner.origin {
            return Err(format!(
                "the {what} points to {origin}, not to the endpoint's origin {}; the token is never sent elsewhere",
                self.inner.origin
            ));
        }
        Ok(url)
    }

    pub(crate) fn subscription_segment(&self) -> &str {
        &self.inner.subscription_segment
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    pub(crate) fn auth(&self) -> &TokenCache {
        &self.inner.auth
    }

    pub(crate) fn retry_options(&self) -> &RetryOptions {
        &self.inner.retry
    }

    pub(crate) fn max_pages(&self) -> u32 {
        self.inner.max_pages
    }

    pub(crate) fn polling_options(&self) -> &PollingOptions {
        &self.inner.polling
    }

    pub(crate) fn pacer(&self) -> Option<&Pacer> {
        self.inner.pacer.as_ref()
    }

    pub(crate) fn is_loopback(&self) -> bool {
        self.inner.loopback
    }
}

impl AsRef<ApimClient> for ApimClient {
    fn as_ref(&self) -> &ApimClient {
        self
    }
}

impl fmt::Debug for ApimClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApimClient")
            .field("endpoint", &self.inner.base)
            .field("subscription_id", &self.inner.subscription_id)
            .field("api_version", &self.inner.api_version)
            .field("retry", &self.inner.retry)
            .field("pacing", &self.inner.pacer.is_some())
            .finish_non_exhaustive()
    }
}
