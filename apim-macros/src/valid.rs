//! Checks across the attribute, the template and the arguments: every placeholder is bound,
//! every argument is used, and each role fits the method.

use std::collections::HashSet;

use apim_wire::Method;
use syn::LitStr;
use syn::ext::IdentExt;

use crate::ast::{self, Arg, Role};
use crate::ctxt::Ctxt;
use crate::suggest;
use crate::template::Segment;

/// The placeholder the client fills from its own subscription id when no argument binds it.
pub(crate) const SUBSCRIPTION_ID: &str = "subscription_id";

/// `segments` is `None` when the template was unusable (already reported): then only the
/// roles are checked, since any argument could be meant for the missing placeholders.
pub(crate) fn check(
    cx: &mut Ctxt,
    method: Option<Method>,
    template: &LitStr,
    segments: Option<&[Segment]>,
    args: &[Arg],
) {
    check_roles(cx, method, args);
    let Some(segments) = segments else {
        return;
    };
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
    for _ in segments.iter().filter(|s| matches!(s, Segment::Empty)) {
        check_empty_placeholder(cx, template, &placeholders, args, &mut explained);
    }
    check_arguments(cx, &placeholders, args, &explained);
}

/// `<>`: suggests the argument it most likely meant, the only one left without a place.
/// When several are left, any could be meant: none is reported as unused as well.
fn check_empty_placeholder(
    cx: &mut Ctxt,
    template: &LitStr,
    placeholders: &[&str],
    args: &[Arg],
    explained: &mut HashSet<String>,
) {
    let unbound = unbound_arguments(placeholders, args, explained);
    let hint = match &unbound[..] {
        [only] => {
            let hint = format!("; did you mean `<{only}>`?");
            explained.insert(only.clone());
            hint
        }
        _ => {
            explained.extend(unbound);
            ", e.g. `<backend_id>`".to_owned()
        }
    };
    cx.error_spanned_by(
        template,
        format!("empty path parameter `<>`: write the name of the argument it binds{hint}"),
    );
}

/// Path arguments (no role attribute) that no placeholder binds and no error explains.
fn unbound_arguments(
    placeholders: &[&str],
    args: &[Arg],
    explained: &HashSet<String>,
) -> Vec<String> {
    args.iter()
        .filter(|a| a.role == Role::Path)
        .map(arg_name)
        .filter(|a| !placeholders.contains(&a.as_str()) && !explained.contains(a))
        .collect()
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
                format!("`<{name}>` appears more than once in the template: an argument fills exactly one segment, so give each segment its own argument"),
            );
            continue;
        }
        match args.iter().find(|a| arg_name(a) == name) {
            Some(arg) if arg.role == Role::Broken => {}
            Some(arg) if arg.role != Role::Path => cx.error_spanned_by(
                &arg.role_tokens,
                format!(
                    "`{name}` is bound to `<{name}>` in the path and also marked `{}`: an argument has exactly one role, so remove the attribute or rename the argument",
                    ast::describe(&arg.role)
                ),
            ),
            Some(_) => {}
            None if name == SUBSCRIPTION_ID => {}
            None => {
                let unbound = unbound_arguments(placeholders, args, explained);
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
                        "path parameter `{name}` cannot be optional: a path segment is always sent; take a value such as `&str`, or replace `<{name}>` with a `#[query]` argument, which is left out when `None`"
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
        && !method.carries_body()
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
