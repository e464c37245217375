//! Which endpoints a token may be sent to: `https://` anywhere, `http://` only on loopback
//! hosts and only when the user opted in.

use std::borrow::Cow;

use url::{Host, Url};

use crate::error::{Error, Result};

/// A checked endpoint.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    /// The endpoint without a trailing slash; request paths are appended to it.
    pub(crate) base: String,
    /// `scheme://host[:port]`, the only origin that ever receives the token.
    pub(crate) origin: String,
    /// 127.0.0.0/8, `::1` or `localhost`: never reached through a proxy.
    pub(crate) is_loopback: bool,
    /// `base` parsed once, to resolve the service's links (`nextLink`, polling URLs).
    pub(crate) url: Url,
}

pub(crate) fn parse(endpoint: &str, allow_http_loopback: bool) -> Result<Endpoint> {
    let invalid = |reason: Cow<'static, str>| Error::configuration(reason);
    let url = Url::parse(endpoint)
        .map_err(|e| invalid(format!("the endpoint is not a URL: {e}").into()))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "the endpoint must not contain user information".into(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(
            "the endpoint must not contain a query or fragment".into(),
        ));
    }
    let Some(host) = url.host() else {
        return Err(invalid(format!("endpoint `{endpoint}` has no host").into()));
    };
    match url.scheme() {
        "https" => {}
        "http" if allow_http_loopback && is_loopback(&host) => {}
        "http" if is_loopback(&host) => {
            return Err(invalid(
                "TLS is required: `http://` endpoints are refused unless `allow_http_loopback` is set, which permits loopback hosts only".into(),
            ));
        }
        "http" => {
            return Err(invalid(
                format!("TLS is required: the endpoint `{endpoint}` uses `http://` on a host that is not loopback; use `https://`").into(),
            ));
        }
        other => {
            return Err(invalid(
                format!("unsupported scheme `{other}`: use `https://`").into(),
            ));
        }
    }
    let base = url.as_str().trim_end_matches('/').to_owned();
    let links_base =
        Url::parse(&base).map_err(|e| invalid(format!("the endpoint is not a URL: {e}").into()))?;
    Ok(Endpoint {
        origin: url.origin().ascii_serialization(),
        is_loopback: is_loopback(&host),
        url: links_base,
        base,
    })
}

/// 127.0.0.0/8, `::1` and `localhost`.
fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => ip.is_loopback(),
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn https_is_accepted_and_normalised() {
        let e = parse("https://management.azure.com/", false).unwrap();
        assert_eq!(e.base, "https://management.azure.com");
        assert_eq!(e.origin, "https://management.azure.com");
        let e = parse("https://proxy.example.com:8443/arm/", false).unwrap();
        assert_eq!(e.base, "https://proxy.example.com:8443/arm");
        assert_eq!(e.origin, "https://proxy.example.com:8443");
    }

    #[test]
    fn http_only_on_loopback_with_opt_in() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.9.9.9",
            "http://[::1]:1",
            "http://LOCALHOST:3000",
        ] {
            assert!(parse(ok, true).is_ok(), "{ok}");
            let refused = parse(ok, false).unwrap_err().to_string();
            assert!(refused.contains("TLS is required"), "{refused}");
        }
        for bad in [
            "http://management.azure.com",
            "http://10.0.0.1",
            "http://localhost.evil.com",
            "http://128.0.0.1",
        ] {
            let refused = parse(bad, true).unwrap_err().to_string();
            assert!(refused.contains("TLS is required"), "{bad}: {refused}");
        }
    }

    #[test]
    fn odd_endpoints_are_refused() {
        for bad in [
            "management.azure.com",
            "ftp://x",
            "https://user:pw@host",
            "https://h/?a=b",
            "https://h/#f",
        ] {
            assert!(parse(bad, true).is_err(), "{bad}");
        }
        let message = parse("https://user:hunter2@host", false)
            .unwrap_err()
            .to_string();
        assert!(!message.contains("hunter2"));
    }
}
