//! One error type for everything an operation can fail with, carrying the context a person
//! needs to act on it: the operation, the status, the ARM error code and the request id.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;

use crate::rate_limit::RateLimit;

/// The result of every apim operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;

type Source = Box<dyn StdError + Send + Sync + 'static>;

/// An apim error. Small (one pointer) so `Result<T>` stays cheap on the happy path.
///
/// It prints on one line, starting with the operation id:
/// `Api_Get: HTTP 404 ResourceNotFound: Api not found. (request id ..)`. The common answers
/// have predicates, so a program can react without matching status codes:
///
/// ```no_run
/// # use apim_client::prelude::*;
/// # async fn run(client: &apim_client::ApimClient) -> apim_client::Result<()> {
/// match client.api().get("rg1", "apim1", "echo").await {
///     Ok(api) => println!("{:?}", api.etag()),
///     Err(e) if e.is_not_found() => println!("no such API"),
///     Err(e) if e.is_precondition_failed() => println!("changed meanwhile: read it again"),
///     Err(e) if e.is_conflict() => println!("in the way of another change"),
///     Err(e) if e.is_throttled() => println!("throttled, even after the retries"),
///     Err(e) => return Err(e),
/// }
/// # Ok(())
/// # }
/// ```
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    operation: Option<Cow<'static, str>>,
    client_request_id: Option<String>,
    source: Option<Source>,
}

