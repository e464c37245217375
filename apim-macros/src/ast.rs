//! The user's method declaration, parsed into what the expansion needs.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{FnArg, GenericArgument, Ident, Pat, PathArguments, ReturnType, TraitItemFn, Type};

use crate::ctxt::Ctxt;
use crate::suggest;

pub(crate) struct Method {
    pub item: TraitItemFn,
    pub args: Vec<Arg>,
    pub output: Output,
}

pub(crate) struct Arg {
    pub ident: Ident,
    pub ty: Type,
    pub role: Role,
    /// The role attribute (or the name, for path parameters), for errors about it.
    pub role_tokens: TokenStream,
    /// `Option<_>`: omitted from the request when `None`.
    pub optional: bool,
}

#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Role {
    /// No attribute: bound to the `<placeholder>` of the same name.
    Path,
    Query(String),
    Header(String),
    Body,
    /// A malformed role attribute, already reported.
    Broken,
}

pub(crate) enum Output {
    /// `Result<()>`: the body is read and ignored.
    Empty,
    /// `Result<T>`: the body is JSON for `T`.
    Json(Box<Type>),
    /// `Pager<T>`: a list operation, following `nextLink`.
    Pager(Box<Type>),
    /// `Result<Response<()>>`: status and headers, body ignored.
    ResponseEmpty,
    /// `Result<Response<T>>`: status and headers next to the JSON body for `T`.
    ResponseJson(Box<Type>),
    /// The declaration has no usable return type (already reported).
    Invalid,
}

/// The argument attributes `#[apim_operation]` reads (for "did you mean").
const ROLES: [&str; 3] = ["query", "header", "body"];

/// Attributes Rust itself allows on an argument; left alone.
const RUST_PARAM_ATTRS: [&str; 7] = [
    "cfg", "cfg_attr", "allow", "warn", "deny", "forbid", "expect",
];

/// Parses the attribute's item: a method declaration of a trait. Anything else is reported
/// and returned as `Err` with what to re-emit next to the error: the item itself, without
/// the argument attributes only this macro understands.
pub(crate) fn parse_item(cx: &mut Ctxt, tokens: TokenStream) -> Result<TraitItemFn, TokenStream> {
    if let Ok(mut item) = syn::parse2::<TraitItemFn>(tokens.clone()) {
        // A body and no `self`: a free function (a method with a body is reported later).
        if item.default.is_none() || item.sig.receiver().is_some() {
            return Ok(item);
        }
        misplaced(cx, &item.sig);
        strip_role_attrs(&mut item.sig);
        return Err(item.into_token_stream());
    }
    // `pub fn`: a function or a method of an `impl` block.
    if let Ok(mut item) = syn::parse2::<syn::ImplItemFn>(tokens.clone()) {
        misplaced(cx, &item.sig);
        strip_role_attrs(&mut item.sig);
        return Err(item.into_token_stream());
    }
    cx.error_at(
        proc_macro2::Span::call_site(),
        "`#[apim_operation]` goes on a method declaration inside a trait, e.g. `async fn get(&self, id: &str) -> Result<Model>;`",
    );
    Err(tokens)
}

fn misplaced(cx: &mut Ctxt, sig: &syn::Signature) {
    let name = &sig.ident;
    let place = if sig.receiver().is_some() {
        "a method of an `impl` block"
    } else {
        "a free function"
    };
    cx.error_spanned_by(
        name,
        format!(
            "`#[apim_operation]` goes on a method declaration inside a trait, not on {place}: declare `async fn {name}(&self, ..) -> Result<T>;` without a body in a trait, and `impl` that trait for `ApimClient`",
        ),
    );
}

/// Removes the argument attributes this macro reads, so an item re-emitted after an error
/// does not cause "cannot find attribute" errors too.
fn strip_role_attrs(sig: &mut syn::Signature) {
    for input in &mut sig.inputs {
        if let FnArg::Typed(pat_type) = input {
            pat_type.attrs.retain(|attr| {
                !["query", "header", "body", "path"]
                    .iter()
                    .any(|role| attr.path().is_ident(role))
            });
        }
    }
}

