//! The attribute's own arguments: `METHOD, "TEMPLATE" [, operation_id = ".."] [, status = [..]]
//! [, api_version = ".."] [, accept = ".."] [, final_state = ".."] [, crate = path]`.

use apim_wire::Method;
use proc_macro2::{Span, TokenStream};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Expr, Lit, LitStr, Token};

use crate::ctxt::Ctxt;
use crate::suggest;

const OPTIONS: [&str; 6] = [
    "operation_id",
    "status",
    "api_version",
    "accept",
    "final_state",
    "crate",
];

/// The options as a message lists them.
const OPTIONS_TEXT: &str = "`operation_id = \"..\"`, `status = [..]`, `api_version = \"..\"`, `accept = \"..\"`, `final_state = \"..\"` or `crate = path`";

/// The values of `final_state`, as ARM's `final-state-via` writes them.
pub(crate) const FINAL_STATES: [(&str, FinalState); 3] = [
    ("location", FinalState::Location),
    ("azure-async-operation", FinalState::AzureAsyncOperation),
    ("original-uri", FinalState::OriginalUri),
];

pub(crate) struct Attr {
    pub method: Option<Method>,
    pub template: Option<LitStr>,
    /// `operation_id = ".."`: the name errors and logs give the operation (`Api_Get`).
    pub operation_id: Option<LitStr>,
    pub status: Vec<u16>,
    pub api_version: Option<LitStr>,
    /// `accept = ".."`: the media types asked for instead of `application/json`.
    pub accept: Option<LitStr>,
    /// `final_state = ".."`, with the literal for errors about it.
    pub final_state: Option<(FinalState, LitStr)>,
    pub krate: Option<syn::Path>,
}

/// Where a long-running operation's final resource is read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum FinalState {
    /// ARM's rules (no `final_state`).
    Default,
    Location,
    AzureAsyncOperation,
    OriginalUri,
}

impl FinalState {
    /// The variant name of `__private::FinalState`.
    pub(crate) fn variant(self) -> &'static str {
        match self {
            FinalState::Default => "Default",
            FinalState::Location => "Location",
            FinalState::AzureAsyncOperation => "AzureAsyncOperation",
            FinalState::OriginalUri => "OriginalUri",
        }
    }
}

pub(crate) fn parse(cx: &mut Ctxt, args: TokenStream) -> Attr {
    let mut attr = Attr {
        method: None,
        template: None,
        operation_id: None,
        status: Vec::new(),
        api_version: None,
        accept: None,
        final_state: None,
        krate: None,
    };
    let args = match Punctuated::<Expr, Token![,]>::parse_terminated.parse2(args) {
        Ok(args) => args,
        Err(e) => {
            cx.push(e);
            return attr;
        }
    };
    let mut args: Vec<Expr> = args.into_iter().map(peel).collect();
    if let [
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(template),
            ..
        }),
        second,
        ..,
    ] = &args[..]
        && let Some(method) = method_of(second)
    {
        // `"/path", GET`: the right parts in the wrong order are one mistake, not two.
        cx.error_spanned_by(
            template,
            format!(
                "write the HTTP method first, then the path template: `{}, \"{}\"`",
                method.name(),
                template.value().escape_default()
            ),
        );
        attr.method = Some(method);
        attr.template = Some(template.clone());
        args.drain(..2);
    }
    let mut args = args.into_iter();
    if attr.method.is_none() {
        let first = args.next();
        match &first {
            Some(first) => attr.method = parse_method(cx, first),
            None => cx.error_at(
                Span::call_site(),
                "expected an HTTP method and a path template, e.g. `#[apim_operation(GET, \"/subscriptions/<subscription_id>/...\")]`",
            ),
        }
        match args.next() {
            Some(Expr::Lit(syn::ExprLit { lit: Lit::Str(template), .. })) => attr.template = Some(template),
            Some(other) => cx.error_spanned_by(
                &other,
                "expected the path template as a string literal, e.g. `\"/subscriptions/<subscription_id>/...\"`",
            ),
            None if attr.method.is_some() => cx.error_spanned_by(
                &first,
                format!(
                    "expected a path template after the method, e.g. `{}, \"/subscriptions/<subscription_id>/...\"`",
                    attr.method.map_or("GET", Method::name)
                ),
            ),
            None => {}
        }
    }
    let mut seen: Vec<String> = Vec::new();
    for arg in args {
        parse_option(cx, &mut attr, &mut seen, arg);
    }
    attr
}

