//! The operations on which our client knowingly behaves other than the SDK for the
//! oracle's samples, each with the reason. The wire test fails if an operation differs
//! that is not listed here, and if a listed one agrees: the list is exact, never a silent
//! skip.
//!
//! Empty: all 613 agree. (`ApiPolicy_Get` was listed until `#[apim_operation]` learnt
//! `accept = ".."`: the SDK asks for the policy's XML media types as well as JSON.)

/// `(operationId, why we differ)`.
pub(crate) const KNOWN_DISAGREEMENTS: &[(&str, &str)] = &[];
