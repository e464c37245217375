//! The user's method declaration, parsed into what the expansion needs.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{FnArg, GenericArgument, Ident, Pat, PathArguments, ReturnType, TraitItemFn, Type};

use crate::ctxt::Ctxt;

pub struct Method {
    pub item: TraitItemFn,
    pub args: Vec<Arg>,
    pub output: Output,
}

pub struct Arg {
    pub ident: Ident,
    pub ty: Type,
    pub role: Role,
    /// The role attribute (or the name, for path parameters), for errors about it.
    pub role_tokens: TokenStream,
    /// `Option<_>`: omitted from the request when `None`.
    pub optional: bool,
}

#[derive(Clone, PartialEq, Eq)]
pub enum Role {
    /// No attribute: bound to the `<placeholder>` of the same name.
    Path,
    Query(String),
    Header(String),
    Body,
}

pub enum Output {
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

/// Headers the client sets itself; a declaration may not set them.
const RESERVED_HEADERS: [&str; 7] = [
    "authorization",
    "content-type",
    "content-length",
    "host",
    "user-agent",
    "x-ms-client-request-id",
    "transfer-encoding",
];

/// Parses the method and strips the helper attributes (`#[query]`, `#[header]`, `#[body]`)
/// from its arguments, so the declaration can be re-emitted as valid Rust.
pub fn parse(cx: &mut Ctxt, mut item: TraitItemFn) -> Method {
    let sig = &item.sig;
    if let Some(block) = &item.default {
        cx.error_at(
            block.brace_token.span.open(),
            "`#[apim_operation]` writes the body of this method: declare it without one, ending in `;`",
        );
    }
    let output = parse_output(cx, &sig.output);
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
                    "bind each argument to a plain name, e.g. `backend_id: &str`",
                );
                continue;
            }
        };
        if let Type::ImplTrait(_) = &*pat_type.ty {
            cx.error_spanned_by(
                &pat_type.ty,
                "`impl Trait` arguments are not supported here: take a concrete type such as `&str`",
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
            format!("`{}` must take `&self` as its first parameter: operations are called on the client", sig.ident),
        ),
        Some(receiver) if receiver.colon_token.is_some() => cx.error_spanned_by(
            receiver,
            "an operation takes its receiver as `&self`, not a typed `self`",
        ),
        Some(receiver) if receiver.reference.is_none() => cx.error_spanned_by(
            receiver,
            "an operation takes `&self`, not `self` by value: the client is shared",
        ),
        Some(receiver) if receiver.mutability.is_some() => cx.error_spanned_by(
            receiver,
            "an operation takes `&self`, not `&mut self`: the client is shared",
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
                "`{}` must be declared `async fn`: an operation sends a request",
                sig.ident
            ),
        ),
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        cx.error_spanned_by(
            &sig.generics,
            "operations cannot be generic: use concrete argument types",
        );
    }
    if let Some(token) = &sig.constness {
        cx.error_spanned_by(token, "an operation cannot be `const`");
    }
    if let Some(token) = &sig.unsafety {
        cx.error_spanned_by(token, "an operation cannot be `unsafe`");
    }
    if let Some(abi) = &sig.abi {
        cx.error_spanned_by(abi, "an operation cannot declare an ABI");
    }
    if let Some(variadic) = &sig.variadic {
        cx.error_spanned_by(variadic, "an operation cannot be variadic");
    }
}

fn parse_output(cx: &mut Ctxt, output: &ReturnType) -> Output {
    let ty = match output {
        ReturnType::Type(_, ty) => ty,
        ReturnType::Default => {
            cx.error_at(
                Span::call_site(),
                "an operation returns `Result<T>` (`apim_client::Result`): add `-> Result<()>` for an empty response",
            );
            return Output::Invalid;
        }
    };
    if let Some(item) = single_type_argument(ty, "Pager") {
        return Output::Pager(Box::new(item));
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
                "an operation returns `Result<T>` (`apim_client::Result`), with `T` the decoded body or `()`, `Result<Response<T>>`, or `Pager<T>` for a list",
            );
            Output::Invalid
        }
    }
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

/// Removes the role attribute of an argument and returns its role.
fn take_role(cx: &mut Ctxt, attrs: &mut Vec<syn::Attribute>) -> Option<(Role, TokenStream)> {
    let mut role: Option<(Role, TokenStream)> = None;
    let mut kept = Vec::with_capacity(attrs.len());
    for attr in attrs.drain(..) {
        let Some(name) = attr.path().get_ident().map(|i| i.to_string()) else {
            kept.push(attr);
            continue;
        };
        let parsed = match name.as_str() {
            "query" => parse_query(cx, &attr),
            "header" => parse_header(cx, &attr),
            "body" => match &attr.meta {
                syn::Meta::Path(_) => Some(Role::Body),
                other => {
                    cx.error_spanned_by(other, "`#[body]` takes no arguments");
                    None
                }
            },
            _ => {
                kept.push(attr);
                continue;
            }
        };
        if let Some(previous) = &role {
            cx.error_spanned_by(
                &attr,
                format!(
                    "this argument is already marked `{}`: an argument has exactly one role",
                    describe(&previous.0)
                ),
            );
        } else if let Some(new_role) = parsed {
            role = Some((new_role, attr.to_token_stream()));
        }
    }
    *attrs = kept;
    role
}

pub fn describe(role: &Role) -> String {
    match role {
        Role::Path => "a path parameter".to_owned(),
        Role::Query(name) => format!("#[query(\"{name}\")]"),
        Role::Header(name) => format!("#[header(\"{name}\")]"),
        Role::Body => "#[body]".to_owned(),
    }
}

fn parse_query(cx: &mut Ctxt, attr: &syn::Attribute) -> Option<Role> {
    let name = match &attr.meta {
        syn::Meta::Path(_) => return Some(Role::Query(String::new())),
        syn::Meta::List(_) => match attr.parse_args::<syn::LitStr>() {
            Ok(lit) => lit,
            Err(_) => {
                cx.error_spanned_by(
                    attr,
                    "expected `#[query]` or `#[query(\"$name\")]` with the name as a string",
                );
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
    if value == "api-version" {
        cx.error_spanned_by(&name, "`api-version` is added by the client: set it with `api_version = \"..\"` in `#[apim_operation]` or in `ApimClientOptions`");
        None
    } else if !valid {
        cx.error_spanned_by(
            &name,
            format!(
                "`{value}` is not a valid query parameter name: use letters, digits and `-._~$`"
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
            cx.error_spanned_by(attr, "name the header: `#[header(\"If-Match\")]`");
            return None;
        }
    };
    let value = lit.value();
    let is_token = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if !is_token {
        cx.error_spanned_by(
            &lit,
            format!("`{value}` is not a valid HTTP header name: use letters, digits and `-`"),
        );
        None
    } else if RESERVED_HEADERS.contains(&value.to_ascii_lowercase().as_str()) {
        cx.error_spanned_by(
            &lit,
            format!("`{value}` is set by the client on every request and cannot be an argument"),
        );
        None
    } else {
        Some(Role::Header(value))
    }
}

/// `Option<_>` written as such (any path ending in `Option`).
pub fn is_option(ty: &Type) -> bool {
    match ty {
        Type::Path(p) => {
            p.qself.is_none()
                && p.path.segments.last().is_some_and(|s| {
                    s.ident == "Option" && matches!(s.arguments, PathArguments::AngleBracketed(_))
                })
        }
        Type::Group(g) => is_option(&g.elem),
        _ => false,
    }
}
