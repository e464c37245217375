//! The return type, read as one of the forms an operation can have.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::{GenericArgument, PathArguments, ReturnType, Type};

use super::Output;
use crate::attr::{Attr, FinalState};
use crate::ctxt::Ctxt;
use crate::types;

/// The output form of `sig`; `None` when it has none (reported).
pub(super) fn check(cx: &mut Ctxt, sig: &syn::Signature, krate: &syn::Path) -> Option<Output> {
    // The names the apim_client crate goes by.
    let mut roots = vec!["apim_client".to_owned(), "crate".to_owned()];
    roots.extend(krate.segments.last().map(|s| s.ident.to_string()));
    let output = form(cx, sig, &roots)?;
    match &output {
        Output::Json(model)
        | Output::ResponseJson(model)
        | Output::Pager(model)
        | Output::Poller(model, _)
            if types::borrows(model.to_token_stream()) =>
        {
            cx.error_spanned_by(
                model,
                "a response model must own its data: it is decoded from a body that is gone when the call returns; use an owned type such as `String` instead of `&str`",
            );
            None
        }
        _ => Some(output),
    }
}

fn form(cx: &mut Ctxt, sig: &syn::Signature, roots: &[String]) -> Option<Output> {
    let ty = match &sig.output {
        ReturnType::Type(_, ty) => ty,
        ReturnType::Default => {
            cx.error_at(
                sig.paren_token.span.close(),
                "an operation returns `Result<T>` (`apim_client::Result`): add `-> Result<()>` after the arguments for an empty response, or `-> Result<Model>` to decode the body",
            );
            return None;
        }
    };
    if let Some(item) = types::first_argument_of(ty, "Pager") {
        return Some(Output::Pager(item.clone()));
    }
    if let Some(item) = types::first_argument_of(ty, "Poller") {
        return Some(Output::Poller(item.clone(), FinalState::Default));
    }
    if let Some(foreign) = foreign_result(ty, roots) {
        cx.error_spanned_by(
            foreign,
            "an operation returns `apim_client::Result<T>`, whose error is `apim_client::Error`: write `Result<T>` with `apim_client::Result` in scope, and convert the error in the caller",
        );
        return None;
    }
    let Some(inner) = types::first_argument_of(ty, "Result") else {
        cx.error_spanned_by(
            ty,
            "an operation returns `Result<T>` (`apim_client::Result`): `Result<Model>` to decode the body, `Result<()>` to ignore it, `Result<Response<T>>` to see status and headers too, `Pager<T>` (without `async`) for a list, or `Poller<T>` (without `async`) for a long-running operation",
        );
        return None;
    };
    Some(match types::first_argument_of(inner, "Response") {
        Some(body) if types::is_unit(body) => Output::ResponseEmpty,
        Some(model) => Output::ResponseJson(model.clone()),
        None if types::is_unit(inner) => Output::Empty,
        None => Output::Json(inner.clone()),
    })
}

/// Puts `final_state` on a `Poller`, and refuses it elsewhere; refuses a `Poller` on
/// GET or HEAD, which ARM never runs asynchronously.
pub(super) fn long_running(
    cx: &mut Ctxt,
    attr: &Attr,
    sig: &syn::Signature,
    output: Output,
) -> Option<Output> {
    match (output, &attr.final_state) {
        (Output::Poller(model, _), _)
            if matches!(
                attr.method,
                Some(apim_wire::Method::Get | apim_wire::Method::Head)
            ) =>
        {
            let method = attr.method.map_or("GET", apim_wire::Method::name);
            let ty = match &sig.output {
                ReturnType::Type(_, ty) => quote::quote!(#ty),
                ReturnType::Default => quote::quote!(#model),
            };
            cx.error_spanned_by(
                ty,
                format!("a {method} request is never long-running: return `Result<T>` (or `Pager<T>` for a list); `Poller<T>` is for PUT, PATCH, POST and DELETE operations that answer 201 or 202 and finish later"),
            );
            None
        }
        (Output::Poller(model, _), Some((state, _))) => Some(Output::Poller(model, *state)),
        (output, None) => Some(output),
        (_, Some((_, lit))) => {
            cx.error_spanned_by(
                lit,
                "`final_state` says where a long-running operation's result is read, so it goes only with a `Poller<T>` return type: remove it, or return `Poller<T>` (a plain `fn`) if the operation is long-running",
            );
            None
        }
    }
}

/// What makes a `Result` not `apim_client::Result`: another crate's `Result`
/// (`io::Result<T>`), or an error type other than `apim_client::Error` (`Result<T, E>`).
/// `roots` are the names the apim_client crate goes by (`apim_client`, `crate`, the last
/// segment of `crate = path`).
fn foreign_result(ty: &Type, roots: &[String]) -> Option<TokenStream> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let segments: Vec<&syn::PathSegment> = path.path.segments.iter().collect();
    let from_apim = |segments: &[&syn::PathSegment]| match segments {
        [.., root, _] => roots.iter().any(|r| root.ident == r),
        _ => true,
    };
    let (last, qualifier) = segments.split_last()?;
    if last.ident != "Result" {
        return None;
    }
    if !from_apim(&segments) {
        return Some(quote::quote!(#(#qualifier)::*));
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.iter().nth(1)? {
        GenericArgument::Type(Type::Path(p)) if p.qself.is_none() => {
            let error: Vec<&syn::PathSegment> = p.path.segments.iter().collect();
            let is_error = error.last().is_some_and(|s| s.ident == "Error");
            (!(is_error && error.len() >= 2 && from_apim(&error))).then(|| p.to_token_stream())
        }
        other => Some(other.to_token_stream()),
    }
}
