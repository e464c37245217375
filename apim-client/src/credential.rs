//! `StaticTokenCredential`: a fixed access token, for scripts and tests.

use std::fmt;

use azure_core::credentials::{AccessToken, Secret, TokenCredential, TokenRequestOptions};
use azure_core::time::{Duration, OffsetDateTime};

/// A [`TokenCredential`] that always returns the same token string, whatever the scope.
/// Its `Debug` never shows the token.
#[derive(Clone)]
pub struct StaticTokenCredential {
    token: Secret,
    expires_on: OffsetDateTime,
}

impl StaticTokenCredential {
    /// A token the client treats as valid for a day from now; the service decides.
    pub fn new(token: impl Into<String>) -> Self {
        Self::with_expiry(token, OffsetDateTime::now_utc() + Duration::days(1))
    }

    /// A token that expires at `expires_on`.
    pub fn with_expiry(token: impl Into<String>, expires_on: OffsetDateTime) -> Self {
        StaticTokenCredential {
            token: Secret::new(token.into()),
            expires_on,
        }
    }
}

impl fmt::Debug for StaticTokenCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticTokenCredential")
            .field("token", &"<redacted>")
            .field("expires_on", &self.expires_on)
            .finish()
    }
}

#[async_trait::async_trait]
impl TokenCredential for StaticTokenCredential {
    async fn get_token(
        &self,
        _scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        Ok(AccessToken::new(self.token.clone(), self.expires_on))
    }
}
