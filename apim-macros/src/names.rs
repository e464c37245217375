//! The names an argument or an options field is sent under, checked the same way for
//! both: a query parameter or header the client sets itself is refused, and a name must be
//! valid on the wire.

use syn::LitStr;

use crate::ctxt::Ctxt;

/// The checked query parameter name of `#[query("..")]`, or `None` (reported).
pub(crate) fn query(cx: &mut Ctxt, name: &LitStr) -> Option<String> {
    let value = name.value();
    if apim_wire::query::is_client_set(&value) {
        // ARM reads query names case-insensitively: `Api-Version` would be a second one.
        let case = if value == apim_wire::query::API_VERSION {
            ""
        } else {
            " (query parameter names are case-insensitive)"
        };
        cx.error_spanned_by(
            name,
            format!(
                "`{value}` is added by the client{case}: set it with `api_version = \"..\"` in `#[apim_operation]` or in `ApimClientOptions`"
            ),
        );
        return None;
    }
    let valid = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~$".contains(c));
    if !valid {
        let hint = if value.is_empty() {
            ", or write `#[query]` to use the argument's name"
        } else {
            ""
        };
        cx.error_spanned_by(
            name,
            format!(
                "`{value}` is not a valid query parameter name: use letters, digits and `-._~$`{hint}"
            ),
        );
        return None;
    }
    Some(value)
}

/// The checked header name of `#[header("..")]`, or `None` (reported).
pub(crate) fn header(cx: &mut Ctxt, name: &LitStr) -> Option<String> {
    let value = name.value();
    if !apim_wire::headers::is_token(&value) {
        let fixed: String = value
            .trim()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let hint = if !fixed.is_empty() && fixed != value {
            format!("; did you mean `{fixed}`?")
        } else {
            String::new()
        };
        cx.error_spanned_by(
            name,
            format!("`{value}` is not a valid HTTP header name: use letters, digits and `-`{hint}"),
        );
        return None;
    }
    if apim_wire::headers::is_client_set(&value) {
        // Only `Accept` has a per-operation value: the media types the answer may have.
        let hint = if value.eq_ignore_ascii_case(apim_wire::headers::ACCEPT) {
            "; to ask for other media types, declare `accept = \"..\"` in `#[apim_operation]`"
        } else {
            ""
        };
        cx.error_spanned_by(
            name,
            format!("`{value}` is set by the client on every request: remove this argument{hint}"),
        );
        return None;
    }
    Some(value)
}