/// Parses the method and strips the helper attributes (`#[query]`, `#[header]`, `#[body]`)
/// from its arguments, so the declaration can be re-emitted as valid Rust.
pub(crate) fn parse(cx: &mut Ctxt, mut item: TraitItemFn, krate: Option<&syn::Path>) -> Method {
    let sig = &item.sig;
    if let Some(block) = &item.default {
        cx.error_at(
            block.brace_token.span.open(),
            "`#[apim_operation]` writes the body of this method: declare it in a trait without a body, ending in `;` (on a method of an `impl` block, move the declaration into a trait and `impl` that trait for `ApimClient`)",
        );
    }
    let mut roots = vec!["apim_client".to_owned(), "crate".to_owned()];
    roots.extend(
        krate
            .and_then(|k| k.segments.last())
            .map(|s| s.ident.to_string()),
    );
    let output = parse_output(cx, sig, &roots);
    check_signature_shape(cx, sig, &output);
    let mut args = Vec::new();
    for input in item.sig.inputs.iter_mut() {
        let FnArg::Typed(pat_type) = input else {
            continue;
        };
        let role = take_role(cx, &mut pat_type.attrs);
        let ident = match &*pat_type.pat {
            Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none() => p.ident.clone(),
            other => {
                cx.error_spanned_by(
                    other,
                    "bind each argument to a plain name, e.g. `backend_id: &str`: the name is what binds it to the template",
                );
                // The names in the pattern may be meant for placeholders: those are not
                // reported as unknown too.
                args.extend(
                    pattern_names(other.to_token_stream())
                        .into_iter()
                        .map(|ident| Arg {
                            ident,
                            ty: (*pat_type.ty).clone(),
                            role: Role::Broken,
                            role_tokens: TokenStream::new(),
                            optional: false,
                        }),
                );
                continue;
            }
        };
        if mentions_impl_trait(pat_type.ty.to_token_stream()) {
            cx.error_spanned_by(
                &pat_type.ty,
                "`impl Trait` arguments cannot be sent: take a concrete type, e.g. `&str` for a path, query or header value, or `&Model` for the `#[body]`",
            );
        }
        let (mut role, role_tokens) = role.unwrap_or_else(|| (Role::Path, ident.to_token_stream()));
        if role == Role::Query(String::new()) {
            role = Role::Query(ident.unraw().to_string());
        }
        args.push(Arg {
            optional: is_option(&pat_type.ty),
            ty: (*pat_type.ty).clone(),
            ident,
            role,
            role_tokens,
        });
    }
    Method { item, args, output }
}

