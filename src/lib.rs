//! Workspace-level tests and examples live in `tests/` and `examples/`.

/// The README's Rust examples, compiled as doctests of the repository (not of a published
/// crate, whose front page is its own).
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
