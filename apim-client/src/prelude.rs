//! Every operation group's trait, so any group's methods can be called on its handle:
//! `use apim_client::prelude::*;`. The traits' methods are only reachable through their
//! own handle type, so importing all of them never makes a call ambiguous.

pub use crate::apis::BackendReconnectApi;
// Every generated group's trait (none with no feature on).
#[allow(unused_imports, unreachable_pub)]
pub use crate::apis::traits::*;
