//! Reading types as written. A proc macro sees tokens, not resolved types, so these look
//! at the shape of the syntax: `Option<T>` is any path ending in `Option`.

use proc_macro2::{TokenStream, TokenTree};
use syn::{GenericArgument, PathArguments, Type};

/// `T` of `...::Name<T, ..>`.
pub(crate) fn first_argument_of<'t>(ty: &'t Type, name: &str) -> Option<&'t Type> {
    match ty {
        Type::Path(path) if path.qself.is_none() => {
            let last = path.path.segments.last()?;
            match &last.arguments {
                PathArguments::AngleBracketed(args) if last.ident == name => {
                    match args.args.first()? {
                        GenericArgument::Type(inner) => Some(inner),
                        _ => None,
                    }
                }
                _ => None,
            }
        }
        Type::Group(group) => first_argument_of(&group.elem, name),
        _ => None,
    }
}

/// `T` of `Option<T>` written as such.
pub(crate) fn option_inner(ty: &Type) -> Option<&Type> {
    first_argument_of(ty, "Option")
}

/// `T` of `&T` (and of `&&T`): what an argument passed by reference refers to, which is
/// what a type error should name.
pub(crate) fn referent(ty: &Type) -> &Type {
    match ty {
        Type::Reference(r) => referent(&r.elem),
        Type::Group(g) => referent(&g.elem),
        other => other,
    }
}

/// Whether `()` is written.
pub(crate) fn is_unit(ty: &Type) -> bool {
    matches!(ty, Type::Tuple(t) if t.elems.is_empty())
}

/// Whether a type borrows: `&T`, or a lifetime other than `'static`.
pub(crate) fn borrows(tokens: TokenStream) -> bool {
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        let borrowed = match &token {
            TokenTree::Punct(p) if p.as_char() == '&' => true,
            TokenTree::Punct(p) if p.as_char() == '\'' => {
                !matches!(tokens.peek(), Some(TokenTree::Ident(i)) if i == "static")
            }
            TokenTree::Group(group) => borrows(group.stream()),
            _ => false,
        };
        if borrowed {
            return true;
        }
    }
    false
}

/// Whether a type names `impl Trait` anywhere, e.g. `&impl AsRef<str>`.
pub(crate) fn mentions_impl_trait(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|token| match token {
        TokenTree::Ident(ident) => ident == "impl",
        TokenTree::Group(group) => mentions_impl_trait(group.stream()),
        _ => false,
    })
}
