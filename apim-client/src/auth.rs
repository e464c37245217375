//! The token cache in front of the user's `TokenCredential`.
//!
//! The fast path is one atomic load and one clock read: the cached `Authorization` value is
//! shared through `ArcSwap`, so concurrent requests never take a lock to read it. Refreshes
//! are single-flight: one task asks the credential while the others wait for its answer.

use std::fmt;
use std::sync::Arc;

use arc_swap::ArcSwapOption;
use azure_core::credentials::TokenCredential;
use azure_core::time::{Duration, OffsetDateTime};
use reqwest::header::HeaderValue;

use crate::error::{Error, ErrorKind, Result};

/// Refresh this long before expiry (azure_core's margin), or at half the remaining
/// lifetime for tokens that live shorter than twice that.
const REFRESH_MARGIN: Duration = Duration::minutes(5);

pub(crate) struct TokenCache {
    credential: Arc<dyn TokenCredential>,
    scope: String,
    current: ArcSwapOption<CachedToken>,
    refresh: tokio::sync::Mutex<()>,
}

struct CachedToken {
    /// `Bearer <token>`, marked sensitive so `http`'s `Debug` does not print it.
    header: HeaderValue,
    refresh_at: OffsetDateTime,
    expires_on: OffsetDateTime,
}

impl TokenCache {
    pub(crate) fn new(credential: Arc<dyn TokenCredential>, scope: String) -> Self {
        TokenCache {
            credential,
            scope,
            current: ArcSwapOption::empty(),
            refresh: tokio::sync::Mutex::new(()),
        }
    }

    /// The `Authorization` value to send now.
    pub(crate) async fn authorization(&self) -> Result<HeaderValue> {
        if let Some(token) = &*self.current.load()
            && OffsetDateTime::now_utc() < token.refresh_at
        {
            return Ok(token.header.clone());
        }
        self.refresh().await
    }

    /// Forgets `rejected` after the service answered 401 to it, so the next call asks the
    /// credential again. A token another task already replaced is left alone.
    pub(crate) fn invalidate(&self, rejected: &HeaderValue) {
        let current = self.current.load();
        if current.as_ref().is_some_and(|t| t.header == *rejected) {
            self.current.compare_and_swap(&current, None);
        }
    }

    async fn refresh(&self) -> Result<HeaderValue> {
        let _single_flight = self.refresh.lock().await;
        // Another task may have refreshed while this one waited.
        let now = OffsetDateTime::now_utc();
        let stale = self.current.load_full();
        if let Some(token) = &stale
            && now < token.refresh_at
        {
            return Ok(token.header.clone());
        }
        match self.credential.get_token(&[&self.scope], None).await {
            Ok(access) => {
                let mut header = HeaderValue::try_from(format!("Bearer {}", access.token.secret()))
                    .map_err(|_| {
                        Error::with_source(
                            ErrorKind::Credential,
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
            Err(e) => match stale {
                // A refresh ahead of expiry that fails keeps using the token while it is valid.
                Some(token) if now < token.expires_on => {
                    tracing::warn!(scope = %self.scope, "token refresh failed; using the cached token until it expires");
                    Ok(token.header.clone())
                }
                _ => Err(Error::with_source(ErrorKind::Credential, e)),
            },
        }
    }
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("scope", &self.scope)
            .field("cached", &self.current.load().is_some())
            .finish_non_exhaustive()
    }
}
