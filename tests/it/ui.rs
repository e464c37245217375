//! Compile-time behaviour of `#[apim_operation]`: declarations that must compile, and
//! misuses that must fail with the committed message (`tests/ui/fail/*.stderr`).
//! Regenerate with `TRYBUILD=overwrite cargo test --test ui` and review the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
