//! The path template: literal segments and `<name>` placeholders that fill whole segments.

use syn::LitStr;

use crate::ctxt::Ctxt;
use crate::suggest;

pub enum Segment {
    Literal(String),
    Placeholder(String),
    /// A malformed placeholder, already reported; holds the name it most likely meant, so
    /// the argument of that name is not reported as unused too.
    Broken(String),
}

/// Parses `template` into segments, reporting every mistake found. Errors point at the
/// literal (stable Rust cannot point inside it), so each message names the segment.
pub fn parse(cx: &mut Ctxt, lit: &LitStr) -> Vec<Segment> {
    let template = lit.value();
    let mut segments = Vec::new();
    if template.is_empty() {
        cx.error_spanned_by(lit, "the path template is empty: write the path from its first `/`, e.g. \"/subscriptions/<subscription_id>/...\"");
        return segments;
    }
    let mut path = template.as_str();
    if let Some(at) = path.find(['?', '#']) {
        let (what, hint) = if path.as_bytes()[at] == b'?' {
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
            format!(
                "the path template contains {what} (`{}`): {hint}",
                &path[at..]
            ),
        );
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
        return segments;
    }
    let pieces: Vec<&str> = body.split('/').collect();
    let last = pieces.len() - 1;
    for (i, piece) in pieces.into_iter().enumerate() {
        if piece.is_empty() {
            if i == last {
                cx.error_spanned_by(
                    lit,
                    "the path template ends with `/`: remove the trailing slash",
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
    segments
}

fn parse_segment(cx: &mut Ctxt, lit: &LitStr, piece: &str) -> Option<Segment> {
    if piece.contains(['{', '}']) {
        let inner = piece.trim_start_matches('{').trim_end_matches('}');
        cx.error_spanned_by(
            lit,
            format!("path parameters are written `<name>`, not `{{name}}`: write `<{}>` instead of `{piece}`", suggest::to_snake_case(inner)),
        );
        return Some(Segment::Broken(suggest::to_snake_case(inner)));
    }
    if !piece.contains(['<', '>']) {
        return check_literal(cx, lit, piece).then(|| Segment::Literal(piece.to_owned()));
    }
    let Some(name) = piece.strip_prefix('<').and_then(|p| p.strip_suffix('>')) else {
        if piece.starts_with('<') && !piece.contains('>') {
            cx.error_spanned_by(
                lit,
                format!("unclosed `<` in segment `{piece}`: close the path parameter with `>`"),
            );
        } else {
            cx.error_spanned_by(
                lit,
                format!("the path parameter in `{piece}` must fill the whole segment: write it as its own segment `/<name>/`, since a value is encoded as exactly one segment"),
            );
        }
        return Some(Segment::Broken(intended_name(piece)));
    };
    if name.is_empty() {
        cx.error_spanned_by(
            lit,
            "empty path parameter `<>`: name the argument it binds, e.g. `<backend_id>`",
        );
        return None;
    }
    if name.contains(['<', '>']) {
        cx.error_spanned_by(
            lit,
            format!("the path parameter in `{piece}` must fill the whole segment"),
        );
        return None;
    }
    if !is_ident(name) {
        cx.error_spanned_by(
            lit,
            format!(
                "`<{name}>` is not a Rust identifier: did you mean `<{}>`?",
                suggest::to_snake_case(name)
            ),
        );
        return Some(Segment::Broken(suggest::to_snake_case(name)));
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

/// `item-<id>` and `<id` most likely meant `<id>`.
fn intended_name(piece: &str) -> String {
    let after = piece.split_once('<').map_or(piece, |(_, rest)| rest);
    suggest::to_snake_case(after.split('>').next().unwrap_or(after))
}

fn is_ident(name: &str) -> bool {
    syn::parse_str::<syn::Ident>(name).is_ok()
}
