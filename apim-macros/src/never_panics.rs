//! The expansion never panics: a panic in a proc macro is an unreadable compiler error, so
//! every input, however broken, must come back as tokens (code or `compile_error!`).
//!
//! Fed to [`expand::operation`] directly (`proc_macro2` works outside a compiler): every
//! truncation of valid declarations at every token boundary, valid declarations with one
//! token replaced by an odd one, and random token trees, literals and templates.

use std::str::FromStr;

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use proptest::prelude::*;
use quote::quote;

use crate::expand;

/// Declarations that expand without error, as (attribute arguments, item).
fn valid() -> Vec<(TokenStream, TokenStream)> {
    vec![
        (
            quote!(
                GET,
                "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/backends",
                status = [200]
            ),
            quote!(
                fn list(
                    &self,
                    resource_group_name: &str,
                    #[query("$filter")] filter: Option<&str>,
                    #[query] top: Option<u32>,
                ) -> Pager<Model>;
            ),
        ),
        (
            quote!(
                PATCH,
                "/things/<thing_id>",
                status = [200, 204],
                api_version = "2023-09-01-preview"
            ),
            quote!(
                /// Docs.
                async fn update(
                    &self,
                    thing_id: &str,
                    #[header("If-Match")] if_match: &str,
                    #[body] patch: &Patch,
                ) -> Result<Response<Model>>;
            ),
        ),
        (
            quote!(
                POST,
                "/things/<id>/reconnect",
                status = [202],
                crate = ::apim_client
            ),
            quote!(
                async fn reconnect(
                    &self,
                    r#id: u64,
                    #[body] body: Option<&Request>,
                ) -> apim_client::Result<()>;
            ),
        ),
        (
            quote!(DELETE, "/things/<type>", crate = "::my::apim"),
            quote!(
                async fn delete<'a>(&self, r#type: &'a str) -> Result<(), apim_client::Error>;
            ),
        ),
    ]
}

/// Tokens that are wrong almost anywhere.
fn odd_tokens() -> Vec<TokenTree> {
    let mut odd: Vec<TokenTree> = vec![
        Literal::string("\u{0}").into(),
        Literal::string("").into(),
        Literal::string("/<>/{}/<a<b>>/?#/../<1x>/<é>/<_>/<type>//").into(),
        Literal::u128_unsuffixed(u128::MAX).into(),
        Literal::i64_suffixed(-1).into(),
        Literal::f64_unsuffixed(1e300).into(),
        Literal::character('\u{10FFFF}').into(),
        Literal::byte_string(b"\xff/<id>").into(),
        Ident::new_raw("type", Span::call_site()).into(),
        Ident::new("_", Span::call_site()).into(),
        Ident::new("impl", Span::call_site()).into(),
        Ident::new("self", Span::call_site()).into(),
        Punct::new('#', Spacing::Alone).into(),
        Punct::new('\'', Spacing::Joint).into(),
        Group::new(Delimiter::None, quote!(GET)).into(),
        Group::new(Delimiter::None, quote!("/x")).into(),
        Group::new(Delimiter::Bracket, TokenStream::new()).into(),
        Group::new(Delimiter::Brace, quote!({ { [()] } })).into(),
    ];
    for text in [
        "99999999999999999999999999999999999999999999",
        "0x_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF_FFFF",
        "600u16",
        "200.0",
        "c\"x\"",
        "r#\"/a/<b>\"#",
        "\"/x\"suffix",
        "b'x'",
    ] {
        if let Ok(tokens) = TokenStream::from_str(text) {
            odd.extend(tokens);
        }
    }
    odd
}

/// Every stream obtained by cutting `tokens` at one token boundary, inside groups too
/// (a group keeps its closing delimiter, as it always has in a real token stream).
fn truncations(tokens: &TokenStream) -> Vec<TokenStream> {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let mut out = Vec::new();
    for i in 0..=trees.len() {
        out.push(trees[..i].iter().cloned().collect());
        if let Some(TokenTree::Group(group)) = trees.get(i) {
            for inner in truncations(&group.stream()) {
                let mut cut: TokenStream = trees[..i].iter().cloned().collect();
                cut.extend([TokenTree::Group(Group::new(group.delimiter(), inner))]);
                out.push(cut);
            }
        }
    }
    out
}

