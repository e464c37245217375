//! Azure Resource Manager's request throttling, as an option: token buckets per
//! subscription, principal and kind of request (reads, writes, deletes), refilled
//! continuously, answering 429 `SubscriptionRequestsThrottled` with `Retry-After` when
//! empty and `x-ms-ratelimit-remaining-*` on every answer ("Understand how Azure Resource
//! Manager throttles requests", the 2024 token-bucket limits).

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::time::{Duration, Instant};

use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::ArmError;

/// The size of one bucket: how many requests it holds when full, and how many it regains
/// each second.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bucket {
    /// Requests a full bucket lets through at once.
    pub capacity: u32,
    /// Requests regained per second.
    pub per_second: f64,
}

/// ARM's throttling buckets (see [`EmulatorOptions::throttle`](crate::EmulatorOptions::throttle)).
/// Each subscription and principal (the bearer token) has a bucket per kind; requests
/// outside a subscription share a tenant bucket per kind.
#[derive(Clone, Debug, PartialEq)]
pub struct ThrottleOptions {
    /// GET and HEAD. ARM: 250, refilled at 25 a second.
    pub reads: Bucket,
    /// PUT, PATCH and POST. ARM: 200, refilled at 10 a second.
    pub writes: Bucket,
    /// DELETE. ARM: 200, refilled at 10 a second.
    pub deletes: Bucket,
}

impl ThrottleOptions {
    /// ARM's documented sizes.
    pub fn arm() -> Self {
        ThrottleOptions {
            reads: Bucket {
                capacity: 250,
                per_second: 25.0,
            },
            writes: Bucket {
                capacity: 200,
                per_second: 10.0,
            },
            deletes: Bucket {
                capacity: 200,
                per_second: 10.0,
            },
        }
    }

