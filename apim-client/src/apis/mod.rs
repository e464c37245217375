//! The APIM operations this crate ships, each a trait declared with `#[apim_operation]`
//! and implemented for [`ApimClient`](crate::ApimClient).

mod backend;
mod backend_reconnect;

pub use backend::BackendApi;
pub use backend_reconnect::BackendReconnectApi;
