//! Injected faults: what they are, and the response a status fault answers with.

use std::time::{Duration, SystemTime};

use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::ArmError;

/// What happens to a request that consumes a fault (see [`Emulator::inject`](crate::Emulator::inject)).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Fault {
    /// Answer `status` with an ARM error body (code `TooManyRequests` for 429,
    /// `ServiceUnavailable` for 503, `InjectedFault` otherwise) and the retry header, if any.
    Status {
        status: u16,
        retry_after: Option<RetryAfter>,
    },
    /// Wait this long, then handle the request normally.
    Delay(Duration),
    /// Close the connection without writing any response.
    DropConnection,
}

/// How a status fault tells the client when to retry.
#[derive(Clone, Debug)]
pub enum RetryAfter {
    /// `Retry-After: N` (seconds).
    Seconds(u64),
    /// `x-ms-retry-after-ms: N`.
    Millis(u64),
    /// `Retry-After: <IMF-fixdate>`.
    HttpDate(SystemTime),
}

impl Fault {
    /// 429 with `Retry-After: secs`.
    pub fn throttle(secs: u64) -> Fault {
        Fault::Status {
            status: 429,
            retry_after: Some(RetryAfter::Seconds(secs)),
        }
    }

    /// 503 with `Retry-After: secs`.
    pub fn unavailable(secs: u64) -> Fault {
        Fault::Status {
            status: 503,
            retry_after: Some(RetryAfter::Seconds(secs)),
        }
    }
}

/// The response of a status fault.
pub(crate) fn status_response(status: u16, retry_after: Option<&RetryAfter>) -> Response {
    // Out-of-range codes cannot be sent, and a 1xx is not a final answer: send 500 instead.
    let status = StatusCode::from_u16(status)
        .ok()
        .filter(|s| !s.is_informational())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let code = match status.as_u16() {
        429 => "TooManyRequests",
        503 => "ServiceUnavailable",
        _ => "InjectedFault",
    };
    let mut error = ArmError::new(
        status,
        code,
        format!("Injected fault: the emulator answered {status}."),
    );
    if let Some(retry_after) = retry_after {
        let (name, value) = match retry_after {
            RetryAfter::Seconds(n) => (header::RETRY_AFTER, n.to_string()),
            RetryAfter::Millis(n) => (
                HeaderName::from_static("x-ms-retry-after-ms"),
                n.to_string(),
            ),
            RetryAfter::HttpDate(at) => (header::RETRY_AFTER, httpdate::fmt_http_date(*at)),
        };
        // Digits and IMF-fixdate text are always valid header values.
        if let Ok(value) = HeaderValue::from_str(&value) {
            error = error.with_header(name, value);
        }
    }
    error.into_response()
}
