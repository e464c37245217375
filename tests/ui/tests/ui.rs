//! Compile-time behaviour of `#[apim_operation]` and `#[derive(OperationOptions)]`:
//! misuses that must fail with the committed message (`fail/*.stderr`); and declarations
//! that must compile (`pass/declarations.rs`, a module of this test). Regenerate the
//! messages with `TRYBUILD=overwrite cargo test -p apim-ui` and review the diff.

// Compiled, not run: its items are declarations as a user writes them, `pub` included.
#[allow(dead_code, unreachable_pub)]
#[path = "../pass/declarations.rs"]
mod declarations;

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("fail/*.rs");
}