/// The expression inside the invisible group a `macro_rules!` fragment (`$template:expr`)
/// arrives in.
fn peel(expr: Expr) -> Expr {
    match expr {
        Expr::Group(group) => peel(*group.expr),
        other => other,
    }
}

/// The method an expression names, written correctly (`GET`).
fn method_of(expr: &Expr) -> Option<Method> {
    match expr {
        Expr::Path(p) => p
            .path
            .get_ident()
            .and_then(|i| Method::from_name(&i.to_string())),
        _ => None,
    }
}

fn parse_method(cx: &mut Ctxt, expr: &Expr) -> Option<Method> {
    let ident = match expr {
        Expr::Path(p) if p.path.get_ident().is_some() => p.path.get_ident()?,
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        }) if Method::from_name(&s.value().to_ascii_uppercase()).is_some() => {
            cx.error_spanned_by(
                s,
                format!(
                    "the HTTP method is written without quotes: `{}`",
                    s.value().to_ascii_uppercase()
                ),
            );
            return None;
        }
        _ => {
            cx.error_spanned_by(
                expr,
                "expected the HTTP method first: one of GET, PUT, POST, PATCH, DELETE, HEAD",
            );
            return None;
        }
    };
    let name = ident.to_string();
    if let Some(method) = Method::from_name(&name) {
        return Some(method);
    }
    let upper = name.to_ascii_uppercase();
    if Method::from_name(&upper).is_some() {
        cx.error_spanned_by(
            ident,
            format!("HTTP methods are written in upper case: `{upper}`"),
        );
    } else {
        let hint = suggest::closest(&upper, Method::ALL.map(Method::name))
            .map(|m| format!("; did you mean `{m}`?"))
            .unwrap_or_default();
        cx.error_spanned_by(
            ident,
            format!("unsupported HTTP method `{name}`: expected one of GET, PUT, POST, PATCH, DELETE, HEAD{hint}"),
        );
    }
    None
}

fn parse_option(cx: &mut Ctxt, attr: &mut Attr, seen: &mut Vec<String>, arg: Expr) {
    let Expr::Assign(mut assign) = arg else {
        cx.error_spanned_by(&arg, format!("expected {OPTIONS_TEXT} after the template"));
        return;
    };
    *assign.right = peel(*assign.right);
    let name = match &*assign.left {
        Expr::Path(p) if p.path.get_ident().is_some() => p.path.segments[0].ident.to_string(),
        Expr::Path(p) if p.path.segments.len() == 1 && p.path.segments[0].ident == "crate" => {
            "crate".to_owned()
        }
        other => {
            cx.error_spanned_by(other, format!("expected an option name: {OPTIONS_TEXT}"));
            return;
        }
    };
    if seen.contains(&name) {
        cx.error_spanned_by(&assign.left, format!("`{name}` is set twice: keep one"));
        return;
    }
    seen.push(name.clone());
    match name.as_str() {
        "operation_id" => attr.operation_id = parse_operation_id(cx, &assign.right),
        "status" => attr.status = parse_status(cx, &assign.right),
        "api_version" => attr.api_version = parse_api_version(cx, &assign.right),
        "accept" => attr.accept = parse_accept(cx, &assign.right),
        "final_state" => attr.final_state = parse_final_state(cx, &assign.right),
        "crate" => {
            let path = match &*assign.right {
                Expr::Path(p) if p.qself.is_none() => Some(p.path.clone()),
                Expr::Lit(syn::ExprLit {
                    lit: Lit::Str(s), ..
                }) => s.parse::<syn::Path>().ok(),
                _ => None,
            };
            match path {
                Some(path)
                    if path
                        .segments
                        .iter()
                        .all(|s| matches!(s.arguments, syn::PathArguments::None)) =>
                {
                    attr.krate = Some(path);
                }
                _ => cx.error_spanned_by(
                    &assign.right,
                    "expected a path to the apim_client crate, e.g. `crate = ::my_sdk::apim`",
                ),
            }
        }
        _ => {
            let hint = suggest::closest(&name, OPTIONS)
                .map(|o| format!("; did you mean `{o}`?"))
                .unwrap_or_default();
            cx.error_spanned_by(
                &assign.left,
                format!("unknown option `{name}`: expected {OPTIONS_TEXT}{hint}"),
            );
        }
    }
}

