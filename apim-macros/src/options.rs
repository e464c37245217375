//! `#[derive(OperationOptions)]`: an operation's optional query parameters and headers as
//! one struct, each field saying where it goes.
//!
//! ```text
//! #[derive(Default, OperationOptions)]
//! pub struct ListOptions {
//!     #[query("$top")] pub top: Option<u32>,
//!     #[header("If-Match")] pub if_match: Option<String>,
//! }
//! ```
//!
//! The names are checked with the rules of `#[query]` and `#[header]` arguments
//! ([`crate::names`]); two fields sending the same name (case-insensitively) are refused.
//! Whether a field and an argument of the operation send the same name is checked where
//! the operation is declared, by a constant the attribute writes.

use std::collections::HashSet;

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, LitStr};

use crate::ctxt::Ctxt;
use crate::{names, suggest, types};

/// One field and where it goes.
struct Field<'a> {
    ident: &'a Ident,
    ty: &'a syn::Type,
    place: Place,
    /// The attribute, for errors about the name.
    attr: &'a syn::Attribute,
}

enum Place {
    Query(String),
    /// Lower case, as the attribute macro sends header names.
    Header(String),
}

pub(crate) fn derive(input: TokenStream) -> TokenStream {
    let input = match syn::parse2::<DeriveInput>(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let mut cx = Ctxt::default();
    let krate = container(&mut cx, &input);
    let fields = fields(&mut cx, &input);
    check_duplicates(&mut cx, &fields);
    match cx.into_compile_errors() {
        None => expand(&input, &krate, &fields),
        Some(errors) => {
            // An impl that sends nothing, so uses of the type add no "not implemented"
            // errors to the real one.
            let fallback = expand(&input, &krate, &[]);
            quote!(#errors #fallback)
        }
    }
}

/// `#[operation_options(crate = path)]`, for a crate that re-exports apim_client.
fn container(cx: &mut Ctxt, input: &DeriveInput) -> syn::Path {
    let mut krate: syn::Path = syn::parse_quote!(::apim_client);
    for attr in input
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("operation_options"))
    {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("crate") {
                krate = meta.value()?.parse()?;
                Ok(())
            } else {
                Err(meta.error(
                    "expected `crate = path`, e.g. `#[operation_options(crate = ::my_sdk::apim)]`",
                ))
            }
        });
        if let Err(e) = parsed {
            cx.push(e);
        }
    }
    krate
}

fn fields<'a>(cx: &mut Ctxt, input: &'a DeriveInput) -> Vec<Field<'a>> {
    let named = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => Some(named),
            Fields::Unit => return Vec::new(),
            Fields::Unnamed(_) => None,
        },
        _ => None,
    };
    let Some(named) = named else {
        cx.error_spanned_by(
            &input.ident,
            "`OperationOptions` is derived on a struct with named fields, one per query parameter or header: `struct ListOptions { #[query(\"$top\")] top: Option<u32> }`",
        );
        return Vec::new();
    };
    let mut fields = Vec::new();
    for field in &named.named {
        let Some(ident) = &field.ident else { continue };
        let mut places = field
            .attrs
            .iter()
            .filter_map(|attr| place(cx, field, attr).map(|place| (place, attr)));
        match (places.next(), places.next()) {
            (Some((place, attr)), None) => fields.push(Field {
                ident,
                ty: &field.ty,
                place,
                attr,
            }),
            (Some(_), Some((_, second))) => cx.error_spanned_by(
                second,
                "this field already has a place: a field is one query parameter or one header, so keep one of the attributes",
            ),
            (None, _) if marked(field) => {} // a malformed attribute, reported
            (None, _) => {
                let hint = field
                    .attrs
                    .iter()
                    .filter_map(|a| a.path().get_ident())
                    .find_map(|i| suggest::closest(&i.to_string(), ["query", "header"]))
                    .map(|role| format!("; did you mean `#[{role}]`?"))
                    .unwrap_or_default();
                cx.error_spanned_by(
                    ident,
                    format!(
                        "each field of an options type says where it is sent: mark `{ident}` `#[query(\"name\")]` (or `#[query]` for its own name) or `#[header(\"Name\")]`{hint}"
                    ),
                );
            }
        }
    }
    fields
}

