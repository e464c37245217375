#![warn(missing_docs)]
//! A declarative Rust client for the Azure API Management (APIM) management REST API.
//!
//! Each operation is one declaration; `#[apim_operation]` writes the request building,
//! path escaping, authentication and response handling at compile time:
//!
//! ```no_run
//! use std::sync::Arc;
//! use std::time::Duration;
//! use apim_client::apis::BackendReconnectApi;
//! use apim_client::models::BackendReconnectRequest;
//! use apim_client::{ApimClient, StaticTokenCredential};
//!
//! # async fn run() -> apim_client::Result<()> {
//! let credential = Arc::new(StaticTokenCredential::new("<access token>"));
//! let client = ApimClient::new("00000000-0000-0000-0000-000000000000", credential, None)?;
//! let after = BackendReconnectRequest::after(Duration::from_secs(120));
//! client.backend_reconnect("rg1", "apimService1", "proxybackend", Some(&after)).await?;
//! # Ok(())
//! # }
//! ```
//!
//! Declare more operations the same way, on a trait of your own:
//!
//! ```no_run
//! use apim_client::{ApimClient, Result, apim_operation};
//!
//! pub trait NamedValueApi {
//!     #[apim_operation(POST, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/namedValues/<named_value_id>/listValue", status = [200])]
//!     async fn list_value(&self, resource_group_name: &str, service_name: &str, named_value_id: &str) -> Result<serde_json::Value>;
//! }
//! impl NamedValueApi for ApimClient {}
//! ```

// Generated code names `::apim_client`, in this crate too.
extern crate self as apim_client;

mod auth;
mod client;
mod credential;
mod decode;
pub mod duration;
mod encoding;
mod endpoint;
mod error;
mod error_body;
mod options;
mod pager;
mod request;
mod request_id;
mod response;
mod retry;
mod send;
mod transport;

pub mod apis;
pub mod models;
pub mod prelude;

#[doc(hidden)]
pub mod __private;

pub use apim_macros::apim_operation;
pub use apim_wire::rules;
pub use client::ApimClient;
pub use credential::StaticTokenCredential;
pub use error::{Error, ErrorDetail, ErrorKind, Result, ServiceError};
pub use options::{ApimClientOptions, DEFAULT_API_VERSION, DEFAULT_ENDPOINT, RetryOptions};
pub use pager::{Page, Pager};
pub use response::Response;

/// The credential trait every `azure_identity` credential implements.
pub use azure_core::credentials::TokenCredential;
