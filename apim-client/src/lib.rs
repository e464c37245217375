#![warn(missing_docs)]
// On docs.rs (all features): which feature each group and model needs.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![doc = include_str!("../../README.md")]

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
mod lro;
mod operation_options;
mod options;
mod pager;
mod poller;
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
pub use error::{Error, ErrorDetail, ErrorKind, Result, ServiceError};
pub use lro::{OperationState, PollStatus};
pub use operation_options::OperationOptions;
pub use options::{
    ApimClientOptions, DEFAULT_API_VERSION, DEFAULT_ENDPOINT, PollingOptions, RetryOptions,
};
pub use pager::{Page, Pager};
pub use poller::Poller;
pub use response::Response;

/// The credential trait every `azure_identity` credential implements.
pub use azure_core::credentials::TokenCredential;