fn marked(field: &syn::Field) -> bool {
    field
        .attrs
        .iter()
        .any(|a| a.path().is_ident("query") || a.path().is_ident("header"))
}

/// The place an attribute gives a field, `None` for other attributes or a malformed one
/// (reported).
fn place(cx: &mut Ctxt, field: &syn::Field, attr: &syn::Attribute) -> Option<Place> {
    let is_query = attr.path().is_ident("query");
    if !is_query && !attr.path().is_ident("header") {
        return None;
    }
    let name = match (&attr.meta, is_query) {
        (syn::Meta::Path(_), true) => {
            let ident = field.ident.as_ref()?;
            let own = syn::ext::IdentExt::unraw(ident).to_string();
            return names::query(cx, &LitStr::new(&own, ident.span())).map(Place::Query);
        }
        (syn::Meta::List(_), _) => attr.parse_args::<LitStr>().ok(),
        _ => None,
    };
    let Some(name) = name else {
        let example = if is_query {
            "`#[query(\"$filter\")]`, or `#[query]` for the field's own name"
        } else {
            "`#[header(\"If-Match\")]`"
        };
        cx.error_spanned_by(attr, format!("name it as a string: {example}"));
        return None;
    };
    if is_query {
        names::query(cx, &name).map(Place::Query)
    } else {
        names::header(cx, &name).map(|name| Place::Header(name.to_ascii_lowercase()))
    }
}

/// Query parameter names, like header names, compare case-insensitively: ARM reads
/// `$top` and `$Top` as one parameter.
fn check_duplicates(cx: &mut Ctxt, fields: &[Field<'_>]) {
    let mut seen = HashSet::new();
    for field in fields {
        let (what, name) = match &field.place {
            Place::Query(name) => ("query parameter", name),
            Place::Header(name) => ("header", name),
        };
        if !seen.insert((what, name.to_ascii_lowercase())) {
            cx.error_spanned_by(
                field.attr,
                format!("{what} `{name}` is set by two fields: keep one"),
            );
        }
    }
}

fn expand(input: &DeriveInput, krate: &syn::Path, fields: &[Field<'_>]) -> TokenStream {
    let private = quote!(#krate::__private);
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let request = Ident::new("__apim_request", Span::mixed_site());
    let value = Ident::new("__apim_value", Span::mixed_site());
    let sent = fields.iter().map(|field| match &field.place {
        Place::Query(name) => quote!(#private::OptionName::Query(#name)),
        Place::Header(name) => quote!(#private::OptionName::Header(#name)),
    });
    let applied = fields.iter().map(|field| {
        let ident = field.ident;
        let (call, key) = match &field.place {
            Place::Query(name) => (quote!(query), name),
            Place::Header(name) => (quote!(header), name),
        };
        match types::option_inner(field.ty) {
            Some(inner) => {
                let ty = types::referent(inner);
                let send = quote_spanned!(ty.span()=> #request.#call::<#ty>(#key, #value));
                quote!(if let ::core::option::Option::Some(#value) = &self.#ident { #send; })
            }
            None => {
                let ty = types::referent(field.ty);
                quote_spanned!(ty.span()=> #request.#call::<#ty>(#key, &self.#ident);)
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::OperationOptions for #name #ty_generics #where_clause {
            const SENT: &'static [#private::OptionName] = &[#(#sent),*];

            // Compiled where an operation sends it, not where the type is declared.
            #[inline]
            fn apply(&self, #request: &mut #private::RequestBuilder<'_>) {
                #(#applied)*
            }
        }
    }
}
