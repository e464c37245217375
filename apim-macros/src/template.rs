//! The path template: literal segments and `<name>` placeholders that fill whole segments.

use syn::LitStr;

use crate::ctxt::Ctxt;
use crate::suggest;

pub(crate) enum Segment {
    Literal(String),
    Placeholder(String),
    /// A malformed placeholder, already reported; holds the name it most likely meant, so
    /// the argument of that name is not reported as unused too.
    Broken(String),
    /// An empty `<>`, reported by the cross checks, which know the arguments it could mean.
    Empty,
}

/// Parses `template` into segments, reporting every mistake found. Errors point at the
/// literal (stable Rust cannot point inside it), so each message names the segment.
///
/// `None` when the template is empty: then nothing is known about its placeholders, and
/// the arguments are not checked against it.
pub(crate) fn parse(cx: &mut Ctxt, lit: &LitStr) -> Option<Vec<Segment>> {
    let template = lit.value();
    let mut segments = Vec::new();
    if !lit.suffix().is_empty() {
        cx.error_spanned_by(
            lit,
            format!(
                "the path template takes no suffix: remove `{}`",
                lit.suffix()
            ),
        );
    }
    if template.is_empty() {
        cx.error_spanned_by(
            lit,
            "the path template is empty: write the path from its first `/`, e.g. \"/subscriptions/<subscription_id>/...\"",
        );
        return None;
    }
    let mut path = template.as_str();
    if let Some(at) = path.find(['?', '#']) {
        let rest = &path[at..];
        let (what, hint) = if rest.starts_with('?') {
            (
                "a query string",
                "`api-version` is added by the client; pass other query parameters as arguments marked `#[query]`",
            )
        } else {
            (
                "a fragment",
                "fragments are never sent to the server; remove it",
            )
        };
        cx.error_spanned_by(
            lit,
            format!("the path template contains {what} (`{rest}`): {hint}"),
        );
        // `?$filter=<filter>` names an argument meant as a query parameter: the message
        // above says what to do with it, so it is not reported as unused as well.
        segments.extend(rest.split('<').skip(1).map(|after| {
            Segment::Broken(suggest::to_snake_case(
                after.split('>').next().unwrap_or(after),
            ))
        }));
        path = &path[..at];
    }
    if !path.starts_with('/') {
        cx.error_spanned_by(
            lit,
            format!("the path template must start with `/`: write \"/{path}\""),
        );
    }
    let body = path.strip_prefix('/').unwrap_or(path);
    if body.is_empty() {
        return Some(segments);
    }
    let pieces: Vec<&str> = body.split('/').collect();
    let last = pieces.len().saturating_sub(1);
    for (i, piece) in pieces.into_iter().enumerate() {
        if piece.is_empty() {
            if i == last {
                cx.error_spanned_by(
                    lit,
                    format!(
                        "the path template ends with `/`: remove the trailing slash, e.g. \"/{}\"",
                        body.trim_end_matches('/')
                    ),
                );
            } else {
                cx.error_spanned_by(
                    lit,
                    "the path template contains an empty segment (`//`): remove the extra `/`",
                );
            }
            continue;
        }
        if let Some(segment) = parse_segment(cx, lit, piece) {
            segments.push(segment);
        }
    }
    Some(segments)
}

fn parse_segment(cx: &mut Ctxt, lit: &LitStr, piece: &str) -> Option<Segment> {
    if piece.contains(['{', '}']) {
        let inner = piece.trim_start_matches('{').trim_end_matches('}');
        let name = suggest::to_snake_case(inner);
        cx.error_spanned_by(
            lit,
            format!("path parameters are written `<name>`, not `{{name}}`: write `<{name}>` instead of `{piece}`"),
        );
        return Some(Segment::Broken(name));
    }
    if !piece.contains(['<', '>']) {
        return check_literal(cx, lit, piece).then(|| Segment::Literal(piece.to_owned()));
    }
    let Some(name) = piece.strip_prefix('<').and_then(|p| p.strip_suffix('>')) else {
        let name = intended_name(piece);
        if piece.starts_with('<') && !piece.contains('>') {
            cx.error_spanned_by(
                lit,
                format!("unclosed `<` in segment `{piece}`: write `<{name}>`"),
            );
        } else if piece.ends_with('>') && !piece.contains('<') {
            cx.error_spanned_by(
                lit,
                format!("unopened `>` in segment `{piece}`: write `<{name}>`"),
            );
        } else {
            cx.error_spanned_by(
                lit,
                format!("the path parameter in `{piece}` must fill the whole segment: write it as its own segment `/<{name}>/`, since a value is encoded as exactly one segment"),
            );
        }
        return Some(Segment::Broken(name));
    };
    if name.is_empty() {
        return Some(Segment::Empty);
    }
    if name.contains(['<', '>']) {
        cx.error_spanned_by(
            lit,
            format!("the path parameter in `{piece}` must fill the whole segment: write one `<name>` per segment"),
        );
        return Some(Segment::Broken(intended_name(piece)));
    }
    if !is_ident(name) {
        let snake = suggest::to_snake_case(name);
        if is_ident(&snake) {
            cx.error_spanned_by(
                lit,
                format!("`<{name}>` is not a Rust identifier: a path parameter names the argument it binds; did you mean `<{snake}>`?"),
            );
        } else {
            cx.error_spanned_by(
                lit,
                format!("`<{name}>` is not a Rust identifier: a path parameter names the argument it binds, in letters, digits and `_`, e.g. `<backend_id>`"),
            );
        }
        return Some(Segment::Broken(snake));
    }
    Some(Segment::Placeholder(name.to_owned()))
}

/// Literal segments go on the wire as written, so they may hold only characters that need
/// no encoding, and may not be `.` or `..`, which would change the path's shape.
fn check_literal(cx: &mut Ctxt, lit: &LitStr, piece: &str) -> bool {
    if piece == "." || piece == ".." {
        cx.error_spanned_by(
            lit,
            format!("the path template contains a `{piece}` segment: write the path it stands for"),
        );
        return false;
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@".contains(c);
    if let Some(bad) = piece.chars().find(|&c| !allowed(c)) {
        cx.error_spanned_by(
            lit,
            format!("segment `{piece}` contains `{}`, which would need percent-encoding: literal segments hold only unreserved characters", bad.escape_default()),
        );
        return false;
    }
    true
}

/// `item-<id>`, `<id` and `id>` most likely meant `<id>`.
fn intended_name(piece: &str) -> String {
    let after = piece.split_once('<').map_or(piece, |(_, rest)| rest);
    suggest::to_snake_case(after.split('>').next().unwrap_or(after))
}

/// A name an argument can have (keywords included: `<type>` binds `r#type`). Checked by
/// hand rather than by the Rust lexer, which must never see arbitrary template text.
pub(crate) fn is_ident(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) if first == '_' || unicode_ident::is_xid_start(first) => {
            name != "_" && chars.all(unicode_ident::is_xid_continue)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_ident;

    #[test]
    fn identifiers() {
        assert!(is_ident("backend_id"));
        assert!(is_ident("_id"));
        assert!(is_ident("type"));
        assert!(is_ident("naïve"));
        assert!(!is_ident("_"));
        assert!(!is_ident(""));
        assert!(!is_ident("backend-id"));
        assert!(!is_ident("1st"));
        assert!(!is_ident("a b"));
    }
}