fn check_signature_shape(cx: &mut Ctxt, sig: &syn::Signature, output: &Output) {
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
        (Some(token), Output::Pager(_)) => cx.error_spanned_by(
            token,
            "a list operation returns its `Pager` at once and fetches pages as they are read: remove `async`",
        ),
        (None, Output::Pager(_) | Output::Invalid) | (Some(_), _) => {}
        (None, _) => cx.error_spanned_by(
            sig.fn_token,
            format!(
                "`{}` must be declared `async fn`: an operation sends a request (only a list operation, returning `Pager<T>`, is a plain `fn`)",
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

fn parse_output(cx: &mut Ctxt, sig: &syn::Signature, roots: &[String]) -> Output {
    let output = parse_output_type(cx, sig, roots);
    match &output {
        Output::Json(model) | Output::ResponseJson(model) | Output::Pager(model)
            if borrows(model.to_token_stream()) =>
        {
            cx.error_spanned_by(
                model,
                "a response model must own its data: it is decoded from a body that is gone when the call returns; use an owned type such as `String` instead of `&str`",
            );
            Output::Invalid
        }
        _ => output,
    }
}

fn parse_output_type(cx: &mut Ctxt, sig: &syn::Signature, roots: &[String]) -> Output {
    let ty = match &sig.output {
        ReturnType::Type(_, ty) => ty,
        ReturnType::Default => {
            cx.error_at(
                sig.paren_token.span.close(),
                "an operation returns `Result<T>` (`apim_client::Result`): add `-> Result<()>` after the arguments for an empty response, or `-> Result<Model>` to decode the body",
            );
            return Output::Invalid;
        }
    };
    if let Some(item) = single_type_argument(ty, "Pager") {
        return Output::Pager(Box::new(item));
    }
    if let Some(foreign) = foreign_result(ty, roots) {
        cx.error_spanned_by(
            foreign,
            "an operation returns `apim_client::Result<T>`, whose error is `apim_client::Error`: write `Result<T>` with `apim_client::Result` in scope, and convert the error in the caller",
        );
        return Output::Invalid;
    }
    let inner = single_type_argument(ty, "Result");
    match inner {
        Some(Type::Tuple(t)) if t.elems.is_empty() => Output::Empty,
        Some(t) => match single_type_argument(&t, "Response") {
            Some(Type::Tuple(u)) if u.elems.is_empty() => Output::ResponseEmpty,
            Some(model) => Output::ResponseJson(Box::new(model)),
            None => Output::Json(Box::new(t)),
        },
        None => {
            cx.error_spanned_by(
                ty,
                "an operation returns `Result<T>` (`apim_client::Result`): `Result<Model>` to decode the body, `Result<()>` to ignore it, `Result<Response<T>>` to see status and headers too, or `Pager<T>` (without `async`) for a list",
            );
            Output::Invalid
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

/// The names a pattern binds (roughly: its identifiers).
fn pattern_names(tokens: TokenStream) -> Vec<Ident> {
    let mut names = Vec::new();
    for token in tokens {
        match token {
            proc_macro2::TokenTree::Ident(ident)
                if !["mut", "ref", "_"].iter().any(|k| ident == k) =>
            {
                names.push(ident);
            }
            proc_macro2::TokenTree::Group(group) => names.extend(pattern_names(group.stream())),
            _ => {}
        }
    }
    names
}

/// Whether a type borrows: `&T`, or a lifetime other than `'static`. A response model
/// cannot, since it outlives the response body it is decoded from.
fn borrows(tokens: TokenStream) -> bool {
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        let borrowed = match &token {
            proc_macro2::TokenTree::Punct(p) if p.as_char() == '&' => true,
            proc_macro2::TokenTree::Punct(p) if p.as_char() == '\'' => !matches!(
                tokens.peek(),
                Some(proc_macro2::TokenTree::Ident(i)) if i == "static"
            ),
            proc_macro2::TokenTree::Group(group) => borrows(group.stream()),
            _ => false,
        };
        if borrowed {
            return true;
        }
    }
    false
}

/// Whether a type names `impl Trait` anywhere, e.g. `&impl AsRef<str>`.
fn mentions_impl_trait(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|token| match token {
        proc_macro2::TokenTree::Ident(ident) => ident == "impl",
        proc_macro2::TokenTree::Group(group) => mentions_impl_trait(group.stream()),
        _ => false,
    })
}

/// `T` of `...::Name<T, ..>`.
fn single_type_argument(ty: &Type, name: &str) -> Option<Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last().filter(|_| path.qself.is_none())?;
    if last.ident != name {
        return None;
    }
    match &last.arguments {
        PathArguments::AngleBracketed(args) => match args.args.first() {
            Some(GenericArgument::Type(t)) => Some(t.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// Removes the role attributes of an argument and returns its role: `Role::Broken` when
/// every one of them was malformed (and reported).
fn take_role(cx: &mut Ctxt, attrs: &mut Vec<syn::Attribute>) -> Option<(Role, TokenStream)> {
    let mut role: Option<(Role, TokenStream)> = None;
    let mut kept = Vec::with_capacity(attrs.len());
    for attr in attrs.drain(..) {
        let Some(name) = attr
            .path()
            .get_ident()
            .map(std::string::ToString::to_string)
        else {
            kept.push(attr);
            continue;
        };
        let parsed = match name.as_str() {
            "query" => parse_query(cx, &attr),
            "header" => parse_header(cx, &attr),
            "body" => match &attr.meta {
                syn::Meta::Path(_) => Some(Role::Body),
                other => {
                    cx.error_spanned_by(other, "`#[body]` takes no arguments: write `#[body]`");
                    None
                }
            },
            "path" => {
                cx.error_spanned_by(
                    &attr,
                    "a path parameter needs no attribute: remove `#[path]`; the argument binds the `<name>` of the template with its own name",
                );
                None
            }
            _ => match suggest::closest(&name, ROLES) {
                Some(role) if !RUST_PARAM_ATTRS.contains(&name.as_str()) => {
                    cx.error_spanned_by(
                        attr.path(),
                        format!(
                            "unknown argument attribute `#[{name}]`: did you mean `#[{role}]`?"
                        ),
                    );
                    None
                }
                _ => {
                    kept.push(attr);
                    continue;
                }
            },
        };
        let tokens = attr.to_token_stream();
        match (&role, parsed) {
            (Some((Role::Broken, _)) | None, Some(new_role)) => role = Some((new_role, tokens)),
            (None, None) => role = Some((Role::Broken, tokens)),
            (Some((Role::Broken, _)), None) => {}
            (Some((previous, _)), _) => cx.error_spanned_by(
                &attr,
                format!(
                    "this argument is already marked `{}`: an argument has exactly one role, so keep one of the two attributes",
                    describe(previous)
                ),
            ),
        }
    }
    *attrs = kept;
    role
}

pub(crate) fn describe(role: &Role) -> String {
    match role {
        Role::Path => "a path parameter".to_owned(),
        Role::Query(name) if name.is_empty() => "#[query]".to_owned(),
        Role::Query(name) => format!("#[query(\"{name}\")]"),
        Role::Header(name) => format!("#[header(\"{name}\")]"),
        Role::Body => "#[body]".to_owned(),
        Role::Broken => "with a role attribute".to_owned(),
    }
}

fn parse_query(cx: &mut Ctxt, attr: &syn::Attribute) -> Option<Role> {
    let name = match &attr.meta {
        syn::Meta::Path(_) => return Some(Role::Query(String::new())),
        syn::Meta::List(_) => match attr.parse_args::<syn::LitStr>() {
            Ok(lit) => lit,
            Err(_) => {
                let message = match attr.parse_args::<Ident>() {
                    Ok(ident) => format!(
                        "write the query parameter name as a string, `#[query(\"{ident}\")]`, or write `#[query]` to use the argument's name"
                    ),
                    Err(_) => {
                        "expected `#[query]` or `#[query(\"$name\")]` with the name as a string"
                            .to_owned()
                    }
                };
                cx.error_spanned_by(attr, message);
                return None;
            }
        },
        syn::Meta::NameValue(_) => {
            cx.error_spanned_by(attr, "expected `#[query]` or `#[query(\"$name\")]`");
            return None;
        }
    };
    let value = name.value();
    let valid = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~$".contains(c));
    if apim_wire::query::is_client_set(&value) {
        // ARM reads query names case-insensitively: `Api-Version` would be a second one.
        let case = if value == apim_wire::query::API_VERSION {
            ""
        } else {
            " (query parameter names are case-insensitive)"
        };
        cx.error_spanned_by(&name, format!("`{value}` is added by the client{case}: set it with `api_version = \"..\"` in `#[apim_operation]` or in `ApimClientOptions`"));
        None
    } else if !valid {
        let hint = if value.is_empty() {
            ", or write `#[query]` to use the argument's name".to_owned()
        } else {
            String::new()
        };
        cx.error_spanned_by(
            &name,
            format!(
                "`{value}` is not a valid query parameter name: use letters, digits and `-._~$`{hint}"
            ),
        );
        None
    } else {
        Some(Role::Query(value))
    }
}

fn parse_header(cx: &mut Ctxt, attr: &syn::Attribute) -> Option<Role> {
    let lit = match attr.parse_args::<syn::LitStr>() {
        Ok(lit) if matches!(attr.meta, syn::Meta::List(_)) => lit,
        _ => {
            let message = match attr.parse_args::<Ident>() {
                Ok(ident) => format!(
                    "write the header name as a string: `#[header(\"{}\")]`",
                    ident.unraw().to_string().replace('_', "-")
                ),
                Err(_) => "name the header as a string: `#[header(\"If-Match\")]`".to_owned(),
            };
            cx.error_spanned_by(attr, message);
            return None;
        }
    };
    let value = lit.value();
    let is_token = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if !is_token {
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
            &lit,
            format!("`{value}` is not a valid HTTP header name: use letters, digits and `-`{hint}"),
        );
        None
    } else if apim_wire::headers::is_client_set(&value) {
        cx.error_spanned_by(
            &lit,
            format!("`{value}` is set by the client on every request: remove this argument"),
        );
        None
    } else {
        Some(Role::Header(value))
    }
}

/// `Option<_>` written as such (any path ending in `Option`).
pub(crate) fn is_option(ty: &Type) -> bool {
    option_inner(ty).is_some()
}

/// `T` of `Option<T>` written as such.
pub(crate) fn option_inner(ty: &Type) -> Option<&Type> {
    match ty {
        Type::Path(p) if p.qself.is_none() => {
            let last = p.path.segments.last()?;
            match &last.arguments {
                PathArguments::AngleBracketed(args) if last.ident == "Option" => {
                    match args.args.first()? {
                        GenericArgument::Type(inner) => Some(inner),
                        _ => None,
                    }
                }
                _ => None,
            }
        }
        Type::Group(g) => option_inner(&g.elem),
        _ => None,
    }
}
