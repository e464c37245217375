//! Workspace-level tests and examples live in `tests/` and `examples/`.

/// The README's Rust examples, compiled as doctests of the repository (not of a published
/// crate, whose front page is its own).
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The emulator's README: its user-test example needs apim-client, which the emulator
/// itself must not depend on, so it is compiled here, where both are dev-dependencies.
#[doc = include_str!("../apim-emulator/README.md")]
#[cfg(doctest)]
pub struct EmulatorReadmeDoctests;