    /// One size for every kind, e.g. scaled down for a benchmark that runs in seconds.
    pub fn uniform(capacity: u32, per_second: f64) -> Self {
        let bucket = Bucket {
            capacity,
            per_second,
        };
        ThrottleOptions {
            reads: bucket,
            writes: bucket,
            deletes: bucket,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    Read,
    Write,
    Delete,
}

impl Kind {
    fn of(method: &Method) -> Kind {
        match *method {
            Method::GET | Method::HEAD => Kind::Read,
            Method::DELETE => Kind::Delete,
            _ => Kind::Write,
        }
    }

    /// `read`, `write`, `delete`: as ARM's message names them.
    fn name(self) -> &'static str {
        match self {
            Kind::Read => "read",
            Kind::Write => "write",
            Kind::Delete => "delete",
        }
    }
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Key {
    /// Lowercase; empty for tenant-level requests.
    subscription: String,
    /// A fingerprint of the bearer token: the principal, without keeping the token.
    principal: u64,
    kind: Kind,
}

#[derive(Debug)]
struct Level {
    tokens: f64,
    updated: Instant,
}

/// The buckets of one emulator.
#[derive(Debug)]
pub(crate) struct Throttle {
    options: ThrottleOptions,
    levels: HashMap<Key, Level>,
}

/// What the buckets decided for one request.
#[derive(Debug)]
pub(crate) struct Decision {
    kind: Kind,
    tenant: bool,
    subscription: String,
    /// Whole requests left after this one.
    remaining: u64,
    /// `Some(wait)`: refused, a token comes after `wait`.
    refused: Option<Duration>,
}

impl Throttle {
    pub(crate) fn new(options: ThrottleOptions) -> Self {
        Throttle {
            options,
            levels: HashMap::new(),
        }
    }

    /// Takes a token for a request of `method` on `path` by the holder of `token`, or
    /// refuses it if its bucket is empty (a refused request takes nothing).
    pub(crate) fn take(&mut self, method: &Method, path: &str, token: &str) -> Decision {
        let kind = Kind::of(method);
        let subscription = path
            .strip_prefix("/subscriptions/")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let mut principal = DefaultHasher::new();
        token.hash(&mut principal);
        let bucket = match kind {
            Kind::Read => self.options.reads,
            Kind::Write => self.options.writes,
            Kind::Delete => self.options.deletes,
        };
        let capacity = f64::from(bucket.capacity);
        let per_second = if bucket.per_second.is_finite() {
            bucket.per_second.max(0.001)
        } else {
            0.001
        };
        let now = Instant::now();
        let key = Key {
            subscription: subscription.clone(),
            principal: principal.finish(),
            kind,
        };
        let level = self.levels.entry(key).or_insert(Level {
            tokens: capacity,
            updated: now,
        });
        let elapsed = now.saturating_duration_since(level.updated).as_secs_f64();
        level.tokens = (level.tokens + elapsed * per_second).min(capacity);
        level.updated = now;
        let refused = if level.tokens >= 1.0 {
            level.tokens -= 1.0;
            None
        } else {
            let wait = (1.0 - level.tokens) / per_second;
            Some(Duration::try_from_secs_f64(wait).unwrap_or(Duration::MAX))
        };
        Decision {
            kind,
            tenant: subscription.is_empty(),
            subscription,
            remaining: level.tokens.max(0.0) as u64,
            refused,
        }
    }
}

impl Decision {
    pub(crate) fn is_refused(&self) -> bool {
        self.refused.is_some()
    }

    /// `x-ms-ratelimit-remaining-subscription-writes` (or `-tenant-reads`, ...).
    fn header_name(&self) -> HeaderName {
        let scope = if self.tenant {
            "tenant"
        } else {
            "subscription"
        };
        let name = format!("x-ms-ratelimit-remaining-{scope}-{}s", self.kind.name());
        HeaderName::try_from(name).unwrap_or(HeaderName::from_static("x-ms-ratelimit-remaining"))
    }

    /// Adds the remaining count to an answer.
    pub(crate) fn annotate(&self, response: &mut Response) {
        response
            .headers_mut()
            .insert(self.header_name(), HeaderValue::from(self.remaining));
    }

    /// ARM's 429 for a refused request: whole seconds in `Retry-After`, rounded up.
    pub(crate) fn refusal(&self) -> Response {
        let wait = self.refused.unwrap_or_default();
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        let (code, scope) = if self.tenant {
            ("TenantRequestsThrottled", "tenant".to_owned())
        } else {
            (
                "SubscriptionRequestsThrottled",
                format!("subscription '{}'", self.subscription),
            )
        };
        let message = format!(
            "Number of '{}' requests for {scope} exceeded. Please try again after '{seconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling for additional information.",
            self.kind.name()
        );
        let mut response = ArmError::new(StatusCode::TOO_MANY_REQUESTS, code, message)
            .with_header(header::RETRY_AFTER, HeaderValue::from(seconds))
            .into_response();
        self.annotate(&mut response);
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUB: &str =
        "/subscriptions/ABC/resourceGroups/rg/providers/Microsoft.ApiManagement/service/s";

    #[test]
    fn each_subscription_principal_and_kind_has_its_own_bucket() {
        let mut throttle = Throttle::new(ThrottleOptions::uniform(2, 0.001));
        let take = |t: &mut Throttle, method, path, token| t.take(&method, path, token);
        assert_eq!(take(&mut throttle, Method::PUT, SUB, "t").remaining, 1);
        assert_eq!(take(&mut throttle, Method::POST, SUB, "t").remaining, 0);
        let refused = take(&mut throttle, Method::PATCH, SUB, "t");
        assert!(refused.is_refused());
        // Reads, deletes, another principal, another subscription, the tenant: untouched.
        assert!(!take(&mut throttle, Method::GET, SUB, "t").is_refused());
        assert!(!take(&mut throttle, Method::DELETE, SUB, "t").is_refused());
        assert!(!take(&mut throttle, Method::PUT, SUB, "u").is_refused());
        assert!(!take(&mut throttle, Method::PUT, "/subscriptions/other", "t").is_refused());
        let tenant = take(
            &mut throttle,
            Method::GET,
            "/providers/Microsoft.ApiManagement/operations",
            "t",
        );
        assert!(tenant.tenant && !tenant.is_refused());
        // The subscription id is compared as ARM does, case-insensitively.
        assert!(take(&mut throttle, Method::PUT, &SUB.to_lowercase(), "t").is_refused());
    }

    #[test]
    fn an_empty_bucket_refills_at_its_rate_and_says_when() {
        let mut throttle = Throttle::new(ThrottleOptions::uniform(1, 2.0));
        assert!(!throttle.take(&Method::GET, SUB, "t").is_refused());
        let refused = throttle.take(&Method::GET, SUB, "t");
        let wait = refused.refused.unwrap();
        assert!(
            wait > Duration::from_millis(400) && wait <= Duration::from_millis(500),
            "{wait:?}"
        );
        let response = refused.refusal();
        assert_eq!(response.status(), 429);
        assert_eq!(response.headers()["retry-after"], "1");
        assert_eq!(
            response.headers()["x-ms-ratelimit-remaining-subscription-reads"],
            "0"
        );
        std::thread::sleep(Duration::from_millis(520));
        assert!(!throttle.take(&Method::GET, SUB, "t").is_refused());
    }
}
