//! The backend circuit breaker: when the gateway stops sending requests to a backend.

use std::time::Duration;

use super::wire::wire_struct;

/// The configuration of the backend circuit breaker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BackendCircuitBreaker {
    /// The rules for tripping the backend (at most 15).
    pub rules: Option<Vec<CircuitBreakerRule>>,
}

impl BackendCircuitBreaker {
    /// A circuit breaker with these rules.
    pub fn new(rules: impl IntoIterator<Item = CircuitBreakerRule>) -> Self {
        BackendCircuitBreaker {
            rules: Some(rules.into_iter().collect()),
        }
    }
}

/// Rule configuration to trip the backend.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CircuitBreakerRule {
    /// The rule name.
    pub name: Option<String>,
    /// The conditions for tripping the circuit breaker.
    pub failure_condition: Option<CircuitBreakerFailureCondition>,
    /// How long the circuit stays tripped (ISO 8601 on the wire).
    pub trip_duration: Option<Duration>,
    /// Whether to accept the backend's `Retry-After` header.
    pub accept_retry_after: Option<bool>,
}

/// The trip conditions of the circuit breaker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CircuitBreakerFailureCondition {
    /// The number of failures within `interval` that opens the circuit.
    pub count: Option<i64>,
    /// The percentage of failures within `interval` that opens the circuit.
    pub percentage: Option<i64>,
    /// The interval during which failures are counted (ISO 8601 on the wire).
    pub interval: Option<Duration>,
    /// The status code ranges counted as failures (at most 10).
    pub status_code_ranges: Option<Vec<FailureStatusCodeRange>>,
    /// The error reasons counted as failures (at most 10, each at most 200 characters).
    pub error_reasons: Option<Vec<String>>,
}

/// A range of HTTP status codes counted as failures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FailureStatusCodeRange {
    /// The lowest status code of the range (200-599).
    pub min: Option<i32>,
    /// The highest status code of the range (200-599).
    pub max: Option<i32>,
}

impl FailureStatusCodeRange {
    /// The status codes `min..=max`.
    pub fn new(min: i32, max: i32) -> Self {
        FailureStatusCodeRange {
            min: Some(min),
            max: Some(max),
        }
    }
}

// Read with the lenient rules of `models/wire.rs`, as the generated models are.
wire_struct!(BackendCircuitBreaker { rules: optional "rules" });
wire_struct!(CircuitBreakerRule {
    name: optional "name",
    failure_condition: optional "failureCondition",
    trip_duration: optional "tripDuration",
    accept_retry_after: optional "acceptRetryAfter",
});
wire_struct!(CircuitBreakerFailureCondition {
    count: optional "count",
    percentage: optional "percentage",
    interval: optional "interval",
    status_code_ranges: optional "statusCodeRanges",
    error_reasons: optional "errorReasons",
});
wire_struct!(FailureStatusCodeRange { min: optional "min", max: optional "max" });

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn wire() -> serde_json::Value {
        json!({
            "rules": [{
                "name": "myBreakerRule",
                "failureCondition": {
                    "count": 3,
                    "interval": "PT1H",
                    "statusCodeRanges": [{"min": 500, "max": 599}],
                    "errorReasons": ["server errors"]
                },
                "tripDuration": "PT1M",
                "acceptRetryAfter": true
            }]
        })
    }

    #[test]
    fn durations_round_trip() {
        let breaker: BackendCircuitBreaker = serde_json::from_value(wire()).unwrap();
        let rule = &breaker.rules.as_ref().unwrap()[0];
        assert_eq!(rule.trip_duration, Some(Duration::from_secs(60)));
        let condition = rule.failure_condition.as_ref().unwrap();
        assert_eq!(condition.interval, Some(Duration::from_secs(3600)));
        assert_eq!(condition.count, Some(3));
        assert_eq!(serde_json::to_value(&breaker).unwrap(), wire());
    }

    #[test]
    fn built_in_code_matches_the_wire() {
        let condition = CircuitBreakerFailureCondition {
            count: Some(3),
            interval: Some(Duration::from_secs(3600)),
            status_code_ranges: Some(vec![FailureStatusCodeRange::new(500, 599)]),
            error_reasons: Some(vec!["server errors".into()]),
            ..Default::default()
        };
        let rule = CircuitBreakerRule {
            name: Some("myBreakerRule".into()),
            failure_condition: Some(condition),
            trip_duration: Some(Duration::from_secs(60)),
            accept_retry_after: Some(true),
        };
        assert_eq!(
            serde_json::to_value(BackendCircuitBreaker::new([rule])).unwrap(),
            wire()
        );
    }

    #[test]
    fn bad_durations_are_refused() {
        let err = serde_json::from_value::<CircuitBreakerRule>(json!({"tripDuration": "1 hour"}))
            .unwrap_err();
        assert!(err.to_string().contains("ISO 8601"), "{err}");
        let err = serde_json::to_value(CircuitBreakerRule {
            trip_duration: Some(Duration::from_nanos(1)),
            ..Default::default()
        })
        .unwrap_err();
        assert!(err.to_string().contains("100 ns"), "{err}");
    }

    #[test]
    fn absent_fields_stay_absent() {
        let empty = json!({"rules": [{"failureCondition": {}}]});
        let breaker: BackendCircuitBreaker = serde_json::from_value(empty.clone()).unwrap();
        assert_eq!(serde_json::to_value(&breaker).unwrap(), empty);
    }
}
