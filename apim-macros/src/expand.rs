//! Code generation. The generated method reads like what a careful person would write by
//! hand: it builds the request through `__private::RequestBuilder` step by step and hands
//! it to a shared sender.
//!
//! Each call that needs something of a user's type names the type (`.path::<T>(..)`,
//! `decoder::<T>()`) and carries the type's span (`quote_spanned!`): a type
//! that cannot be sent or decoded is reported once, on the user's type, in the words of the
//! `#[diagnostic::on_unimplemented]` of the `__private` trait it lacks.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Ident, ReturnType, Signature, parse_quote};

use crate::ctxt::Ctxt;
use crate::valid::{self, ApiVersion, Operation, Output, Part, PathStep, Sent};
use crate::{ast, attr, fallback, template};

/// Parse, validate, write: the whole macro.
pub(crate) fn operation(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut cx = Ctxt::default();
    // In reading order: the attribute, its template, then the declaration.
    let attr = attr::parse(&mut cx, args);
    let template = attr
        .template
        .as_ref()
        .and_then(|lit| template::parse(&mut cx, lit));
    let item = match ast::parse_item(&mut cx, item) {
        Ok(item) => item,
        Err(reemitted) => {
            let errors = cx.into_compile_errors();
            return quote!(#reemitted #errors);
        }
    };
    let declaration = ast::parse(&mut cx, item);
    let operation = valid::operation(&mut cx, &attr, template.as_ref(), &declaration);
    match (cx.into_compile_errors(), operation) {
        (None, Some(operation)) => generate(operation),
        (Some(errors), _) => fallback::emit(declaration.item, errors),
        // Validation reports whatever leaves it without an operation; should it ever
        // not, the user still gets an error rather than a panic.
        (None, None) => fallback::emit(
            declaration.item,
            quote!(::core::compile_error!(
                "`#[apim_operation]` could not read this declaration; please report it"
            );),
        ),
    }
}

/// Names the generated body uses. `Span::mixed_site()` keeps them apart from the user's
/// argument names, whatever those are.
struct Names {
    private: TokenStream,
    request: Ident,
}

fn generate(operation: Operation) -> TokenStream {
    let krate = &operation.krate;
    let names = Names {
        private: quote!(#krate::__private),
        request: Ident::new("__apim_request", Span::mixed_site()),
    };
    let private = &names.private;
    let request = &names.request;
    let client = Ident::new("__apim_client", Span::mixed_site());
    let constant = Ident::new("__APIM_OPERATION", Span::mixed_site());

    let declare = describe(&operation, &names);
    let path = operation.path.iter().map(|step| path_step(step, &names));
    let arguments = operation
        .sent
        .iter()
        .map(|sent| argument(sent, &operation.sent, &names));
    let send = send(&operation.output, &names);
    let attrs = &operation.item.attrs;
    let sig = signature(operation.item.sig.clone(), krate);
    quote! {
        #(#attrs)*
        #sig {
            const #constant: #private::Operation = #declare;
            let #client = ::core::convert::AsRef::<#krate::ApimClient>::as_ref(self);
            let mut #request = #private::RequestBuilder::new(#client, &#constant);
            #(#path)*
            #(#arguments)*
            #send
        }
    }
}

/// `Operation::new(..)`: what the runtime needs to know besides the request.
fn describe(operation: &Operation, names: &Names) -> TokenStream {
    let private = &names.private;
    let name = &operation.name;
    let method = Ident::new(operation.method.variant(), Span::call_site());
    let status = &operation.status;
    let api_version = match &operation.api_version {
        ApiVersion::Declared(version) => quote!(::core::option::Option::Some(#version)),
        ApiVersion::OfClient => quote!(::core::option::Option::None),
    };
    let accept = operation
        .accept
        .as_ref()
        .map(|accept| quote!(.accepting(#accept)));
    quote! {
        #private::Operation::new(#name, #private::Method::#method, &[#(#status),*], #api_version)#accept
    }
}

fn path_step(step: &PathStep, names: &Names) -> TokenStream {
    let Names { private, request } = names;
    match step {
        PathStep::Literal(text) => quote!(#request.literal(#text);),
        PathStep::SubscriptionId => quote!(#request.subscription_id();),
        PathStep::Argument {
            placeholder,
            ident,
            ty,
        } => {
            // Looked up while compiling: no table search at run time.
            let rule = quote!(const { #private::rules::for_placeholder(#placeholder) });
            quote_spanned!(ty.span()=> #request.path::<#ty>(#rule, #placeholder, &#ident);)
        }
    }
}

/// A query, header, body or options argument; an `Option` only when it is `Some`.
fn argument(sent: &Sent, all: &[Sent], names: &Names) -> TokenStream {
    let request = &names.request;
    let Sent {
        ident,
        part,
        value_ty: ty,
        optional,
    } = sent;
    let (call, key) = match part {
        Part::Query(name) => (quote!(query), name),
        Part::Header(name) => (quote!(header), name),
        Part::Body(name) => (quote!(body), name),
        Part::Options => return options(sent, all, names),
    };
    if *optional {
        let value = Ident::new("__apim_value", Span::mixed_site());
        let call = quote_spanned!(ty.span()=> #request.#call::<#ty>(#key, #value));
        quote!(if let ::core::option::Option::Some(#value) = &#ident { #call; })
    } else {
        quote_spanned!(ty.span()=> #request.#call::<#ty>(#key, &#ident);)
    }
}

/// An `#[options]` argument: its fields are sent when it is `Some`, through a constant
/// that checks, when the declaration compiles, that no field sends a query parameter or
/// header an argument sends too (the options type's names are only known to the
/// compiler).
fn options(sent: &Sent, all: &[Sent], names: &Names) -> TokenStream {
    let Names { private, request } = names;
    let Sent {
        ident,
        value_ty: ty,
        ..
    } = sent;
    let queries = all.iter().filter_map(|s| match &s.part {
        Part::Query(name) => Some(name),
        _ => None,
    });
    let headers = all.iter().filter_map(|s| match &s.part {
        Part::Header(name) => Some(name),
        _ => None,
    });
    let value = Ident::new("__apim_value", Span::mixed_site());
    let apply = Ident::new("__APIM_OPTIONS", Span::mixed_site());
    let checked = quote_spanned!(ty.span()=>
        const #apply: #private::Apply<#ty> =
            #private::checked_options::<#ty>(&[#(#queries),*], &[#(#headers),*]);
    );
    quote! {
        #checked
        if let ::core::option::Option::Some(#value) = &#ident { #apply(#value, &mut #request); }
    }
}

/// Hands the request to the sender of the output form.
fn send(output: &Output, names: &Names) -> TokenStream {
    let Names { private, request } = names;
    let decoder = |ty: &syn::Type| quote_spanned!(ty.span()=> #private::decoder::<#ty>());
    match output {
        Output::Empty => quote!(#private::send_empty(#request)),
        Output::Json(ty) => {
            let decode = decoder(ty);
            quote!(#private::send_json(#request, #decode))
        }
        Output::ResponseEmpty => quote!(#private::send_response_empty(#request)),
        Output::ResponseJson(ty) => {
            let decode = decoder(ty);
            quote!(#private::send_response_json(#request, #decode))
        }
        Output::Pager(ty) => quote_spanned!(ty.span()=> #private::send_paged::<#ty>(#request)),
        Output::Poller(ty, final_state) => {
            let final_state = Ident::new(final_state.variant(), Span::call_site());
            quote_spanned!(ty.span()=> #private::send_poller::<#ty>(#request, #private::FinalState::#final_state))
        }
    }
}

/// The declared signature, as a provided method: `async fn` becomes a `Send` future, and
/// `Self` must lead to the client.
fn signature(mut sig: Signature, krate: &syn::Path) -> Signature {
    if sig.asyncness.take().is_some() {
        let declared = match &sig.output {
            ReturnType::Type(_, ty) => (**ty).clone(),
            ReturnType::Default => parse_quote!(#krate::Result<()>),
        };
        sig.output = fallback::future_of(declared);
    }
    sig.generics
        .make_where_clause()
        .predicates
        .push(parse_quote!(
            Self: ::core::convert::AsRef<#krate::ApimClient>
        ));
    sig
}

#[cfg(test)]
mod tests {
    use quote::quote;

    /// The expansion of the crate's own `backend_reconnect`, as text: run with
    /// `--nocapture` to read it.
    #[test]
    fn expands_backend_reconnect() {
        let expanded = super::operation(
            quote!(POST, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/backends/<backend_id>/reconnect", status = [202]),
            quote!(async fn backend_reconnect(&self, resource_group_name: &str, service_name: &str, backend_id: &str, #[body] parameters: Option<&BackendReconnectRequest>) -> Result<()>;),
        )
        .to_string();
        println!("{expanded}");
        assert!(!expanded.contains("compile_error"));
        assert!(expanded.contains("for_placeholder (\"backend_id\")"));
        assert!(expanded.contains("send_empty"));
    }

    /// The expansion of a declaration with an options argument, as text: run with
    /// `--nocapture` to read it.
    #[test]
    fn expands_an_options_argument() {
        let expanded = super::operation(
            quote!(GET, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/apis", operation_id = "Api_ListByService", status = [200]),
            quote!(fn list_by_service(&self, resource_group_name: &str, service_name: &str, #[options] options: Option<ApiListByServiceOptions>) -> Pager<ApiContract>;),
        )
        .to_string();
        println!("{expanded}");
        assert!(!expanded.contains("compile_error"));
        assert!(expanded.contains("checked_options :: < ApiListByServiceOptions >"));
        assert!(expanded.contains("\"Api_ListByService\""));
    }
}
