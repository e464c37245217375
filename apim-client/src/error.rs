//! One error type for everything an operation can fail with, carrying the context a person
//! needs to act on it: the operation, the status, the ARM error code and the request id.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;

/// The result of every apim operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;

type Source = Box<dyn StdError + Send + Sync + 'static>;

/// An apim error. Small (one pointer) so `Result<T>` stays cheap on the happy path.
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    operation: Option<&'static str>,
    client_request_id: Option<String>,
    source: Option<Source>,
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

    pub(crate) fn in_operation(mut self, operation: &'static str) -> Self {
        self.inner.operation.get_or_insert(operation);
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

    /// The operation that failed, e.g. `backend_reconnect`.
    pub fn operation(&self) -> Option<&'static str> {
        self.inner.operation
    }

    /// The service's answer, when the error is one.
    pub fn service_error(&self) -> Option<&ServiceError> {
        match &self.inner.kind {
            ErrorKind::Service(e) => Some(e),
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

    /// The `x-ms-client-request-id` this client sent, when a request was sent.
    pub fn client_request_id(&self) -> Option<&str> {
        self.inner.client_request_id.as_deref()
    }

    /// True when the error was found before anything was sent.
    pub fn is_invalid_argument(&self) -> bool {
        matches!(self.inner.kind, ErrorKind::InvalidArgument { .. })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(operation) = self.inner.operation {
            write!(f, "{operation}: ")?;
        }
        match &self.inner.kind {
            ErrorKind::Service(e) => {
                write!(f, "HTTP {}", e.status)?;
                if let Some(code) = &e.code {
                    write!(f, " {code}")?;
                }
                if let Some(message) = &e.message {
                    write!(f, ": {}", OneLine(message))?;
                }
                if let Some(id) = &e.request_id {
                    write!(f, " (request id {id})")?;
                }
            }
            ErrorKind::Transport => write!(
                f,
                "the request could not be sent or its answer not received"
            )?,
            ErrorKind::Timeout => write!(f, "the request timed out")?,
            ErrorKind::Decode => write!(f, "the response body could not be decoded")?,
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
            write!(f, ": {}", OneLine(&source.to_string()))?;
        }
        Ok(())
    }
}

/// Writes a message on one line, so `Display` never spans lines.
struct OneLine<'a>(&'a str);

impl fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut words = self
            .0
            .split(['\r', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if let Some(first) = words.next() {
            f.write_str(first)?;
        }
        for word in words {
            write!(f, " {word}")?;
        }
        Ok(())
    }
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
