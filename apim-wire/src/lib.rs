#![warn(missing_docs)]
//! Facts about the wire that `#[apim_operation]` (at compile time) and `apim_client` (at
//! run time) must agree on. Each lives here once and both sides read it:
//!
//! - [`Method`]: the HTTP methods an operation can use, and which of them carry a body;
//! - [`headers`] and [`query`]: the names the client sets itself, which a declaration may
//!   therefore not set;
//! - [`rules`]: the documented constraints of path parameters, chosen by placeholder name.
//!
//! No dependencies, so the macro pays nothing to read it.

pub mod headers;
mod method;
pub mod query;
pub mod rules;

pub use method::Method;

/// Whether `names` (lower case) holds `name` in any case: header names are
/// case-insensitive, and ARM reads query names that way too.
fn contains_ignore_case(names: &[&str], name: &str) -> bool {
    names.iter().any(|n| n.eq_ignore_ascii_case(name))
}
