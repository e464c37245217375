#![warn(missing_docs)]
// On docs.rs (all features): which feature each group and model needs.
#![cfg_attr(docsrs, feature(doc_cfg))]
//! A declarative Rust client for the Azure API Management (APIM) management REST API,
//! 2024-05-01: all 613 operations, each one `#[apim_operation]` declaration expanded at
//! compile time into request building, path escaping, authentication, retries and
//! response handling.
//!
//! ```no_run
//! use std::sync::Arc;
//! use apim_client::models::*;
//! use apim_client::prelude::*;
//! use apim_client::ApimClient;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let credential = azure_identity::DeveloperToolsCredential::new(None)?; // any TokenCredential
//! let client = ApimClient::new("00000000-0000-0000-0000-000000000000", credential, None)?;
//!
//! // Required parameters in order; a body is a model built in one expression.
//! let echo = ApiCreateOrUpdateParameter::new("echo")
//!     .display_name("Echo API")
//!     .service_url("https://echo.example.com")
//!     .protocols([Protocol::Https]);
//! let created = client.api().create_or_update("rg1", "apim1", "echo", &echo, None).await?;
//! println!("{} {:?}", created.status(), created.etag());
//!
//! // Optional query parameters and headers: one options struct per operation.
//! let mut apis = client.api().list_by_service("rg1", "apim1", Some(ApiListByServiceOptions {
//!     top: Some(10),
//!     ..Default::default()
//! }));
//! while let Some(page) = apis.next_page().await {
//!     for api in page?.value {
//!         println!("{:?}", api.name);
//!     }
//! }
//!
//! match client.api().get("rg1", "apim1", "gone").await {
//!     Err(e) if e.is_not_found() => println!("{e}"), // Api_Get: HTTP 404 ResourceNotFound: ...
//!     other => { other?; }
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # The shape of every call
//!
//! - Each operation group has a handle named after the official Python SDK's client
//!   attribute (`client.api()`, `client.named_value()`, `client.backend()`), whose trait
//!   ([`apis`]) has the Python SDK's method names without `begin_`. [`prelude`] brings every
//!   trait into scope without ambiguity.
//! - Required parameters are positional, in the Python SDK's order; the optional query
//!   parameters and headers (its keyword arguments) are one options struct per operation,
//!   the last argument (`Option<ApiListByServiceOptions>`, in [`models`]; `None` sends
//!   none).
//! - Every operation that is not a list gives [`Result<Response<T>>`](Response) when
//!   awaited: the model with status, headers and ETag. A long-running one returns a
//!   [`Poller<T>`] (which awaits to the same `Response<T>`, streams its statuses and has a
//!   resume token); a list returns a [`Pager<T>`].
//! - Models ([`models`]) are plain structs: struct literals with `..Default::default()`,
//!   `new(required..)`, and on request bodies builder-style setters. Enums keep values this
//!   crate does not know; `Debug` hides secrets.
//! - Errors ([`Error`]) name the operation id and carry the status, ARM error code,
//!   message and request id, with [`Error::is_not_found`], [`Error::is_conflict`],
//!   [`Error::is_precondition_failed`] and [`Error::is_throttled`].
//!
//! # Features
//!
//! Only the backend groups are compiled by default. Each area of the API is a cargo
//! feature (`service`, `networking`, `apis`, `graphql`, `products`, `subscriptions`,
//! `users`, `backends`, `gateways`, `portal`, `identity`, `observability`, `named-values`,
//! `tags`, `policies`, `tenant`, `workspaces`), `full` turns on all of them; a group's
//! page says which it needs, and calling the accessor of a group whose feature is off is a
//! compile error that names the feature.
//!
//! # Your own operations
//!
//! Another api-version, a preview operation, or a shape of your own is one declaration:
//! [`apim_operation`] on a trait method, and an empty `impl` of the trait for
//! [`ApimClient`]. Optional parameters can be an options struct of your own,
//! [`#[derive(OperationOptions)]`](derive@OperationOptions).
//!
//! # Testing
//!
//! The `apim-emulator` crate is a local APIM management endpoint on 127.0.0.1 for tests
//! (in-process, or as a binary for test suites in any language). In the repository,
//! `cargo run --example tour` runs a first hour of calls against it, and
//! `cargo run --example backend_reconnect` reconnects a backend.

// Generated code names `::apim_client`, in this crate too.
extern crate self as apim_client;

mod auth;
mod client;
mod credential;
pub mod datetime;
mod decode;
pub mod duration;
mod encoding;
mod endpoint;
mod error;
mod error_body;
mod lenient_json;
mod lro;
mod operation_options;
mod options;
mod pacing;
mod pager;
mod poller;
mod rate_limit;
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

pub use apim_macros::{OperationOptions, apim_operation};
pub use apim_wire::rules;
pub use client::ApimClient;
pub use credential::StaticTokenCredential;
pub use datetime::OffsetDateTime;
pub use error::{Error, ErrorDetail, ErrorKind, ItemError, Result, ServiceError};
pub use lro::{OperationState, PollStatus};
pub use operation_options::OperationOptions;
pub use options::{
    ApimClientOptions, BucketSize, DEFAULT_API_VERSION, DEFAULT_ENDPOINT, PacingOptions,
    PollingOptions, RetryOptions,
};
pub use pager::{Page, Pager};
pub use poller::Poller;
pub use rate_limit::RateLimit;
pub use response::Response;

/// The credential trait every `azure_identity` credential implements.
pub use azure_core::credentials::TokenCredential;
