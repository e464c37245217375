//! The models the generator leaves alone, each with the reason. Their Rust names are
//! public already, so generating them would change or duplicate public API.

/// Written by hand in `apim-client/src/models/` from `shared/spec/` (the authoritative
/// source for backends): the backend family, its circuit breaker, pool and Service Fabric
/// parts, and the tag-product link. Generated models may refer to them by name.
pub(crate) const HAND_WRITTEN: &[(&str, &str)] = &[
    (
        "BackendAuthorizationHeaderCredentials",
        "hand-written: backend_credentials.rs",
    ),
    ("BackendCircuitBreaker", "hand-written: circuit_breaker.rs"),
    ("BackendContract", "hand-written: backend.rs"),
    ("BackendContractProperties", "hand-written: backend.rs"),
    (
        "BackendCredentialsContract",
        "hand-written: backend_credentials.rs",
    ),
    ("BackendPool", "hand-written: backend_pool.rs"),
    ("BackendPoolItem", "hand-written: backend_pool.rs"),
    ("BackendProperties", "hand-written: service_fabric.rs"),
    ("BackendProtocol", "hand-written: backend.rs"),
    (
        "BackendProxyContract",
        "hand-written: backend_credentials.rs",
    ),
    (
        "BackendServiceFabricClusterProperties",
        "hand-written: service_fabric.rs",
    ),
    ("BackendTlsProperties", "hand-written: backend.rs"),
    ("BackendType", "hand-written: backend.rs"),
    (
        "BackendUpdateParameterProperties",
        "hand-written: backend.rs",
    ),
    ("BackendUpdateParameters", "hand-written: backend.rs"),
    (
        "CircuitBreakerFailureCondition",
        "hand-written: circuit_breaker.rs",
    ),
    ("CircuitBreakerRule", "hand-written: circuit_breaker.rs"),
    ("FailureStatusCodeRange", "hand-written: circuit_breaker.rs"),
    (
        "TagProductLinkContract",
        "hand-written: tag_product_link.rs",
    ),
    (
        "TagProductLinkContractProperties",
        "hand-written: tag_product_link.rs",
    ),
    ("X509CertificateName", "hand-written: service_fabric.rs"),
    // Covered by hand-written models under another name or shape.
    (
        "BackendBaseParameters",
        "the SDK's base class of BackendContractProperties and BackendUpdateParameterProperties, both hand-written",
    ),
    (
        "BackendBaseParametersPool",
        "the `pool` of a backend: hand-written as BackendPool",
    ),
    (
        "BackendReconnectContract",
        "hand-written as BackendReconnectRequest (backend_reconnect.rs)",
    ),
];

/// The reason `name` is hand-written, if it is.
pub(crate) fn reason(name: &str) -> Option<&'static str> {
    HAND_WRITTEN
        .iter()
        .find(|(hand_written, _)| *hand_written == name)
        .map(|(_, reason)| *reason)
}
