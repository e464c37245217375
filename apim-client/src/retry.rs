//! When and how long to wait before trying again, after azure_core's retry policy: the
//! same statuses, wait headers and defaults. The loop itself is backon's.

use std::time::{Duration, SystemTime};

use backon::ExponentialBuilder;
use reqwest::header::HeaderMap;

use crate::options::RetryOptions;

/// Statuses azure_core retries: timeouts, throttling and transient server errors.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

/// The backoff schedule without jitter; jitter is added per wait in [`next_wait`].
pub(crate) fn backoff(options: &RetryOptions) -> ExponentialBuilder {
    ExponentialBuilder::default()
        .with_min_delay(options.initial_delay)
        .with_max_delay(options.max_delay)
        .with_factor(2.0)
        .with_max_times(options.max_retries as usize)
}

/// The wait before the next attempt: the backoff plus up to 255 ms of jitter, or the
/// server's requested wait when that is longer. `None` when no retry is left or the wait
/// would end past the time budget.
pub(crate) fn next_wait(
    backoff: Option<Duration>,
    server_wait: Option<Duration>,
    elapsed: Duration,
    options: &RetryOptions,
) -> Option<Duration> {
    let backoff = backoff?.saturating_add(Duration::from_millis(fastrand::u64(0..256)));
    let wait = server_wait.map_or(backoff, |server| server.max(backoff));
    (elapsed.saturating_add(wait) <= options.max_elapsed).then_some(wait)
}

/// The server's requested wait: `x-ms-retry-after-ms`, `retry-after-ms`, then
/// `Retry-After` in seconds or as an HTTP date. It can be as long as `u64::MAX` seconds:
/// whoever adds it to a time uses saturating or checked arithmetic.
pub(crate) fn server_wait(headers: &HeaderMap) -> Option<Duration> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    for name in ["x-ms-retry-after-ms", "retry-after-ms"] {
        if let Some(ms) = header(name).and_then(|v| v.parse::<u64>().ok()) {
            return Some(Duration::from_millis(ms));
        }
    }
    let value = header("retry-after")?;
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    /// A header map from name/value pairs (shared with other modules' tests).
    pub(crate) fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        h
    }

    #[test]
    fn wait_headers_in_azure_core_order() {
        assert_eq!(
            server_wait(&headers(&[("retry-after", "3")])),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            server_wait(&headers(&[
                ("retry-after", "3"),
                ("x-ms-retry-after-ms", "1500")
            ])),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            server_wait(&headers(&[("retry-after-ms", "20")])),
            Some(Duration::from_millis(20))
        );
        assert_eq!(server_wait(&headers(&[("retry-after", "soon")])), None);
        assert_eq!(server_wait(&HeaderMap::new()), None);
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(10));
        let wait = server_wait(&headers(&[("retry-after", &later)])).unwrap();
        assert!(
            wait > Duration::from_secs(8) && wait <= Duration::from_secs(10),
            "{wait:?}"
        );
        let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(10));
        assert_eq!(
            server_wait(&headers(&[("retry-after", &past)])),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn the_longer_wait_wins_within_the_budget() {
        let options = RetryOptions::default();
        let backoff = Some(Duration::from_millis(200));
        let wait = next_wait(backoff, None, Duration::ZERO, &options).unwrap();
        assert!(wait >= Duration::from_millis(200) && wait < Duration::from_millis(456));
        let wait = next_wait(
            backoff,
            Some(Duration::from_secs(5)),
            Duration::ZERO,
            &options,
        )
        .unwrap();
        assert_eq!(wait, Duration::from_secs(5));
        assert_eq!(
            next_wait(None, Some(Duration::from_secs(1)), Duration::ZERO, &options),
            None
        );
        assert_eq!(
            next_wait(
                backoff,
                Some(Duration::from_secs(61)),
                Duration::ZERO,
                &options
            ),
            None
        );
        assert_eq!(
            next_wait(backoff, None, Duration::from_secs(60), &options),
            None
        );
    }

    #[test]
    fn waits_beyond_any_clock_are_refused_without_overflow() {
        let huge = [
            ("retry-after", "18446744073709551615"),
            ("x-ms-retry-after-ms", "18446744073709551615"),
            ("retry-after", "Fri, 31 Dec 9999 23:59:59 GMT"),
        ];
        for (name, value) in huge {
            let wait = server_wait(&headers(&[(name, value)])).unwrap();
            assert!(
                wait > Duration::from_secs(3600 * 24 * 365),
                "{name}: {value}"
            );
            for elapsed in [Duration::ZERO, Duration::from_millis(1_500), Duration::MAX] {
                let backoff = Some(Duration::MAX);
                let options = RetryOptions::default();
                assert_eq!(next_wait(backoff, Some(wait), elapsed, &options), None);
            }
        }
    }

    #[test]
    fn retryable_statuses() {
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(is_retryable_status(s));
        }
        for s in [400, 401, 403, 404, 409, 412, 501] {
            assert!(!is_retryable_status(s));
        }
    }
}