/// An item of a list page that did not decode into its model.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ItemError {
    /// Its place on the page, from 0.
    pub index: usize,
    /// The raw item's `id` (the resource id), when it has one.
    pub id: Option<String>,
    /// Why it did not decode (serde's message: the field and the position in the item).
    pub reason: String,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The service answered with a status the operation does not expect.
    Service(ServiceError),
    /// The request could not be sent or its answer not received (connection refused,
    /// reset, TLS failure, body interrupted).
    Transport,
    /// The request did not complete within the configured timeout.
    Timeout,
    /// The service answered with a success status but a body that could not be decoded.
    Decode,
    /// One item of a list page could not be decoded; the page's other items were read
    /// (the pager goes on).
    ItemDecode(ItemError),
    /// The answer's body is larger than the client buffers (16 MiB): a broken or hostile
    /// server, not management data. Not retried.
    BodyTooLarge {
        /// The HTTP status of the answer.
        status: u16,
        /// The cap, in bytes.
        limit: usize,
    },
    /// No token could be obtained from the credential.
    Credential,
    /// An argument was refused before anything was sent.
    InvalidArgument {
        /// The argument's name as declared, e.g. `backend_id`.
        parameter: Cow<'static, str>,
        /// Why it was refused.
        reason: Cow<'static, str>,
    },
    /// Paging stopped: a `nextLink` that is malformed, on another origin than the
    /// endpoint, or repeated.
    Paging(Cow<'static, str>),
    /// `ApimClient::new` refused its options (for example a plain `http://` endpoint).
    Configuration(Cow<'static, str>),
    /// A long-running operation ended `Failed`: the ARM `error` of its status (code,
    /// message, details) and the request id of the answer that said so.
    OperationFailed(ServiceError),
    /// A long-running operation ended `Canceled`, with the ARM `error` if the status had one.
    OperationCanceled(ServiceError),
    /// Polling stopped: the service's answers do not allow it (a 202 with nothing to
    /// poll, a status URL on another origin, a status without a state, a bad resume token).
    Polling(Cow<'static, str>),
    /// A long-running operation did not end within
    /// [`PollingOptions::max_duration`](crate::PollingOptions::max_duration).
    PollingTimedOut,
}

/// An error answered by the service, parsed leniently from ARM's and APIM's error shapes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ServiceError {
    /// The HTTP status code.
    pub status: u16,
    /// The ARM error code, e.g. `ResourceNotFound`.
    pub code: Option<String>,
    /// The service's message.
    pub message: Option<String>,
    /// The part of the request the error is about.
    pub target: Option<String>,
    /// Nested errors, e.g. one per invalid field.
    pub details: Vec<ErrorDetail>,
    /// The `x-ms-request-id` the service assigned; quote it to Azure support.
    pub request_id: Option<String>,
    /// What ARM said is left of its request limits (`x-ms-ratelimit-remaining-*`).
    pub rate_limit: RateLimit,
}

/// One entry of an error's `details`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ErrorDetail {
    /// The detail's error code.
    pub code: Option<String>,
    /// The detail's message.
    pub message: Option<String>,
    /// The field or part of the request it is about.
    pub target: Option<String>,
    /// Nested details.
    pub details: Vec<ErrorDetail>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                operation: None,
                client_request_id: None,
                source: None,
            }),
        }
    }

    pub(crate) fn with_source(kind: ErrorKind, source: impl Into<Source>) -> Self {
        let mut error = Error::new(kind);
        error.inner.source = Some(source.into());
        error
    }

    pub(crate) fn invalid_argument(
        parameter: impl Into<Cow<'static, str>>,
        reason: impl Into<Cow<'static, str>>,
    ) -> Self {
        Error::new(ErrorKind::InvalidArgument {
            parameter: parameter.into(),
            reason: reason.into(),
        })
    }

    pub(crate) fn configuration(reason: impl Into<Cow<'static, str>>) -> Self {
        Error::new(ErrorKind::Configuration(reason.into()))
    }

    pub(crate) fn in_operation(mut self, operation: impl Into<Cow<'static, str>>) -> Self {
        if self.inner.operation.is_none() {
            self.inner.operation = Some(operation.into());
        }
        self
    }

    pub(crate) fn with_client_request_id(mut self, id: &str) -> Self {
        self.inner.client_request_id = Some(id.to_owned());
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.inner.kind
    }

    /// The operation that failed, by its operation id, e.g. `Api_Get` (a declaration
    /// without `operation_id = ".."` goes by its method's name).
    pub fn operation(&self) -> Option<&str> {
        self.inner.operation.as_deref()
    }

    /// The service's answer, when the error is one.
    pub fn service_error(&self) -> Option<&ServiceError> {
        match &self.inner.kind {
            ErrorKind::Service(e)
            | ErrorKind::OperationFailed(e)
            | ErrorKind::OperationCanceled(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status, when the service answered.
    pub fn status(&self) -> Option<u16> {
        self.service_error().map(|e| e.status)
    }

    /// The ARM error code, e.g. `ResourceNotFound`.
    pub fn code(&self) -> Option<&str> {
        self.service_error().and_then(|e| e.code.as_deref())
    }

    /// The service's error message.
    pub fn message(&self) -> Option<&str> {
        self.service_error().and_then(|e| e.message.as_deref())
    }

    /// The `x-ms-request-id` of the failed request.
    pub fn request_id(&self) -> Option<&str> {
        self.service_error().and_then(|e| e.request_id.as_deref())
    }

    /// What ARM said is left of its request limits, when the service answered (for a
    /// throttled call: which bucket ran out).
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.service_error().map(|e| e.rate_limit)
    }

    /// The `x-ms-client-request-id` this client sent, when a request was sent.
    pub fn client_request_id(&self) -> Option<&str> {
        self.inner.client_request_id.as_deref()
    }

    /// True when the error was found before anything was sent.
    pub fn is_invalid_argument(&self) -> bool {
        matches!(self.inner.kind, ErrorKind::InvalidArgument { .. })
    }

    /// The status the service answered the request with, for an error answer (not for a
    /// long-running operation that ended failed).
    fn answered(&self) -> Option<u16> {
        match &self.inner.kind {
            ErrorKind::Service(e) => Some(e.status),
            _ => None,
        }
    }

    /// The service answered 404 Not Found: the resource (or a parent) does not exist.
    pub fn is_not_found(&self) -> bool {
        self.answered() == Some(404)
    }

    /// The service answered 409 Conflict: the resource exists, or another change is in the
    /// way.
    pub fn is_conflict(&self) -> bool {
        self.answered() == Some(409)
    }

    /// The service answered 412 Precondition Failed: the `If-Match` ETag is stale, so the
    /// resource changed since it was read.
    pub fn is_precondition_failed(&self) -> bool {
        self.answered() == Some(412)
    }

    /// The service answered 429 Too Many Requests, and the retries allowed by
    /// [`RetryOptions`](crate::RetryOptions) did not get through.
    pub fn is_throttled(&self) -> bool {
        self.answered() == Some(429)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(operation) = &self.inner.operation {
            write!(f, "{operation}: ")?;
        }
        match &self.inner.kind {
            ErrorKind::Service(e) => {
                write!(f, "HTTP {}", e.status)?;
                write_service_error(f, e)?;
            }
            ErrorKind::OperationFailed(e) => {
                write!(f, "the long-running operation failed")?;
                write_service_error(f, e)?;
            }
            ErrorKind::OperationCanceled(e) => {
                write!(f, "the long-running operation was canceled")?;
                write_service_error(f, e)?;
            }
            ErrorKind::Polling(reason) => write!(f, "polling stopped: {reason}")?,
            ErrorKind::PollingTimedOut => write!(
                f,
                "the long-running operation did not end within the polling time limit"
            )?,
            ErrorKind::Transport => write!(
                f,
                "the request could not be sent or its answer not received"
            )?,
            ErrorKind::Timeout => write!(f, "the request timed out")?,
            ErrorKind::Decode => write!(f, "the response body could not be decoded")?,
            ErrorKind::ItemDecode(item) => {
                write!(f, "item {} of the page", item.index)?;
                if let Some(id) = &item.id {
                    write!(f, " (id {})", OneLine::from_server(id))?;
                }
                write!(
                    f,
                    " could not be decoded: {}",
                    OneLine::from_server(&item.reason)
                )?;
            }
            ErrorKind::BodyTooLarge { status, limit } => write!(
                f,
                "the HTTP {status} response body is larger than {} MiB; refusing to buffer it",
                limit >> 20
            )?,
            ErrorKind::Credential => {
                write!(f, "no access token could be obtained from the credential")?;
            }
            ErrorKind::InvalidArgument { parameter, reason } => {
                write!(f, "invalid argument `{parameter}`: {reason}")?;
            }
            ErrorKind::Configuration(reason) => write!(f, "invalid client options: {reason}")?,
            ErrorKind::Paging(reason) => write!(f, "paging stopped: {reason}")?,
        };
        if let Some(source) = &self.inner.source {
            write!(f, ": {}", OneLine::whole(&source.to_string()))?;
        }
        Ok(())
    }
}

/// The most bytes of one text from the server (a message, a code, a request id, a non-JSON
/// body) that an error shows; longer text is cut on a character boundary and ends in `…`.
/// A service message this long is already unreadable, and a hostile one could be megabytes.
pub(crate) const MAX_SERVER_TEXT: usize = 512;

/// ` CODE: message (request id ..)`, each part as the server sent it, made safe to print.
fn write_service_error(f: &mut fmt::Formatter<'_>, e: &ServiceError) -> fmt::Result {
    if let Some(code) = &e.code {
        write!(f, " {}", OneLine::from_server(code))?;
    }
    if let Some(message) = &e.message {
        write!(f, ": {}", OneLine::from_server(message))?;
    }
    if let Some(id) = &e.request_id {
        write!(f, " (request id {})", OneLine::from_server(id))?;
    }
    Ok(())
}

/// `text` cut to at most `max` bytes on a character boundary, and whether anything was cut.
pub(crate) fn truncated(text: &str, max: usize) -> (&str, bool) {
    if text.len() <= max {
        return (text, false);
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (&text[..end], true)
}

/// Writes text on one line that is safe to print to a terminal or a log, so `Display`
/// never spans lines and a server cannot restyle, hide or reorder what a person reads.
///
/// - Runs of whitespace, line breaks included (CR, LF, U+0085, U+2028, U+2029), become one
///   space, and the ends are trimmed.
/// - Other control characters (Unicode `Cc`, e.g. ESC) and the bidi controls
///   (U+202A-U+202E, U+2066-U+2069) are written as `\u{..}` escapes: visible, so a reader
///   sees something was there, but inert.
struct OneLine<'a> {
    text: &'a str,
    max_bytes: usize,
}

impl<'a> OneLine<'a> {
    /// Text the server chose: capped at [`MAX_SERVER_TEXT`].
    fn from_server(text: &'a str) -> Self {
        OneLine {
            text,
            max_bytes: MAX_SERVER_TEXT,
        }
    }

    /// Text of our own or a library's (an error source), shown whole.
    fn whole(text: &'a str) -> Self {
        OneLine {
            text,
            max_bytes: usize::MAX,
        }
    }
}

impl fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write as _;
        let (text, cut) = truncated(self.text.trim(), self.max_bytes);
        let mut in_whitespace = false;
        for c in text.chars() {
            if c.is_whitespace() {
                in_whitespace = true;
                continue;
            }
            if in_whitespace {
                f.write_char(' ')?;
                in_whitespace = false;
            }
            if is_control_or_bidi(c) {
                write!(f, "{}", c.escape_unicode())?;
            } else {
                f.write_char(c)?;
            }
        }
        if cut {
            f.write_char('…')?;
        }
        Ok(())
    }
}