/// Every stream obtained by replacing one token (at any depth) with `with`.
fn replacements(tokens: &TokenStream, with: &TokenTree) -> Vec<TokenStream> {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let mut out = Vec::new();
    for i in 0..trees.len() {
        let rebuild = |middle: TokenTree| -> TokenStream {
            let mut t = trees.clone();
            t[i] = middle;
            t.into_iter().collect()
        };
        out.push(rebuild(with.clone()));
        if let TokenTree::Group(group) = &trees[i] {
            for inner in replacements(&group.stream(), with) {
                out.push(rebuild(Group::new(group.delimiter(), inner).into()));
            }
        }
    }
    out
}

#[test]
fn truncated_declarations() {
    for (args, item) in valid() {
        assert!(
            !expand::operation(args.clone(), item.clone())
                .to_string()
                .contains("compile_error"),
            "a valid declaration expands without errors: {args} / {item}"
        );
        for cut in truncations(&args) {
            expand::operation(cut, item.clone());
        }
        for cut in truncations(&item) {
            expand::operation(args.clone(), cut);
        }
    }
}

#[test]
fn declarations_with_an_odd_token() {
    let odd = odd_tokens();
    for (args, item) in valid() {
        for token in &odd {
            for changed in replacements(&args, token) {
                expand::operation(changed, item.clone());
            }
            for changed in replacements(&item, token) {
                expand::operation(args.clone(), changed);
            }
        }
    }
}

/// A token tree, described so proptest can generate and shrink it.
#[derive(Clone, Debug)]
enum Tok {
    Ident(&'static str),
    Punct(char, bool),
    Str(String),
    Int(u128),
    Float(f64),
    Char(char),
    Group(u8, Vec<Tok>),
}

const IDENTS: [&str; 32] = [
    "GET",
    "PUT",
    "POST",
    "PATCH",
    "DELETE",
    "HEAD",
    "get",
    "OPTIONS",
    "status",
    "api_version",
    "crate",
    "query",
    "header",
    "body",
    "path",
    "self",
    "Self",
    "async",
    "fn",
    "impl",
    "mut",
    "Result",
    "Pager",
    "Response",
    "Option",
    "str",
    "id",
    "backend_id",
    "r#type",
    "_",
    "dyn",
    "where",
];
const PUNCTS: [char; 14] = [
    ',', '=', '<', '>', '&', '#', ':', ';', '-', '!', '?', '/', '.', '\'',
];

fn to_tokens(toks: &[Tok]) -> TokenStream {
    toks.iter()
        .map(|tok| -> TokenTree {
            match tok {
                Tok::Ident(name) => match name.strip_prefix("r#") {
                    Some(raw) => Ident::new_raw(raw, Span::call_site()).into(),
                    None => Ident::new(name, Span::call_site()).into(),
                },
                Tok::Punct(c, joint) => {
                    let spacing = if *joint {
                        Spacing::Joint
                    } else {
                        Spacing::Alone
                    };
                    Punct::new(*c, spacing).into()
                }
                Tok::Str(s) => Literal::string(s).into(),
                Tok::Int(n) => Literal::u128_unsuffixed(*n).into(),
                Tok::Float(f) if f.is_finite() => Literal::f64_unsuffixed(*f).into(),
                Tok::Float(_) => Literal::f64_unsuffixed(0.5).into(),
                Tok::Char(c) => Literal::character(*c).into(),
                Tok::Group(d, inner) => {
                    let delimiter = match d % 4 {
                        0 => Delimiter::Parenthesis,
                        1 => Delimiter::Bracket,
                        2 => Delimiter::Brace,
                        _ => Delimiter::None,
                    };
                    Group::new(delimiter, to_tokens(inner)).into()
                }
            }
        })
        .collect()
}

/// Templates made of the pieces the template parser cares about.
fn template() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "/",
        "/",
        "<",
        ">",
        "{",
        "}",
        "?",
        "#",
        "id",
        "backend_id",
        "backendId",
        "-",
        " ",
        "\u{0}",
        "é",
        ".",
        "..",
        "%",
        "//",
        "subscription_id",
        "<>",
        "<id>",
        "r#x",
        "_",
        "1",
    ]);
    prop_oneof![
        prop::collection::vec(piece, 0..12).prop_map(|p| p.concat()),
        any::<String>(),
    ]
}

