//! The `#[apim_operation]` attribute. Use it through `apim_client`, which re-exports it.
//!
//! The attribute turns a trait method *declaration* into a provided method that builds,
//! sends and decodes one APIM management request. The work is split the way thiserror
//! and serde_derive split theirs: [`attr`] and [`ast`] convert the attribute and the method
//! into a syntax model, [`template`] parses the path template, [`valid`] checks them as a
//! whole and produces a validated operation, [`expand`] writes it out, and [`fallback`]
//! re-emits the user's declaration next to the errors so one mistake gives one error
//! instead of a cascade.

mod ast;
mod attr;
mod ctxt;
mod expand;
mod fallback;
#[cfg(test)]
mod never_panics;
mod suggest;
mod template;
mod types;
mod valid;

use proc_macro::TokenStream;

/// Declares one APIM management operation on a trait method. See the `apim_client` docs.
#[proc_macro_attribute]
pub fn apim_operation(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::operation(args.into(), item.into()).into()
}
