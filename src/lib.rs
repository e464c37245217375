//! Workspace-level tests and examples live in `tests/` and `examples/`.
