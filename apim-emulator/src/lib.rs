//! A local emulator of the Azure Resource Manager endpoint for API Management.
//!
//! [`Emulator::start`] binds a real HTTP server to `127.0.0.1` on an ephemeral port. It
//! stores resources under
//! `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ApiManagement/service/{svc}/...`
//! as JSON and answers the way the real service does: it requires `api-version` and the
//! bearer token from [`Emulator::token`], validates names, returns ARM error bodies,
//! keeps ETags and honours `If-Match`, pages lists with `nextLink`, and answers
//! `POST .../backends/{id}/reconnect` with 202 while recording it ([`Emulator::reconnects`]).
//!
//! It is an independent test oracle: it shares no code with the client. Tests can seed
//! resources ([`Emulator::put_json`]), read the request log ([`Emulator::requests`]) and
//! make the next requests fail ([`Emulator::inject`]).
//!
//! ```
//! use apim_emulator::{Emulator, Fault};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let emulator = Emulator::start().await?;
//! let backend = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/svc/backends/b1";
//! emulator
//!     .put_json(backend, serde_json::json!({"url": "https://example.invalid", "protocol": "http"}))
//!     .expect("a valid resource path");
//!
//! // The next request answers 429 with `Retry-After: 1`; the one after it is handled normally.
//! emulator.inject(Fault::throttle(1), 1);
//!
//! // Send requests to `emulator.endpoint()` with `Authorization: Bearer {emulator.token()}`
//! // and `?api-version=2024-05-01`, then inspect what arrived:
//! assert!(emulator.endpoint().starts_with("http://127.0.0.1:"));
//! assert!(emulator.requests().is_empty());
//! assert!(emulator.reconnects().is_empty());
//! emulator.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod arm;
mod duration;
mod emulator;
mod error;
mod faults;
mod ids;
mod list;
mod log;
mod lro;
mod path;
mod query;
mod rfc3339;
mod server;
mod state;
mod store;
mod validate;

pub use emulator::{Emulator, InvalidPath};
pub use faults::{Fault, RetryAfter};
pub use log::{
    LOG_MAX_BYTES, LOG_MAX_ENTRIES, RECORDED_BODY_MAX_BYTES, Reconnect, RecordedRequest,
};
pub use lro::LroFault;
