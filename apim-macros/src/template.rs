//! The path template: literal segments and `<name>` placeholders that fill whole segments.

use std::ops::Range;

use proc_macro2::Span;
use syn::LitStr;

use crate::ctxt::Ctxt;
use crate::suggest;

/// A parsed template. Errors about a segment name it in the message and point at it
/// inside the literal where the compiler allows that (see [`span_within`]).
pub(crate) struct Template {
    pub segments: Vec<Segment>,
}

pub(crate) struct Segment {
    pub kind: SegmentKind,
    /// The segment inside the literal, or the whole literal.
    pub span: Span,
}

pub(crate) enum SegmentKind {
    Literal(String),
    Placeholder(String),
    /// A malformed placeholder, already reported; holds the name it most likely meant, so
    /// the argument of that name is not reported as unused too.
    Broken(String),
    /// An empty `<>`, reported by the cross checks, which know the arguments it could mean.
    Empty,
}

/// The span of `range` (bytes of the template's value) inside the literal. Stable
/// compilers cannot point inside a literal (`subspan` is `None`), and in a literal with
/// escapes, or a raw one, value offsets are not source offsets: then the whole literal.
fn span_within(lit: &LitStr, range: Range<usize>) -> Span {
    let token = lit.token();
    let plain = token.to_string().len() == lit.value().len() + 2;
    plain
        .then(|| token.subspan(range.start + 1..range.end + 1))
        .flatten()
        .unwrap_or_else(|| lit.span())
}

/// Parses `lit` into segments, reporting every mistake found.
///
/// `None` when the template is empty: then nothing is known about its placeholders, and
/// the arguments are not checked against it.
pub(crate) fn parse(cx: &mut Ctxt, lit: &LitStr) -> Option<Template> {
    let template = lit.value();
    let span = |range: Range<usize>| span_within(lit, range);
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
        let rest_span = span(at..template.len());
        cx.error_at(
            rest_span,
            format!("the path template contains {what} (`{rest}`): {hint}"),
        );
        // `?$filter=<filter>` names an argument meant as a query parameter: the message
        // above says what to do with it, so it is not reported as unused as well.
        segments.extend(rest.split('<').skip(1).map(|after| Segment {
            kind: SegmentKind::Broken(suggest::to_snake_case(
                after.split('>').next().unwrap_or(after),
            )),
            span: rest_span,
        }));
        path = &path[..at];
    }
    if !path.starts_with('/') {
        cx.error_at(
            span(0..path.find('/').unwrap_or(path.len())),
            format!("the path template must start with `/`: write \"/{path}\""),
        );
    }
    let body_start = usize::from(path.starts_with('/'));
    let body = &path[body_start..];
    if body.is_empty() {
        return Some(Template { segments });
    }
    let pieces: Vec<&str> = body.split('/').collect();
    let last = pieces.len().saturating_sub(1);
    let mut start = body_start;
    for (i, piece) in pieces.into_iter().enumerate() {
        let range = start..start + piece.len();
        start = range.end + 1;
        if piece.is_empty() {
            // The `/` before the empty piece.
            let slash = span(range.start.saturating_sub(1)..range.start);
            if i == last {
                cx.error_at(
                    slash,
                    format!(
                        "the path template ends with `/`: remove the trailing slash, e.g. \"/{}\"",
                        body.trim_end_matches('/')
                    ),
                );
            } else {
                cx.error_at(
                    slash,
                    "the path template contains an empty segment (`//`): remove the extra `/`",
                );
            }
            continue;
        }
        let span = span(range);
        if let Some(kind) = parse_segment(cx, span, piece) {
            segments.push(Segment { kind, span });
        }
    }
    Some(Template { segments })
}

fn parse_segment(cx: &mut Ctxt, span: Span, piece: &str) -> Option<SegmentKind> {
    if piece.contains(['{', '}']) {
        let inner = piece.trim_start_matches('{').trim_end_matches('}');
        let name = suggest::to_snake_case(inner);
        cx.error_at(
            span,
            format!("path parameters are written `<name>`, not `{{name}}`: write `<{name}>` instead of `{piece}`"),
        );
        return Some(SegmentKind::Broken(name));
    }
    if !piece.contains(['<', '>']) {
        return check_literal(cx, span, piece).then(|| SegmentKind::Literal(piece.to_owned()));
    }
    let Some(name) = piece.strip_prefix('<').and_then(|p| p.strip_suffix('>')) else {
        let name = intended_name(piece);
        let message = if piece.starts_with('<') && !piece.contains('>') {
            format!("unclosed `<` in segment `{piece}`: write `<{name}>`")
        } else if piece.ends_with('>') && !piece.contains('<') {
            format!("unopened `>` in segment `{piece}`: write `<{name}>`")
        } else {
            format!(
                "the path parameter in `{piece}` must fill the whole segment: write it as its own segment `/<{name}>/`, since a value is encoded as exactly one segment"
            )
        };
        cx.error_at(span, message);
        return Some(SegmentKind::Broken(name));
    };
    if name.is_empty() {
        return Some(SegmentKind::Empty);
    }
    if name.contains(['<', '>']) {
        cx.error_at(
            span,
            format!("the path parameter in `{piece}` must fill the whole segment: write one `<name>` per segment"),
        );
        return Some(SegmentKind::Broken(intended_name(piece)));
    }
    if !is_ident(name) {
        let snake = suggest::to_snake_case(name);
        let message = if is_ident(&snake) {
            format!(
                "`<{name}>` is not a Rust identifier: a path parameter names the argument it binds; did you mean `<{snake}>`?"
            )
        } else {
            format!(
                "`<{name}>` is not a Rust identifier: a path parameter names the argument it binds, in letters, digits and `_`, e.g. `<backend_id>`"
            )
        };
        cx.error_at(span, message);
        return Some(SegmentKind::Broken(snake));
    }
    Some(SegmentKind::Placeholder(name.to_owned()))
}

/// Literal segments go on the wire as written, so they may hold only characters that need
/// no encoding, and may not be `.` or `..`, which would change the path's shape.
fn check_literal(cx: &mut Ctxt, span: Span, piece: &str) -> bool {
    if piece == "." || piece == ".." {
        cx.error_at(
            span,
            format!("the path template contains a `{piece}` segment: write the path it stands for"),
        );
        return false;
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@".contains(c);
    if let Some(bad) = piece.chars().find(|&c| !allowed(c)) {
        cx.error_at(
            span,
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
