//! The request headers the client sets itself. A declaration may not set them: the value
//! would be overwritten (or would fight the client's own), so `#[header("Accept")]` is a
//! compile error rather than a silent surprise.

/// `Authorization: Bearer <token>`, from the token cache.
pub const AUTHORIZATION: &str = "authorization";
/// `Accept: application/json`.
pub const ACCEPT: &str = "accept";
/// `Content-Type: application/json`, with a body.
pub const CONTENT_TYPE: &str = "content-type";
/// `Content-Length`, set by the HTTP client, or `0` on a bodiless PUT/POST/PATCH.
pub const CONTENT_LENGTH: &str = "content-length";
/// A fresh UUID per call, the same on every attempt of it.
pub const CLIENT_REQUEST_ID: &str = "x-ms-client-request-id";
/// `apim-client/<version>`, set once on the HTTP client.
pub const USER_AGENT: &str = "user-agent";
/// Set by the HTTP client from the URL.
pub const HOST: &str = "host";
/// Set by the HTTP client; the client always sends a length.
pub const TRANSFER_ENCODING: &str = "transfer-encoding";
/// Connection management belongs to the HTTP client's pool.
pub const CONNECTION: &str = "connection";

/// Every header the client (or its HTTP client) sets, in lower case.
pub const CLIENT_SET: [&str; 9] = [
    AUTHORIZATION,
    ACCEPT,
    CONTENT_TYPE,
    CONTENT_LENGTH,
    CLIENT_REQUEST_ID,
    USER_AGENT,
    HOST,
    TRANSFER_ENCODING,
    CONNECTION,
];

/// Whether `text` is an HTTP token (RFC 9110 §5.6.2): what a header name, a media type's
/// type and subtype, and a parameter's name are made of.
pub fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Whether the client sets `name` itself (header names are case-insensitive).
pub fn is_client_set(name: &str) -> bool {
    crate::contains_ignore_case(&CLIENT_SET, name)
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens() {
        assert!(super::is_token("If-Match"));
        assert!(super::is_token("vnd.ms-azure-apim.policy+xml"));
        assert!(!super::is_token(""));
        assert!(!super::is_token("a b"));
        assert!(!super::is_token("a/b"));
        assert!(!super::is_token("a:b"));
    }

    #[test]
    fn lookup_ignores_case() {
        assert!(super::is_client_set("Accept"));
        assert!(super::is_client_set("X-MS-Client-Request-Id"));
        assert!(!super::is_client_set("If-Match"));
        for name in super::CLIENT_SET {
            assert_eq!(name, name.to_ascii_lowercase());
        }
    }
}
