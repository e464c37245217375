//! On error, re-emit the user's declaration as valid Rust next to the errors, so the rest of
//! the crate keeps type-checking and one mistake gives one error, not a cascade.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{TraitItemFn, parse_quote};

pub fn emit(mut item: TraitItemFn, errors: TokenStream) -> TokenStream {
    if item.default.is_none() {
        // A provided body keeps `impl Trait for ApimClient {}` free of "missing method" errors.
        if item.sig.asyncness.take().is_some() {
            let output = match &item.sig.output {
                syn::ReturnType::Type(_, ty) => quote!(#ty),
                syn::ReturnType::Default => quote!(()),
            };
            item.sig.output = parse_quote!(-> impl ::core::future::Future<Output = #output> + ::core::marker::Send);
            item.default = Some(parse_quote!({ async move { ::core::unreachable!() } }));
        } else {
            item.default = Some(parse_quote!({ ::core::unreachable!() }));
        }
        item.attrs
            .push(parse_quote!(#[allow(unused_variables, unreachable_code)]));
    }
    quote!(#item #errors)
}
