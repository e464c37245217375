//! `Response<T>`: the decoded model next to the status and headers, for callers that need
//! the request id or the ETag of a successful call.

use reqwest::header::HeaderMap;

use crate::rate_limit::RateLimit;

/// A successful response: status, headers and the decoded body. Declare an operation as
/// `-> Result<Response<T>>` (or `Result<Response<()>>` for an empty body) to get one.
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: u16,
    headers: HeaderMap,
    model: T,
}

impl<T> Response<T> {
    pub(crate) fn new(status: u16, headers: HeaderMap, model: T) -> Self {
        Response {
            status,
            headers,
            model,
        }
    }

    /// The HTTP status, e.g. 202.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// All response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// One header as text, if present and printable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `x-ms-request-id` the service assigned; quote it to Azure support.
    pub fn request_id(&self) -> Option<&str> {
        self.header("x-ms-request-id")
    }

    /// The `ETag` of the returned resource, for `If-Match` on a later update or delete.
    pub fn etag(&self) -> Option<&str> {
        self.header("etag")
    }

    /// What ARM says is left of its request limits after this call (the
    /// `x-ms-ratelimit-remaining-*` headers).
    pub fn rate_limit(&self) -> RateLimit {
        RateLimit::from_headers(&self.headers)
    }

    /// The decoded body.
    pub fn model(&self) -> &T {
        &self.model
    }

    /// The decoded body, dropping status and headers.
    pub fn into_model(self) -> T {
        self.model
    }
}
