//! The secret-bearing parts of a backend: the credentials the gateway sends to it and the
//! web proxy it goes through. Their `Debug` output hides the secrets (proxy password,
//! authorization parameter, header and query values), so logging a backend cannot leak
//! them; serialization is unchanged, since the service needs them.

use std::collections::BTreeMap;
use std::fmt;

use super::wire::wire_struct;

/// Details of the credentials used to connect to the backend.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct BackendCredentialsContract {
    /// Client certificate ids (at most 32).
    pub certificate_ids: Option<Vec<String>>,
    /// Client certificate thumbprints (at most 32); ignored if `certificate_ids` is set.
    pub certificate: Option<Vec<String>>,
    /// Query parameters to add, by name. Values are hidden from `Debug`.
    pub query: Option<BTreeMap<String, Vec<String>>>,
    /// Headers to add, by name. Values are hidden from `Debug`.
    pub header: Option<BTreeMap<String, Vec<String>>>,
    /// Authorization header authentication.
    pub authorization: Option<BackendAuthorizationHeaderCredentials>,
}

impl fmt::Debug for BackendCredentialsContract {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Destructured so a new field cannot be forgotten here.
        let Self {
            certificate_ids,
            certificate,
            query,
            header,
            authorization,
        } = self;
        f.debug_struct("BackendCredentialsContract")
            .field("certificate_ids", certificate_ids)
            .field("certificate", certificate)
            .field("query", &query.as_ref().map(RedactedValues))
            .field("header", &header.as_ref().map(RedactedValues))
            .field("authorization", authorization)
            .finish()
    }
}

/// Authorization header information.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct BackendAuthorizationHeaderCredentials {
    /// Authentication scheme name (1-100 characters), e.g. `Basic`.
    pub scheme: String,
    /// Authentication parameter value (1-300 characters). Hidden from `Debug`.
    pub parameter: String,
}

impl BackendAuthorizationHeaderCredentials {
    /// `Authorization: <scheme> <parameter>`.
    pub fn new(scheme: impl Into<String>, parameter: impl Into<String>) -> Self {
        BackendAuthorizationHeaderCredentials {
            scheme: scheme.into(),
            parameter: parameter.into(),
        }
    }
}

impl fmt::Debug for BackendAuthorizationHeaderCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            scheme,
            parameter: _,
        } = self;
        f.debug_struct("BackendAuthorizationHeaderCredentials")
            .field("scheme", scheme)
            .field("parameter", &Redacted)
            .finish()
    }
}

/// Details of the web proxy server the gateway uses for requests to the backend.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct BackendProxyContract {
    /// The proxy server's absolute URI (1-2000 characters).
    pub url: String,
    /// Username to connect to the proxy server.
    pub username: Option<String>,
    /// Password to connect to the proxy server. Hidden from `Debug`.
    pub password: Option<String>,
}

impl BackendProxyContract {
    /// A proxy at `url`, without credentials.
    pub fn new(url: impl Into<String>) -> Self {
        BackendProxyContract {
            url: url.into(),
            ..Default::default()
        }
    }
}

impl fmt::Debug for BackendProxyContract {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            url,
            username,
            password,
        } = self;
        f.debug_struct("BackendProxyContract")
            .field("url", url)
            .field("username", username)
            .field("password", &password.as_ref().map(|_| Redacted))
            .finish()
    }
}

/// Stands in for a secret in `Debug` output.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A map's names with every value hidden: which headers are set is useful in a log, their
/// values (API keys, SAS tokens) are not.
struct RedactedValues<'a>(&'a BTreeMap<String, Vec<String>>);

impl fmt::Debug for RedactedValues<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.keys().map(|name| (name, Redacted)))
            .finish()
    }
}

// Read with the lenient rules of `models/wire.rs`, as the generated models are.
wire_struct!(BackendCredentialsContract {
    certificate_ids: optional "certificateIds",
    certificate: optional "certificate",
    query: optional "query",
    header: optional "header",
    authorization: optional "authorization",
});
wire_struct!(BackendAuthorizationHeaderCredentials {
    scheme: required "scheme",
    parameter: required "parameter",
});
wire_struct!(BackendProxyContract {
    url: required "url",
    username: optional "username",
    password: optional "password",
});

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn credentials() -> BackendCredentialsContract {
        BackendCredentialsContract {
            certificate_ids: Some(vec!["cert1".to_owned()]),
            header: Some(BTreeMap::from([(
                "x-api-key".to_owned(),
                vec!["header-secret-1".to_owned(), "header-secret-2".to_owned()],
            )])),
            query: Some(BTreeMap::from([(
                "sig".to_owned(),
                vec!["query-secret".to_owned()],
            )])),
            authorization: Some(BackendAuthorizationHeaderCredentials::new(
                "Basic",
                "auth-secret",
            )),
            ..Default::default()
        }
    }

    #[test]
    fn debug_hides_secrets_but_keeps_names() {
        let text = format!("{:?} {:#?}", credentials(), credentials());
        for secret in [
            "header-secret-1",
            "header-secret-2",
            "query-secret",
            "auth-secret",
        ] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
        for visible in ["x-api-key", "sig", "Basic", "cert1", "<redacted>"] {
            assert!(text.contains(visible), "{visible} missing: {text}");
        }

        let mut proxy = BackendProxyContract::new("http://192.168.1.1:8080");
        proxy.username = Some("Contoso\\admin".into());
        proxy.password = Some("proxy-secret".into());
        let text = format!("{proxy:?}");
        assert!(!text.contains("proxy-secret"), "{text}");
        assert!(text.contains("password: Some(<redacted>)"), "{text}");
        assert!(text.contains("192.168.1.1:8080"), "{text}");
        proxy.password = None;
        assert!(format!("{proxy:?}").contains("password: None"));
    }

    #[test]
    fn secrets_are_still_serialized() {
        let body = serde_json::to_value(credentials()).unwrap();
        assert_eq!(
            body,
            json!({
                "certificateIds": ["cert1"],
                "query": {"sig": ["query-secret"]},
                "header": {"x-api-key": ["header-secret-1", "header-secret-2"]},
                "authorization": {"scheme": "Basic", "parameter": "auth-secret"},
            })
        );
    }

    #[test]
    fn required_fields_are_required() {
        assert!(serde_json::from_value::<BackendProxyContract>(json!({})).is_err());
        assert!(
            serde_json::from_value::<BackendAuthorizationHeaderCredentials>(
                json!({"scheme": "Basic"})
            )
            .is_err()
        );
    }
}
