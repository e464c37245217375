//! Compile-time behaviour of `#[apim_operation]` and `#[derive(OperationOptions)]`:
//! declarations that must compile, and misuses that must fail with the committed message
//! (`fail/*.stderr`). Regenerate with `TRYBUILD=overwrite cargo test -p apim-ui` and review
//! the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("pass/*.rs");
    cases.compile_fail("fail/*.rs");
}
