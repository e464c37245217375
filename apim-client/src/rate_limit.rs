//! What Azure Resource Manager says is left of its request limits, read from the
//! `x-ms-ratelimit-remaining-*` headers every answer carries.

use reqwest::header::HeaderMap;

/// The requests ARM says are left in its throttling buckets after this one, from the
/// answer's `x-ms-ratelimit-remaining-*` headers (`None` where the answer does not say).
/// ARM counts per subscription and principal: reads (GET, HEAD), writes (PUT, PATCH,
/// POST) and deletes, and tenant-level requests apart. Where an answer gives both the
/// regional (`-subscription-reads`) and the global (`-subscription-global-reads`) form,
/// the smaller is kept: it is the one that throttles first.
///
/// ```
/// fn nearly_throttled<T>(response: &apim_client::Response<T>) -> bool {
///     // A bulk job can slow down here, or leave it to the client's pacing (PacingOptions).
///     response.rate_limit().writes.is_some_and(|left| left < 10)
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct RateLimit {
    /// Reads left in the subscription's bucket.
    pub reads: Option<u64>,
    /// Writes left in the subscription's bucket.
    pub writes: Option<u64>,
    /// Deletes left in the subscription's bucket.
    pub deletes: Option<u64>,
    /// Reads left in the tenant's bucket (requests outside any subscription).
    pub tenant_reads: Option<u64>,
    /// Writes left in the tenant's bucket.
    pub tenant_writes: Option<u64>,
}

impl RateLimit {
    /// Reads the remaining counts from an answer's headers.
    pub(crate) fn from_headers(headers: &HeaderMap) -> RateLimit {
        let count = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        let least = |a: Option<u64>, b: Option<u64>| match (a, b) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let subscription = |regional: &str, global: &str| least(count(regional), count(global));
        RateLimit {
            reads: subscription(
                "x-ms-ratelimit-remaining-subscription-reads",
                "x-ms-ratelimit-remaining-subscription-global-reads",
            ),
            writes: subscription(
                "x-ms-ratelimit-remaining-subscription-writes",
                "x-ms-ratelimit-remaining-subscription-global-writes",
            ),
            deletes: subscription(
                "x-ms-ratelimit-remaining-subscription-deletes",
                "x-ms-ratelimit-remaining-subscription-global-deletes",
            ),
            tenant_reads: count("x-ms-ratelimit-remaining-tenant-reads"),
            tenant_writes: count("x-ms-ratelimit-remaining-tenant-writes"),
        }
    }

    /// Whether the answer said nothing of its limits.
    pub fn is_empty(&self) -> bool {
        *self == RateLimit::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retry::tests::headers;

    #[test]
    fn each_kind_is_read_and_the_smaller_of_regional_and_global_wins() {
        let limit = RateLimit::from_headers(&headers(&[
            ("x-ms-ratelimit-remaining-subscription-reads", "249"),
            (
                "x-ms-ratelimit-remaining-subscription-global-reads",
                "11999",
            ),
            ("x-ms-ratelimit-remaining-subscription-global-writes", "7"),
            ("x-ms-ratelimit-remaining-subscription-deletes", " 3 "),
            ("x-ms-ratelimit-remaining-tenant-reads", "100"),
        ]));
        assert_eq!(limit.reads, Some(249));
        assert_eq!(limit.writes, Some(7));
        assert_eq!(limit.deletes, Some(3));
        assert_eq!(limit.tenant_reads, Some(100));
        assert_eq!(limit.tenant_writes, None);
        assert!(!limit.is_empty());
    }

    #[test]
    fn absent_or_unreadable_counts_are_none() {
        assert!(RateLimit::from_headers(&HeaderMap::new()).is_empty());
        let limit = RateLimit::from_headers(&headers(&[
            ("x-ms-ratelimit-remaining-subscription-reads", "many"),
            ("x-ms-ratelimit-remaining-subscription-writes", "-1"),
        ]));
        assert!(limit.is_empty());
    }
}
