//! Support for the code `#[apim_operation]` generates. Not a public API: names here may
//! change in any release. Each name lives in the module that owns it; this is the list
//! generated code (and the benchmarks) may use.

pub use crate::decode::{Decode, ResponseBody, decoder};
pub use crate::lro::FinalState;
pub use crate::operation_options::{Apply, OptionName, checked_options};
pub use crate::pager::send_paged;
pub use crate::poller::send_poller;
pub use crate::request::{Method, Operation, ParamValue, RequestBody, RequestBuilder};
pub use crate::rules;
pub use crate::send::{send_empty, send_json, send_response_empty, send_response_json};
pub use crate::transport::build_http_request;
