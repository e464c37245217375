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
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Ident, TraitItemFn, Type, parse_quote};

use crate::ast::{self, Output, Role};
use crate::attr::{self, Attr};
use crate::ctxt::Ctxt;
use crate::template::{self, Segment};
use crate::{fallback, valid};

pub(crate) fn operation(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut cx = Ctxt::default();
    // In reading order: the attribute, its template, then the declaration.
    let attr = attr::parse(&mut cx, args);
    let segments = attr
        .template
        .as_ref()
        .map(|lit| template::parse(&mut cx, lit));
    let item = match ast::parse_item(&mut cx, item) {
        Ok(item) => item,
        Err(reemitted) => {
            let errors = cx.into_compile_errors();
            return quote!(#reemitted #errors);
        }
    };
    let method = ast::parse(&mut cx, item, attr.krate.as_ref());
    if let (Some(lit), Some(segments)) = (&attr.template, &segments) {
        valid::check(&mut cx, attr.method, lit, segments.as_deref(), &method.args);
    }
    match cx.into_compile_errors() {
        Some(errors) => fallback::emit(method.item, errors),
        None => generate(&attr, &segments.flatten().unwrap_or_default(), method),
    }
}

fn generate(attr: &Attr, segments: &[Segment], method: ast::Method) -> TokenStream {
    let krate: syn::Path = attr
        .krate
        .clone()
        .unwrap_or_else(|| parse_quote!(::apim_client));
    let private = quote!(#krate::__private);
    let client = Ident::new("__apim_client", Span::mixed_site());
    let request = Ident::new("__apim_request", Span::mixed_site());
    let operation = Ident::new("__APIM_OPERATION", Span::mixed_site());

    let ast::Method { item, args, output } = method;
    let name = item.sig.ident.unraw().to_string();
    let http_method = Ident::new(
        attr.method.map_or("Get", apim_wire::Method::variant),
        Span::call_site(),
    );
    let status = &attr.status;
    let api_version = match &attr.api_version {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    };

    let mut steps = Vec::new();
    let mut literal = String::new();
    for segment in segments {
        literal.push('/');
        match segment {
            Segment::Literal(text) => literal.push_str(text),
            // Reported as an error; code is never generated next to one.
            Segment::Broken(_) | Segment::Empty => {}
            Segment::Placeholder(placeholder) => {
                steps.push(quote!(#request.literal(#literal);));
                literal.clear();
                let arg = args
                    .iter()
                    .find(|a| a.ident.unraw() == placeholder.as_str());
                steps.push(match arg {
                    Some(arg) => {
                        let ident = &arg.ident;
                        let ty = referent(&arg.ty);
                        // Looked up while compiling: no table search at run time.
                        let rule = quote!(const { #private::rules::for_placeholder(#placeholder) });
                        quote_spanned!(ty.span()=> #request.path::<#ty>(#rule, #placeholder, &#ident);)
                    }
                    None => quote!(#request.subscription_id();),
                });
            }
        }
    }
    if !literal.is_empty() {
        steps.push(quote!(#request.literal(#literal);));
    }
    for arg in &args {
        let ident = &arg.ident;
        let (call, key) = match &arg.role {
            Role::Path | Role::Broken => continue,
            Role::Query(key) => (quote!(query), key.clone()),
            Role::Header(key) => (quote!(header), key.to_ascii_lowercase()),
            Role::Body => (quote!(body), ident.unraw().to_string()),
        };
        let value = Ident::new("__apim_value", Span::mixed_site());
        steps.push(match ast::option_inner(&arg.ty).filter(|_| arg.optional) {
            Some(ty) => {
                let ty = referent(ty);
                let call = quote_spanned!(ty.span()=> #request.#call::<#ty>(#key, #value));
                quote!(if let ::core::option::Option::Some(#value) = &#ident { #call; })
            }
            None => {
                let ty = referent(&arg.ty);
                quote_spanned!(ty.span()=> #request.#call::<#ty>(#key, &#ident);)
            }
        });
    }
    let send = match &output {
        Output::Json(ty) => {
            let decode = quote_spanned!(ty.span()=> #private::decoder::<#ty>());
            quote!(#private::send_json(#request, #decode))
        }
        Output::ResponseJson(ty) => {
            let decode = quote_spanned!(ty.span()=> #private::decoder::<#ty>());
            quote!(#private::send_response_json(#request, #decode))
        }
        Output::Pager(ty) => {
            quote_spanned!(ty.span()=> #private::send_paged::<#ty>(#request))
        }
        Output::ResponseEmpty => quote!(#private::send_response_empty(#request)),
        Output::Empty | Output::Invalid => quote!(#private::send_empty(#request)),
    };

    let TraitItemFn { attrs, mut sig, .. } = item;
    let declared = match &sig.output {
        syn::ReturnType::Type(_, ty) => (**ty).clone(),
        syn::ReturnType::Default => parse_quote!(#krate::Result<()>),
    };
    if sig.asyncness.take().is_some() {
        sig.output = fallback::future_of(declared);
    }
    sig.generics
        .make_where_clause()
        .predicates
        .push(parse_quote!(
            Self: ::core::convert::AsRef<#krate::ApimClient>
        ));
    quote! {
        #(#attrs)*
        #sig {
            const #operation: #private::Operation = #private::Operation::new(
                #name, #private::Method::#http_method, &[#(#status),*], #api_version,
            );
            let #client = ::core::convert::AsRef::<#krate::ApimClient>::as_ref(self);
            let mut #request = #private::RequestBuilder::new(#client, &#operation);
            #(#steps)*
            #send
        }
    }
}

/// `T` of `&T` (and of `&&T`): what the argument refers to. Each argument is passed by
/// reference, so the builder is asked for the referent, which is what a type error names.
fn referent(ty: &Type) -> &Type {
    match ty {
        Type::Reference(r) => referent(&r.elem),
        Type::Group(g) => referent(&g.elem),
        other => other,
    }
}
