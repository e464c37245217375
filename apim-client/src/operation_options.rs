//! The options of an operation: its optional query parameters and headers as one struct,
//! the last argument of the call (`Option<ApiListByServiceOptions>`; `None` sends none).

use crate::request::RequestBuilder;

/// An operation's optional query parameters and headers, one field each. Derive it:
/// `#[derive(OperationOptions)]` with `#[query("..")]` or `#[header("..")]` on each field
/// (see the derive's documentation), and take it as the `#[options]` argument of an
/// `#[apim_operation]` declaration.
///
/// Every shipped operation with optional parameters has one, named after the operation:
///
/// ```no_run
/// # use apim_client::prelude::*;
/// # use apim_client::models::ApiListByServiceOptions;
/// # async fn run(client: &apim_client::ApimClient) -> apim_client::Result<()> {
/// let first_two = client.api().list_by_service("rg1", "apim1", Some(ApiListByServiceOptions {
///     top: Some(2),
///     ..Default::default()
/// }));
/// # Ok(())
/// # }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the options of an operation: it does not implement `OperationOptions`",
    label = "the `#[options]` argument's fields are sent as query parameters and headers",
    note = "derive it: `#[derive(apim_client::OperationOptions)]`, with `#[query(\"name\")]` or `#[header(\"Name\")]` on each field"
)]
pub trait OperationOptions {
    /// What the fields send, for the check against the operation's own arguments.
    #[doc(hidden)]
    const SENT: &'static [OptionName];

    /// Adds the fields that are set to the request.
    #[doc(hidden)]
    fn apply(&self, request: &mut RequestBuilder<'_>);
}

/// Where one options field goes; header names in lower case.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum OptionName {
    Query(&'static str),
    Header(&'static str),
}

/// How a checked options type is sent: [`OperationOptions::apply`].
#[doc(hidden)]
pub type Apply<O> = fn(&O, &mut RequestBuilder<'_>);

/// `O`'s [`OperationOptions::apply`], for a constant the attribute macro writes, which
/// fails to compile when a field of `O` sends a query parameter in `queries` or a header in
/// `headers`, the names the declaration's own arguments send. Names compare
/// case-insensitively: ARM reads `$top` and `$Top` as one. The generated method sends
/// through the constant, so a type that is not `OperationOptions` is reported once, here.
#[doc(hidden)]
pub const fn checked_options<O: OperationOptions>(queries: &[&str], headers: &[&str]) -> Apply<O> {
    let mut i = 0;
    while i < O::SENT.len() {
        let (name, declared) = match O::SENT[i] {
            OptionName::Query(name) => (name, queries),
            OptionName::Header(name) => (name, headers),
        };
        let mut j = 0;
        while j < declared.len() {
            if eq_ignore_ascii_case(name.as_bytes(), declared[j].as_bytes()) {
                panic!(
                    "a field of the `#[options]` type sends a query parameter or header that an argument of the operation sends too: keep one of them"
                );
            }
            j += 1;
        }
        i += 1;
    }
    O::apply
}

const fn eq_ignore_ascii_case(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if !a[i].eq_ignore_ascii_case(&b[i]) {
            return false;
        }
        i += 1;
    }
    true
}