fn is_control_or_bidi(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.inner.kind)
            .field("operation", &self.inner.operation)
            .field("client_request_id", &self.inner.client_request_id)
            .field("source", &self.inner.source)
            .finish()
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|s| s as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service_error(error: ServiceError) -> Error {
        Error::new(ErrorKind::Service(error))
    }

    /// True for the characters Display must never pass through from a server.
    fn is_unsafe_for_terminals(c: char) -> bool {
        c.is_control()
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    }

    #[test]
    fn display_caps_a_huge_json_message() {
        let error = service_error(ServiceError {
            status: 500,
            message: Some("x".repeat(8 << 20)),
            ..ServiceError::default()
        });
        let line = error.to_string();
        assert!(line.len() < 1024, "a {} byte line", line.len());
        assert!(line.ends_with('…'), "{line}");
        assert_eq!(
            error.message().map(str::len),
            Some(8 << 20),
            "the full message stays readable"
        );
    }

    #[test]
    fn display_escapes_control_characters_from_the_server() {
        let error = service_error(ServiceError {
            status: 400,
            code: Some("Bad\u{1b}[31mCode".into()),
            message: Some("one\r\ntwo\u{2028}three\u{202E}four\u{7}\u{85}".into()),
            request_id: Some("id\u{2066}\u{0}".into()),
            ..ServiceError::default()
        });
        let line = error.to_string();
        assert!(!line.chars().any(is_unsafe_for_terminals), "{line:?}");
        assert_eq!(
            line,
            r"HTTP 400 Bad\u{1b}[31mCode: one two three\u{202e}four\u{7} (request id id\u{2066}\u{0})"
        );
    }
}
