//! Checks across the attribute, the template and the arguments: every placeholder is bound,
//! every argument is used, and each role fits the method.

use std::collections::HashSet;

use syn::LitStr;
use syn::ext::IdentExt;

use crate::ast::{self, Arg, Role};
use crate::attr::Method;
use crate::ctxt::Ctxt;
use crate::suggest;
use crate::template::Segment;

/// The placeholder the client fills from its own subscription id when no argument binds it.
pub const SUBSCRIPTION_ID: &str = "subscription_id";

pub fn check(
    cx: &mut Ctxt,
    method: Option<Method>,
    template: &LitStr,
    segments: &[Segment],
    args: &[Arg],
) {
    let placeholders: Vec<&str> = segments
        .iter()
        .filter_map(|s| match s {
            Segment::Placeholder(name) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    // Arguments a reported mistake already accounts for are not reported again as unused.
    let mut explained: HashSet<String> = segments
        .iter()
        .filter_map(|s| match s {
            Segment::Broken(name) => Some(name.clone()),
            _ => None,
        })
        .collect();
    check_placeholders(cx, template, &placeholders, args, &mut explained);
    check_arguments(cx, &placeholders, args, &explained);
    check_roles(cx, method, args);
}

fn arg_name(arg: &Arg) -> String {
    arg.ident.unraw().to_string()
}

fn check_placeholders(
    cx: &mut Ctxt,
    template: &LitStr,
    placeholders: &[&str],
    args: &[Arg],
    explained: &mut HashSet<String>,
) {
    let mut seen = HashSet::new();
    for &name in placeholders {
        if !seen.insert(name) {
            cx.error_spanned_by(
                template,
                format!("`<{name}>` appears more than once in the template: each argument fills one segment"),
            );
            continue;
        }
        match args.iter().find(|a| arg_name(a) == name) {
            Some(arg) if arg.role != Role::Path => cx.error_spanned_by(
                &arg.ident,
                format!(
                    "`{name}` is bound to `<{name}>` in the path and also marked {}: an argument has exactly one role",
                    ast::describe(&arg.role)
                ),
            ),
            Some(_) => {}
            None if name == SUBSCRIPTION_ID => {}
            None => {
                let unbound = args
                    .iter()
                    .filter(|a| a.role == Role::Path)
                    .map(arg_name)
                    .filter(|a| !placeholders.contains(&a.as_str()) && !explained.contains(a))
                    .collect::<Vec<_>>();
                // The closest name, or the only argument left without a placeholder.
                let guess = suggest::closest(name, unbound.iter().map(String::as_str))
                    .or_else(|| (unbound.len() == 1).then(|| unbound[0].as_str()));
                let hint = match guess {
                    Some(arg) => format!("; did you mean `{arg}`?"),
                    None => format!("; add an argument `{name}: &str`"),
                };
                if let Some(arg) = guess {
                    explained.insert(arg.to_owned());
                }
                cx.error_spanned_by(
                    template,
                    format!("unknown path parameter `<{name}>`: no argument has this name{hint}"),
                );
            }
        }
    }
}

fn check_arguments(
    cx: &mut Ctxt,
    placeholders: &[&str],
    args: &[Arg],
    explained: &HashSet<String>,
) {
    for arg in args.iter().filter(|a| a.role == Role::Path) {
        let name = arg_name(arg);
        if explained.contains(&name) {
            continue;
        }
        if placeholders.contains(&name.as_str()) {
            if arg.optional {
                cx.error_spanned_by(
                    &arg.ty,
                    format!(
                        "path parameter `{name}` cannot be optional: a path segment is always sent"
                    ),
                );
            }
            continue;
        }
        let hint = suggest::closest(&name, placeholders.iter().copied())
            .map(|p| format!("; did you mean to name it `{p}`, after `<{p}>` in the template?"))
            .unwrap_or_else(|| {
                format!("; add `<{name}>` to the path, or mark it `#[query]`, `#[header(\"..\")]` or `#[body]`")
            });
        cx.error_spanned_by(
            &arg.ident,
            format!("unused argument `{name}`: it is not in the path template{hint}"),
        );
    }
}

fn check_roles(cx: &mut Ctxt, method: Option<Method>, args: &[Arg]) {
    let mut bodies = args.iter().filter(|a| a.role == Role::Body);
    if let (Some(method), Some(body)) = (method, bodies.clone().next())
        && method.forbids_body()
    {
        cx.error_spanned_by(
            &body.role_tokens,
            format!(
                "a {} request has no body: remove `#[body]`, or use PUT, POST or PATCH",
                method.name()
            ),
        );
    }
    if bodies.next().is_some() {
        for extra in bodies {
            cx.error_spanned_by(
                &extra.role_tokens,
                "only one argument can be the `#[body]`: combine them into one model",
            );
        }
    }
    let mut queries = HashSet::new();
    let mut headers = HashSet::new();
    for arg in args {
        let duplicate = match &arg.role {
            Role::Query(name) => {
                (!queries.insert(name.clone())).then(|| format!("query parameter `{name}`"))
            }
            Role::Header(name) => {
                (!headers.insert(name.to_ascii_lowercase())).then(|| format!("header `{name}`"))
            }
            _ => None,
        };
        if let Some(what) = duplicate {
            cx.error_spanned_by(
                &arg.role_tokens,
                format!("{what} is set by two arguments: keep one"),
            );
        }
    }
}
