//! The shape of the signature: a declaration without a body, `&self`, `async` exactly when
//! the operation sends at once, and nothing the generated body cannot honour.

use syn::TraitItemFn;

use super::Output;
use crate::ctxt::Ctxt;

/// The macro writes the body, so the declaration has none.
pub(super) fn check_no_body(cx: &mut Ctxt, item: &TraitItemFn) {
    if let Some(block) = &item.default {
        cx.error_at(
            block.brace_token.span.open(),
            "`#[apim_operation]` writes the body of this method: declare it in a trait without a body, ending in `;` (on a method of an `impl` block, move the declaration into a trait and `impl` that trait for `ApimClient`)",
        );
    }
}

/// `output` is `None` when the return type was reported: `async` is then not checked.
pub(super) fn check(cx: &mut Ctxt, sig: &syn::Signature, output: Option<&Output>) {
    match sig.receiver() {
        None => cx.error_spanned_by(
            &sig.ident,
            format!("`{}` must take `&self` as its first parameter: add `&self` before the arguments; operations are called on the client", sig.ident),
        ),
        Some(receiver) if receiver.colon_token.is_some() => cx.error_spanned_by(
            receiver,
            "an operation takes its receiver as `&self`, not a typed `self`",
        ),
        Some(receiver) if receiver.reference.is_none() => cx.error_spanned_by(
            receiver,
            "an operation takes `&self`, not `self` by value: write `&self`; the client is shared",
        ),
        Some(receiver) if receiver.mutability.is_some() => cx.error_spanned_by(
            receiver,
            "an operation takes `&self`, not `&mut self`: write `&self`; the client is shared",
        ),
        Some(_) => {}
    }
    match (&sig.asyncness, output) {
        (Some(token), Some(Output::Pager(_))) => cx.error_spanned_by(
            token,
            "a list operation returns its `Pager` at once and fetches pages as they are read: remove `async`",
        ),
        (Some(token), Some(Output::Poller(..))) => cx.error_spanned_by(
            token,
            "a long-running operation returns its `Poller` at once, which sends the request when first polled or awaited: remove `async`",
        ),
        (None, Some(Output::Pager(_) | Output::Poller(..)) | None) | (Some(_), _) => {}
        (None, _) => cx.error_spanned_by(
            sig.fn_token,
            format!(
                "`{}` must be declared `async fn`: an operation sends a request (only a list operation, returning `Pager<T>`, or a long-running one, returning `Poller<T>`, is a plain `fn`)",
                sig.ident
            ),
        ),
    }
    // Lifetimes are fine; a type or const parameter cannot be checked when the macro runs.
    if let Some(param) = sig
        .generics
        .params
        .iter()
        .find(|p| !matches!(p, syn::GenericParam::Lifetime(_)))
    {
        cx.error_spanned_by(
            param,
            "operations cannot be generic: declare concrete argument types, e.g. `&str` instead of `T: AsRef<str>`, or `&Model` for the `#[body]`",
        );
    } else if let Some(clause) = &sig.generics.where_clause {
        cx.error_spanned_by(
            clause,
            "operations cannot have a `where` clause: declare concrete argument types",
        );
    }
    if let Some(token) = &sig.constness {
        cx.error_spanned_by(token, "an operation cannot be `const`: remove `const`");
    }
    if let Some(token) = &sig.unsafety {
        cx.error_spanned_by(token, "an operation cannot be `unsafe`: remove `unsafe`");
    }
    if let Some(abi) = &sig.abi {
        cx.error_spanned_by(abi, "an operation cannot declare an ABI: remove it");
    }
    if let Some(variadic) = &sig.variadic {
        cx.error_spanned_by(variadic, "an operation cannot be variadic: remove `...`");
    }
}
