//! ARM error responses: `{"error":{"code","message","target"?,"details":[]}}`.

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Content type of every JSON body the emulator sends, as ARM sends it.
pub(crate) const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// An error answered in the ARM shape, with any extra headers it needs.
#[derive(Debug)]
pub(crate) struct ArmError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub target: Option<String>,
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

impl ArmError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ArmError {
            status,
            code,
            message: message.into(),
            target: None,
            headers: Vec::new(),
        }
    }

    pub(crate) fn with_target(mut self, target: impl Into<String>) -> Self {
        self.target = Some(target.into());
        self
    }

    pub(crate) fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// 400 `ValidationError` naming the offending parameter.
    pub(crate) fn validation(target: &str, message: impl Into<String>) -> Self {
        ArmError::new(StatusCode::BAD_REQUEST, "ValidationError", message).with_target(target)
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        ArmError::new(StatusCode::NOT_FOUND, "ResourceNotFound", message)
    }
}

impl IntoResponse for ArmError {
    fn into_response(self) -> Response {
        let mut error = json!({ "code": self.code, "message": self.message, "details": [] });
        if let Some(target) = self.target {
            error["target"] = target.into();
        }
        let mut response = json_response(self.status, &json!({ "error": error }));
        for (name, value) in self.headers {
            response.headers_mut().append(name, value);
        }
        response
    }
}

/// A response carrying `value` as JSON.
pub(crate) fn json_response(status: StatusCode, value: &serde_json::Value) -> Response {
    // Serialising a `Value` cannot fail; an empty body is a safe fallback all the same.
    let body = serde_json::to_vec(value).unwrap_or_default();
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
    response
}

/// A response with no body.
pub(crate) fn empty_response(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}