fn parse_status(cx: &mut Ctxt, expr: &Expr) -> Vec<u16> {
    let Expr::Array(array) = expr else {
        let example = match expr {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Int(int), ..
            }) => format!("`status = [{}]`", int.base10_digits()),
            _ => "`status = [200, 201]`".to_owned(),
        };
        cx.error_spanned_by(
            expr,
            format!("expected a list of status codes in brackets, e.g. {example}"),
        );
        return Vec::new();
    };
    if array.elems.is_empty() {
        cx.error_spanned_by(
            array,
            "the list of success status codes is empty: list at least one, e.g. `status = [200]`, or leave `status` out to accept any 2xx",
        );
    }
    let mut codes = Vec::new();
    for elem in &array.elems {
        let Some(code) = parse_status_code(cx, elem) else {
            continue;
        };
        if codes.contains(&code) {
            cx.error_spanned_by(elem, format!("status {code} is listed twice: remove one"));
        } else {
            codes.push(code);
        }
    }
    codes
}

fn parse_status_code(cx: &mut Ctxt, elem: &Expr) -> Option<u16> {
    let message = match elem {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Int(int), ..
        }) => match int.base10_parse::<u16>() {
            Ok(code) if (100..=599).contains(&code) && int.suffix().is_empty() => {
                return Some(code);
            }
            Ok(code) if (100..=599).contains(&code) => {
                format!("write the status code without a suffix: `{code}`")
            }
            _ => format!(
                "`{}` is not an HTTP status code: a status code is an integer from 100 to 599",
                int.base10_digits()
            ),
        },
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        }) => match s.value().trim().parse::<u16>() {
            Ok(code) if (100..=599).contains(&code) => {
                format!("write the status code as an integer, without quotes: `{code}`")
            }
            _ => "a status code is an integer from 100 to 599, e.g. `200`".to_owned(),
        },
        _ => "a status code is an integer literal from 100 to 599, e.g. `200`".to_owned(),
    };
    cx.error_spanned_by(elem, message);
    None
}

fn parse_final_state(cx: &mut Ctxt, expr: &Expr) -> Option<(FinalState, LitStr)> {
    const EXPECTED: &str =
        "`final_state = \"location\"`, `\"azure-async-operation\"` or `\"original-uri\"`";
    let lit = string_literal(
        cx,
        expr,
        format!("expected where the final resource is read, as a string: {EXPECTED}"),
    )?;
    let value = lit.value();
    if let Some((_, state)) = FINAL_STATES.iter().find(|(name, _)| *name == value) {
        return Some((*state, lit.clone()));
    }
    let normalized = value.to_ascii_lowercase().replace(['_', ' '], "-");
    let hint = suggest::closest(&normalized, FINAL_STATES.map(|(name, _)| name))
        .or_else(|| {
            FINAL_STATES
                .iter()
                .map(|(name, _)| *name)
                .find(|name| *name == normalized)
        })
        .map(|name| format!("; did you mean `\"{name}\"`?"))
        .unwrap_or_default();
    cx.error_spanned_by(
        lit,
        format!("unknown final state `{value}`: expected {EXPECTED}{hint}"),
    );
    None
}

/// The option's value as a string literal, or `message` reported on it.
fn string_literal<'e>(cx: &mut Ctxt, expr: &'e Expr, message: String) -> Option<&'e LitStr> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: Lit::Str(lit), ..
        }) => Some(lit),
        _ => {
            cx.error_spanned_by(expr, message);
            None
        }
    }
}

/// An operation id as the REST description writes them: `Api_Get`,
/// `PerformConnectivityCheckAsync`.
fn parse_operation_id(cx: &mut Ctxt, expr: &Expr) -> Option<LitStr> {
    let lit = string_literal(
        cx,
        expr,
        "expected the operation id as a string literal, e.g. `operation_id = \"Api_Get\"`"
            .to_owned(),
    )?;
    let value = lit.value();
    let valid = value.starts_with(|c: char| c.is_ascii_alphabetic())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
    if valid {
        Some(lit.clone())
    } else {
        cx.error_spanned_by(
            lit,
            format!(
                "`{}` is not an operation id: start with a letter and use letters, digits and `_-.`, e.g. \"Api_Get\"",
                value.escape_default()
            ),
        );
        None
    }
}

