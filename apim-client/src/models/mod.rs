//! Request and response models, after `shared/spec/apimanagement-2024-05-01/definitions.json`.
//!
//! Conventions, the same in every model:
//! - Field names are the spec's, in snake case; the wire names are the spec's exactly.
//! - Optional fields are `Option` and an absent field stays absent when written back.
//!   A `null` from the service reads as `None` and is written back as absent.
//! - Required fields (a proxy's `url`, a pool member's `id`, ...) are plain values.
//! - Structs are `#[non_exhaustive]` and implement `Default`: start from `default()` (or a
//!   constructor such as [`BackendContractProperties::single`]) and set fields.
//! - Enums are open: values this crate does not know are kept in `Other(String)` and
//!   written back unchanged.
//! - Durations are [`std::time::Duration`] in Rust and ISO 8601 (`PT1M`) on the wire.
//! - `Debug` hides secrets: proxy passwords, authorization parameters, and the values of
//!   credential headers and query parameters.

mod open_enum;

mod backend;
mod backend_credentials;
mod backend_pool;
mod backend_reconnect;
mod circuit_breaker;
mod service_fabric;
mod tag_product_link;

pub use backend::{
    BackendContract, BackendContractProperties, BackendProtocol, BackendTlsProperties, BackendType,
    BackendUpdateParameterProperties, BackendUpdateParameters,
};
pub use backend_credentials::{
    BackendAuthorizationHeaderCredentials, BackendCredentialsContract, BackendProxyContract,
};
pub use backend_pool::{BackendPool, BackendPoolItem};
pub use backend_reconnect::BackendReconnectRequest;
pub use circuit_breaker::{
    BackendCircuitBreaker, CircuitBreakerFailureCondition, CircuitBreakerRule,
    FailureStatusCodeRange,
};
pub use service_fabric::{
    BackendProperties, BackendServiceFabricClusterProperties, X509CertificateName,
};
pub use tag_product_link::{TagProductLinkContract, TagProductLinkContractProperties};
