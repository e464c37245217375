//! Code generation. The generated method reads like what a careful person would write by
//! hand: it builds the request through `__private::RequestBuilder` step by step and hands
//! it to a shared, non-generic sender.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::ext::IdentExt;
use syn::{Ident, TraitItemFn, parse_quote};

use crate::ast::{self, Output, Role};
use crate::attr::{self, Attr};
use crate::ctxt::Ctxt;
use crate::template::{self, Segment};
use crate::{fallback, valid};

pub fn operation(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut cx = Ctxt::default();
    let attr = attr::parse(&mut cx, args);
    let item: TraitItemFn = match syn::parse2(item.clone()) {
        Ok(item) => item,
        Err(_) => {
            cx.error_at(
                Span::call_site(),
                "`#[apim_operation]` goes on a method declaration inside a trait, e.g. `async fn get(&self, id: &str) -> Result<()>;`",
            );
            let errors = cx.into_compile_errors();
            return quote!(#item #errors);
        }
    };
    let method = ast::parse(&mut cx, item);
    let segments = match &attr.template {
        Some(lit) => {
            let segments = template::parse(&mut cx, lit);
            valid::check(&mut cx, attr.method, lit, &segments, &method.args);
            segments
        }
        None => Vec::new(),
    };
    match cx.into_compile_errors() {
        Some(errors) => fallback::emit(method.item, errors),
        None => generate(&attr, &segments, method),
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
    let http_method = format_ident!("{}", attr.method.map_or("Get", attr::Method::variant));
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
            Segment::Broken(_) => {}
            Segment::Placeholder(placeholder) => {
                steps.push(quote!(#request.literal(#literal);));
                literal.clear();
                let arg = args
                    .iter()
                    .find(|a| a.ident.unraw() == placeholder.as_str());
                steps.push(match arg {
                    Some(arg) => {
                        let ident = &arg.ident;
                        let rule = rule_for(placeholder);
                        quote!(#request.path(&#private::rules::#rule, #placeholder, &#ident);)
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
            Role::Path => continue,
            Role::Query(key) => (quote!(query), key.clone()),
            Role::Header(key) => (quote!(header), key.to_ascii_lowercase()),
            Role::Body => (quote!(body), ident.unraw().to_string()),
        };
        let value = Ident::new("__apim_value", Span::mixed_site());
        steps.push(if arg.optional {
            quote!(if let ::core::option::Option::Some(#value) = &#ident { #request.#call(#key, #value); })
        } else {
            quote!(#request.#call(#key, &#ident);)
        });
    }
    let send = match &output {
        Output::Json(ty) => quote!(#private::send_json::<#ty>(#request)),
        Output::ResponseEmpty => quote!(#private::send_response_empty(#request)),
        Output::ResponseJson(ty) => quote!(#private::send_response_json::<#ty>(#request)),
        Output::Pager(ty) => quote!(#private::send_paged::<#ty>(#request)),
        Output::Empty | Output::Invalid => quote!(#private::send_empty(#request)),
    };

    let TraitItemFn { attrs, mut sig, .. } = item;
    let declared = match &sig.output {
        syn::ReturnType::Type(_, ty) => (**ty).clone(),
        syn::ReturnType::Default => parse_quote!(#krate::Result<()>),
    };
    if sig.asyncness.take().is_some() {
        sig.output =
            parse_quote!(-> impl ::core::future::Future<Output = #declared> + ::core::marker::Send);
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

/// The documented constraints of the well-known ARM and APIM path parameters. Any
/// declaration, ours or a user's, that names a placeholder this way gets the same checks.
fn rule_for(placeholder: &str) -> Ident {
    let rule = match placeholder {
        "subscription_id" => "SUBSCRIPTION_ID",
        "resource_group_name" => "RESOURCE_GROUP_NAME",
        "service_name" => "SERVICE_NAME",
        "backend_id" => "BACKEND_ID",
        _ => "SEGMENT",
    };
    Ident::new(rule, Span::call_site())
}
