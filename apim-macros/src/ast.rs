//! The user's method declaration, converted from syntax into a plain model: the
//! declaration (its role attributes removed, so it can be re-emitted as valid Rust) and
//! each argument with the role its attribute gives it. Only what cannot be converted is
//! reported here (a malformed attribute, a pattern instead of a name); whether the model
//! makes sense is for `valid`.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{FnArg, Ident, LitStr, Pat, TraitItemFn, Type};

use crate::ctxt::Ctxt;
use crate::suggest;

pub(crate) struct Declaration {
    pub item: TraitItemFn,
    pub args: Vec<Arg>,
}

pub(crate) struct Arg {
    pub ident: Ident,
    pub ty: Type,
    pub role: Role,
    /// The role attribute (or the name, for path parameters), for errors about it.
    pub role_tokens: TokenStream,
}

#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Role {
    /// No attribute: bound to the `<placeholder>` of the same name.
    Path,
    /// `#[query]` (`None`: the argument's name) or `#[query("$name")]`.
    Query(Option<LitStr>),
    Header(LitStr),
    Body,
    /// `#[options]`: an `Option<O>` whose fields are query parameters and headers.
    Options,
    /// A malformed role attribute, already reported.
    Broken,
}

impl Role {
    /// How the declaration marks the argument, as written, for messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Role::Path => "a path parameter".to_owned(),
            Role::Query(None) => "#[query]".to_owned(),
            Role::Query(Some(name)) => format!("#[query(\"{}\")]", name.value()),
            Role::Header(name) => format!("#[header(\"{}\")]", name.value()),
            Role::Body => "#[body]".to_owned(),
            Role::Options => "#[options]".to_owned(),
            Role::Broken => "with a role attribute".to_owned(),
        }
    }
}

/// The argument attributes `#[apim_operation]` reads (for "did you mean").
const ROLES: [&str; 4] = ["query", "header", "body", "options"];

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
                !["query", "header", "body", "options", "path"]
                    .iter()
                    .any(|role| attr.path().is_ident(role))
            });
        }
    }
}

/// Converts the method's arguments and strips the helper attributes (`#[query]`,
/// `#[header]`, `#[body]`, `#[options]`) from them, so the declaration can be re-emitted as valid Rust.
pub(crate) fn parse(cx: &mut Ctxt, mut item: TraitItemFn) -> Declaration {
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
                        }),
                );
                continue;
            }
        };
        let (role, role_tokens) = role.unwrap_or_else(|| (Role::Path, ident.to_token_stream()));
        args.push(Arg {
            ty: (*pat_type.ty).clone(),
            ident,
            role,
            role_tokens,
        });
    }
    Declaration { item, args }
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
            "options" => match &attr.meta {
                syn::Meta::Path(_) => Some(Role::Options),
                other => {
                    cx.error_spanned_by(
                        other,
                        "`#[options]` takes no arguments: write `#[options]`; the options type says where each field goes",
                    );
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
                    previous.describe()
                ),
            ),
        }
    }
    *attrs = kept;
    role
}

fn parse_query(cx: &mut Ctxt, attr: &syn::Attribute) -> Option<Role> {
    match &attr.meta {
        syn::Meta::Path(_) => Some(Role::Query(None)),
        syn::Meta::List(_) => match attr.parse_args::<LitStr>() {
            Ok(name) => Some(Role::Query(Some(name))),
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
                None
            }
        },
        syn::Meta::NameValue(_) => {
            cx.error_spanned_by(attr, "expected `#[query]` or `#[query(\"$name\")]`");
            None
        }
    }
}

fn parse_header(cx: &mut Ctxt, attr: &syn::Attribute) -> Option<Role> {
    match attr.parse_args::<LitStr>() {
        Ok(name) if matches!(attr.meta, syn::Meta::List(_)) => Some(Role::Header(name)),
        _ => {
            let message = match attr.parse_args::<Ident>() {
                Ok(ident) => format!(
                    "write the header name as a string: `#[header(\"{}\")]`",
                    ident.unraw().to_string().replace('_', "-")
                ),
                Err(_) => "name the header as a string: `#[header(\"If-Match\")]`".to_owned(),
            };
            cx.error_spanned_by(attr, message);
            None
        }
    }
}