fn tok() -> impl Strategy<Value = Tok> {
    let leaf = prop_oneof![
        4 => prop::sample::select(IDENTS.to_vec()).prop_map(Tok::Ident),
        3 => (prop::sample::select(PUNCTS.to_vec()), any::<bool>()).prop_map(|(c, j)| Tok::Punct(c, j)),
        2 => template().prop_map(Tok::Str),
        2 => prop_oneof![Just(u128::MAX), 0..1000u128, any::<u128>()].prop_map(Tok::Int),
        1 => any::<f64>().prop_map(Tok::Float),
        1 => any::<char>().prop_map(Tok::Char),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        (any::<u8>(), prop::collection::vec(inner, 0..6)).prop_map(|(d, v)| Tok::Group(d, v))
    })
}

/// Attribute arguments shaped like the real ones, with random parts.
fn attr_args() -> impl Strategy<Value = Vec<Tok>> {
    let option = prop_oneof![
        prop::collection::vec(tok(), 0..4).prop_map(|v| {
            let mut t = vec![Tok::Ident("status"), Tok::Punct('=', false)];
            t.push(Tok::Group(1, v));
            t
        }),
        template().prop_map(|s| vec![
            Tok::Ident("api_version"),
            Tok::Punct('=', false),
            Tok::Str(s)
        ]),
        prop::collection::vec(tok(), 0..4),
    ];
    (tok(), template(), prop::collection::vec(option, 0..3)).prop_map(
        |(method, template, options)| {
            let mut t = vec![method, Tok::Punct(',', false), Tok::Str(template)];
            for option in options {
                t.push(Tok::Punct(',', false));
                t.extend(option);
            }
            t
        },
    )
}

/// Items shaped like a method declaration, with random arguments and return type.
fn item() -> impl Strategy<Value = Vec<Tok>> {
    let arg = (
        prop::option::of(prop::collection::vec(tok(), 0..3)),
        prop::sample::select(IDENTS.to_vec()),
        prop::collection::vec(tok(), 1..4),
    )
        .prop_map(|(attr, name, ty)| {
            let mut t = Vec::new();
            if let Some(attr) = attr {
                t.push(Tok::Punct('#', false));
                t.push(Tok::Group(1, attr));
            }
            t.push(Tok::Ident(name));
            t.push(Tok::Punct(':', false));
            t.extend(ty);
            t.push(Tok::Punct(',', false));
            t
        });
    (
        any::<bool>(),
        prop::collection::vec(arg, 0..4),
        prop::collection::vec(tok(), 0..5),
        prop::option::of(prop::collection::vec(tok(), 0..3)),
    )
        .prop_map(|(is_async, args, output, body)| {
            let mut t = Vec::new();
            if is_async {
                t.push(Tok::Ident("async"));
            }
            t.push(Tok::Ident("fn"));
            t.push(Tok::Ident("get"));
            let mut inputs = vec![
                Tok::Punct('&', false),
                Tok::Ident("self"),
                Tok::Punct(',', false),
            ];
            inputs.extend(args.into_iter().flatten());
            t.push(Tok::Group(0, inputs));
            t.push(Tok::Punct('-', true));
            t.push(Tok::Punct('>', false));
            t.extend(output);
            match body {
                Some(body) => t.push(Tok::Group(2, body)),
                None => t.push(Tok::Punct(';', false)),
            }
            t
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_tokens(args in prop::collection::vec(tok(), 0..10), item in prop::collection::vec(tok(), 0..12)) {
        expand::operation(to_tokens(&args), to_tokens(&item));
    }

    #[test]
    fn random_declarations(args in attr_args(), item in item()) {
        expand::operation(to_tokens(&args), to_tokens(&item));
    }
}
