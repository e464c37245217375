//! Each argument's role, resolved to the name it is sent under and checked: names the
//! client sets itself, malformed names, a body where the method has none, and two
//! arguments sending the same thing.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use apim_wire::Method;
use quote::ToTokens;
use syn::ext::IdentExt;

use super::{Part, Sent};
use crate::ast::{self, Arg};
use crate::ctxt::Ctxt;
use crate::{names, types};

/// An argument and its checked role.
pub(super) struct Resolved<'a> {
    pub arg: &'a Arg,
    pub role: Role,
}

#[derive(PartialEq, Eq)]
pub(super) enum Role {
    Path,
    Query(String),
    /// As written; sent in lower case.
    Header(String),
    Body,
    Options,
    /// Reported already: checks that depend on the role stay silent.
    Broken,
}

pub(super) fn resolve<'a>(
    cx: &mut Ctxt,
    method: Option<Method>,
    args: &'a [Arg],
) -> Vec<Resolved<'a>> {
    let resolved: Vec<Resolved<'a>> = args
        .iter()
        .map(|arg| Resolved {
            arg,
            role: resolve_one(cx, arg),
        })
        .collect();
    check_body(cx, method, &resolved);
    check_options(cx, &resolved);
    check_duplicates(cx, &resolved);
    resolved
}

fn resolve_one(cx: &mut Ctxt, arg: &Arg) -> Role {
    let role = match &arg.role {
        ast::Role::Path => Role::Path,
        ast::Role::Query(None) => Role::Query(arg.ident.unraw().to_string()),
        ast::Role::Query(Some(name)) => names::query(cx, name).map_or(Role::Broken, Role::Query),
        ast::Role::Header(name) => names::header(cx, name).map_or(Role::Broken, Role::Header),
        ast::Role::Body => Role::Body,
        ast::Role::Options => options(cx, arg),
        ast::Role::Broken => Role::Broken,
    };
    if types::mentions_impl_trait(arg.ty.to_token_stream()) {
        cx.error_spanned_by(
            &arg.ty,
            "`impl Trait` arguments cannot be sent: take a concrete type, e.g. `&str` for a path, query or header value, or `&Model` for the `#[body]`",
        );
        return Role::Broken;
    }
    role
}

/// `#[options]` takes an `Option<O>`: `None` sends none of the options.
fn options(cx: &mut Ctxt, arg: &Arg) -> Role {
    if types::option_inner(&arg.ty).is_some() {
        return Role::Options;
    }
    let ty = &arg.ty;
    cx.error_spanned_by(
        ty,
        format!(
            "an `#[options]` argument is optional: declare it `Option<{}>`, so that `None` sends none of the options",
            ty.to_token_stream()
        ),
    );
    Role::Broken
}

/// One `#[options]` argument at most, and the last: where callers look for it.
fn check_options(cx: &mut Ctxt, args: &[Resolved<'_>]) {
    let mut options = args
        .iter()
        .enumerate()
        .filter(|(_, a)| a.role == Role::Options || a.arg.role == ast::Role::Options);
    if let Some((index, first)) = options.next() {
        if let Some((_, second)) = options.next() {
            cx.error_spanned_by(
                &second.arg.role_tokens,
                "only one argument can be the `#[options]`: put every optional query parameter and header into one options type",
            );
        } else if index + 1 != args.len() {
            cx.error_spanned_by(
                &first.arg.role_tokens,
                "the `#[options]` argument comes last: move it after the other arguments",
            );
        }
    }
}

fn check_body(cx: &mut Ctxt, method: Option<Method>, args: &[Resolved<'_>]) {
    let bodies = args.iter().filter(|a| a.role == Role::Body);
    if let (Some(method), Some(body)) = (method, bodies.clone().next())
        && !method.carries_body()
    {
        cx.error_spanned_by(
            &body.arg.role_tokens,
            format!(
                "a {} request has no body: remove `#[body]`, or use PUT, POST or PATCH",
                method.name()
            ),
        );
    }
    for extra in bodies.skip(1) {
        cx.error_spanned_by(
            &extra.arg.role_tokens,
            "only one argument can be the `#[body]`: combine them into one model",
        );
    }
}

/// Two arguments for one query parameter or header. Both kinds of name are compared
/// case-insensitively: ARM reads query names that way, as HTTP does header names, so
/// `$filter` and `$Filter` would be one parameter sent twice.
fn check_duplicates(cx: &mut Ctxt, args: &[Resolved<'_>]) {
    let mut queries: HashMap<String, &str> = HashMap::new();
    let mut headers: HashMap<String, &str> = HashMap::new();
    for resolved in args {
        let duplicate = match &resolved.role {
            Role::Query(name) => first_spelling(&mut queries, name)
                .map(|first| format!("query parameter `{name}`{}", also_as(first, name))),
            Role::Header(name) => first_spelling(&mut headers, name)
                .map(|first| format!("header `{name}`{}", also_as(first, name))),
            _ => None,
        };
        if let Some(what) = duplicate {
            cx.error_spanned_by(
                &resolved.arg.role_tokens,
                format!("{what} is set by two arguments: keep one"),
            );
        }
    }
}

/// The spelling a name was first seen with, if it was seen before in any case.
fn first_spelling<'a>(seen: &mut HashMap<String, &'a str>, name: &'a str) -> Option<&'a str> {
    match seen.entry(name.to_ascii_lowercase()) {
        Entry::Occupied(first) => Some(first.get()),
        Entry::Vacant(slot) => {
            slot.insert(name);
            None
        }
    }
}

/// ` (also as `$filter`; names are case-insensitive)` when the spellings differ.
fn also_as(first: &str, name: &str) -> String {
    if first == name {
        String::new()
    } else {
        format!(" (also as `{first}`; names are case-insensitive)")
    }
}

/// The query, header and body arguments; `None` when a role is broken (reported).
pub(super) fn sent(args: &[Resolved<'_>]) -> Option<Vec<Sent>> {
    let mut sent = Vec::new();
    for Resolved { arg, role } in args {
        let part = match role {
            Role::Path => continue,
            Role::Broken => return None,
            Role::Query(name) => Part::Query(name.clone()),
            Role::Header(name) => Part::Header(name.to_ascii_lowercase()),
            Role::Body => Part::Body(arg.ident.unraw().to_string()),
            Role::Options => Part::Options,
        };
        let inner = types::option_inner(&arg.ty);
        sent.push(Sent {
            ident: arg.ident.clone(),
            part,
            value_ty: types::referent(inner.unwrap_or(&arg.ty)).clone(),
            optional: inner.is_some(),
        });
    }
    Some(sent)
}
