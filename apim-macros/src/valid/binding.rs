//! Placeholders and arguments, checked in both directions: every `<placeholder>` is bound
//! by the argument of its name (or is `<subscription_id>`, which the client fills), and
//! every argument without a role attribute fills a placeholder.

use std::collections::HashSet;

use syn::ext::IdentExt;

use super::PathStep;
use super::roles::{Resolved, Role};
use crate::ctxt::Ctxt;
use crate::suggest;
use crate::template::{Segment, SegmentKind, Template};
use crate::types;

/// The placeholder the client fills from its own subscription id when no argument binds it.
const SUBSCRIPTION_ID: &str = "subscription_id";

/// Checks the binding and returns the path; `None` when something was reported.
pub(super) fn check(
    cx: &mut Ctxt,
    template: &Template,
    args: &[Resolved<'_>],
) -> Option<Vec<PathStep>> {
    let segments = &template.segments;
    let placeholders: Vec<&str> = segments
        .iter()
        .filter_map(|s| match &s.kind {
            SegmentKind::Placeholder(name) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    // Arguments a reported mistake already accounts for are not reported again as unused.
    let mut explained: HashSet<String> = segments
        .iter()
        .filter_map(|s| match &s.kind {
            SegmentKind::Broken(name) => Some(name.clone()),
            _ => None,
        })
        .collect();
    let mut ok = check_placeholders(cx, segments, &placeholders, args, &mut explained);
    for empty in segments
        .iter()
        .filter(|s| matches!(s.kind, SegmentKind::Empty))
    {
        check_empty_placeholder(cx, empty, &placeholders, args, &mut explained);
        ok = false;
    }
    ok &= check_arguments(cx, &placeholders, args, &explained);
    if ok { path_steps(segments, args) } else { None }
}

/// `<>`: suggests the argument it most likely meant, the only one left without a place.
/// When several are left, any could be meant: none is reported as unused as well.
fn check_empty_placeholder(
    cx: &mut Ctxt,
    empty: &Segment,
    placeholders: &[&str],
    args: &[Resolved<'_>],
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
    cx.error_at(
        empty.span,
        format!("empty path parameter `<>`: write the name of the argument it binds{hint}"),
    );
}

/// Path arguments (no role attribute) that no placeholder binds and no error explains.
fn unbound_arguments(
    placeholders: &[&str],
    args: &[Resolved<'_>],
    explained: &HashSet<String>,
) -> Vec<String> {
    args.iter()
        .filter(|a| a.role == Role::Path)
        .map(arg_name)
        .filter(|a| !placeholders.contains(&a.as_str()) && !explained.contains(a))
        .collect()
}

fn arg_name(resolved: &Resolved<'_>) -> String {
    resolved.arg.ident.unraw().to_string()
}

/// Whether every placeholder is bound (or known to be unbindable, and reported).
fn check_placeholders(
    cx: &mut Ctxt,
    segments: &[Segment],
    placeholders: &[&str],
    args: &[Resolved<'_>],
    explained: &mut HashSet<String>,
) -> bool {
    let mut ok = true;
    let mut seen = HashSet::new();
    for segment in segments {
        let SegmentKind::Placeholder(name) = &segment.kind else {
            ok &= matches!(segment.kind, SegmentKind::Literal(_));
            continue;
        };
        if !seen.insert(name) {
            cx.error_at(
                segment.span,
                format!("`<{name}>` appears more than once in the template: an argument fills exactly one segment, so give each segment its own argument"),
            );
            ok = false;
            continue;
        }
        match args.iter().find(|a| arg_name(a) == *name) {
            Some(bound) if bound.role == Role::Broken => ok = false,
            Some(bound) if bound.role != Role::Path => {
                cx.error_spanned_by(
                    &bound.arg.role_tokens,
                    format!(
                        "`{name}` is bound to `<{name}>` in the path and also marked `{}`: an argument has exactly one role, so remove the attribute or rename the argument",
                        bound.arg.role.describe()
                    ),
                );
                ok = false;
            }
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
                cx.error_at(
                    segment.span,
                    format!("unknown path parameter `<{name}>`: no argument has this name{hint}"),
                );
                ok = false;
            }
        }
    }
    ok
}

/// Whether every path argument fills a placeholder, as a value that is always there.
fn check_arguments(
    cx: &mut Ctxt,
    placeholders: &[&str],
    args: &[Resolved<'_>],
    explained: &HashSet<String>,
) -> bool {
    let mut ok = true;
    for resolved in args.iter().filter(|a| a.role == Role::Path) {
        let name = arg_name(resolved);
        let arg = resolved.arg;
        if explained.contains(&name) {
            ok = false;
            continue;
        }
        if placeholders.contains(&name.as_str()) {
            if types::option_inner(&arg.ty).is_some() {
                cx.error_spanned_by(
                    &arg.ty,
                    format!(
                        "path parameter `{name}` cannot be optional: a path segment is always sent; take a value such as `&str`, or replace `<{name}>` with a `#[query]` argument, which is left out when `None`"
                    ),
                );
                ok = false;
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
        ok = false;
    }
    ok
}

/// The path of a template whose placeholders are all bound: literal runs joined.
fn path_steps(segments: &[Segment], args: &[Resolved<'_>]) -> Option<Vec<PathStep>> {
    let mut steps = Vec::new();
    let mut literal = String::new();
    for segment in segments {
        literal.push('/');
        let placeholder = match &segment.kind {
            SegmentKind::Literal(text) => {
                literal.push_str(text);
                continue;
            }
            SegmentKind::Placeholder(name) => name,
            SegmentKind::Broken(_) | SegmentKind::Empty => return None,
        };
        steps.push(PathStep::Literal(std::mem::take(&mut literal)));
        steps.push(match args.iter().find(|a| arg_name(a) == *placeholder) {
            Some(bound) => PathStep::Argument {
                placeholder: placeholder.clone(),
                ident: bound.arg.ident.clone(),
                ty: Box::new(types::referent(&bound.arg.ty).clone()),
            },
            None => PathStep::SubscriptionId,
        });
    }
    if !literal.is_empty() {
        steps.push(PathStep::Literal(literal));
    }
    Some(steps)
}