fn parse_api_version(cx: &mut Ctxt, expr: &Expr) -> Option<LitStr> {
    let lit = string_literal(
        cx,
        expr,
        "expected the api-version as a string literal, e.g. `api_version = \"2024-05-01\"`"
            .to_owned(),
    )?;
    if is_api_version(&lit.value()) {
        Some(lit.clone())
    } else {
        cx.error_spanned_by(
            lit,
            format!(
                "`{}` is not an api-version: expected a date `YYYY-MM-DD`, optionally followed by `-preview`, e.g. \"2024-05-01\"",
                lit.value()
            ),
        );
        None
    }
}

fn parse_accept(cx: &mut Ctxt, expr: &Expr) -> Option<LitStr> {
    let lit = string_literal(
        cx,
        expr,
        "expected the media types as a string literal, e.g. `accept = \"application/json, application/xml\"`"
            .to_owned(),
    )?;
    match media_range_problem(&lit.value()) {
        None => Some(lit.clone()),
        Some(problem) => {
            cx.error_spanned_by(
                lit,
                format!(
                    "`accept` {problem}: expected a comma-separated list of media types, e.g. \"application/json, application/xml\""
                ),
            );
            None
        }
    }
}

/// Why `value` is not an `Accept` list of `type/subtype[;param=value]` items, if it is not.
fn media_range_problem(value: &str) -> Option<String> {
    let token = apim_wire::headers::is_token;
    if value.trim().is_empty() {
        return Some("is empty".to_owned());
    }
    for item in value.split(',') {
        let mut parts = item.split(';');
        let media = parts.next().unwrap_or_default().trim();
        let is_media = media
            .split_once('/')
            .is_some_and(|(kind, sub)| token(kind) && token(sub));
        if !is_media {
            return Some(format!(
                "has `{}`, which is not a media type `type/subtype`",
                item.trim().escape_default()
            ));
        }
        for parameter in parts {
            let is_parameter = parameter
                .split_once('=')
                .is_some_and(|(name, value)| token(name.trim()) && parameter_value(value.trim()));
            if !is_parameter {
                return Some(format!(
                    "has the parameter `{}`, which is not `name=value`",
                    parameter.trim().escape_default()
                ));
            }
        }
    }
    None
}

/// A parameter's value: a token, or a quoted string of visible characters without `"` or `\\`.
fn parameter_value(value: &str) -> bool {
    let is_token = apim_wire::headers::is_token(value);
    let quoted = value
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .is_some_and(|inner| {
            inner
                .bytes()
                .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
        });
    is_token || quoted
}

/// `YYYY-MM-DD` or `YYYY-MM-DD-<label>` with a lower-case alphanumeric label (`-preview`).
fn is_api_version(value: &str) -> bool {
    let (date, label) = match value.get(10..) {
        Some("") => (value, None),
        Some(rest) if rest.starts_with('-') => (&value[..10], Some(&rest[1..])),
        _ => return false,
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = date.split('-').collect();
    let date_ok = parts.len() == 3
        && parts[0].len() == 4
        && parts[1].len() == 2
        && parts[2].len() == 2
        && parts.iter().all(|p| digits(p))
        && matches!(parts[1].parse::<u8>(), Ok(1..=12))
        && matches!(parts[2].parse::<u8>(), Ok(1..=31));
    let label_ok = label.is_none_or(|l| {
        !l.is_empty()
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.')
    });
    date_ok && label_ok
}

#[cfg(test)]
mod tests {
    use super::{is_api_version, media_range_problem};

    #[test]
    fn media_ranges() {
        assert_eq!(media_range_problem("application/json"), None);
        assert_eq!(
            media_range_problem("application/json, application/vnd.ms-azure-apim.policy+xml"),
            None
        );
        assert_eq!(media_range_problem("text/*;q=0.5, */*;q=0.1"), None);
        assert_eq!(media_range_problem("text/plain; charset=\"utf-8\""), None);
        assert!(media_range_problem("").is_some());
        assert!(media_range_problem("json").is_some());
        assert!(media_range_problem("application/json,").is_some());
        assert!(media_range_problem("application/json\r\nX-Evil: 1").is_some());
        assert!(media_range_problem("text/plain; q").is_some());
    }

    #[test]
    fn api_versions() {
        assert!(is_api_version("2024-05-01"));
        assert!(is_api_version("2023-09-01-preview"));
        assert!(!is_api_version("2024-5-1"));
        assert!(!is_api_version("2024-13-01"));
        assert!(!is_api_version("latest"));
        assert!(!is_api_version("2024-05-01-"));
        assert!(!is_api_version("2024-05-01preview"));
    }
}
