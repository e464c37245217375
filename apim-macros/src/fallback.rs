//! On error, re-emit the user's declaration as valid Rust next to the errors, so the rest of
//! the crate keeps type-checking and one mistake gives one error, not a cascade.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{
    GenericArgument, PathArguments, ReturnType, TraitItemFn, Type, TypeParamBound, parse_quote,
};

pub(crate) fn emit(mut item: TraitItemFn, errors: TokenStream) -> TokenStream {
    if item.default.is_none() {
        // A provided body keeps `impl Trait for ApimClient {}` free of "missing method" errors.
        if item.sig.asyncness.take().is_some() {
            let output = match &item.sig.output {
                ReturnType::Type(_, ty) => (**ty).clone(),
                ReturnType::Default => parse_quote!(()),
            };
            item.sig.output = future_of(output);
            item.default = Some(parse_quote!({ async move { ::core::unreachable!() } }));
        } else {
            item.default = Some(parse_quote!({ ::core::unreachable!() }));
        }
        // A provided method taking `self` by value needs `Self: Sized` to compile.
        if item
            .sig
            .receiver()
            .is_some_and(|r| r.reference.is_none() && r.colon_token.is_none())
        {
            item.sig
                .generics
                .make_where_clause()
                .predicates
                .push(parse_quote!(Self: ::core::marker::Sized));
        }
        item.attrs
            .push(parse_quote!(#[allow(unused_variables, unreachable_code)]));
    }
    quote!(#item #errors)
}

/// `-> impl Future<Output = #output> + Send`, built as syntax rather than parsed from
/// tokens, so no declared type can make it fail.
pub(crate) fn future_of(output: Type) -> ReturnType {
    let mut future: Type =
        parse_quote!(impl ::core::future::Future<Output = ()> + ::core::marker::Send);
    if let Type::ImplTrait(bounds) = &mut future
        && let Some(TypeParamBound::Trait(trait_bound)) = bounds.bounds.first_mut()
        && let Some(segment) = trait_bound.path.segments.last_mut()
        && let PathArguments::AngleBracketed(args) = &mut segment.arguments
        && let Some(GenericArgument::AssocType(assoc)) = args.args.first_mut()
    {
        assoc.ty = output;
    }
    ReturnType::Type(Default::default(), Box::new(future))
}
