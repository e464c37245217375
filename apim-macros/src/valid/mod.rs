//! Checks the parsed attribute, template and declaration as a whole, and turns them into
//! an [`Operation`]: a model with every default filled in and every name resolved, which
//! code generation only has to write out.
//!
//! Every check runs, whatever failed before it, so a build shows all mistakes at once; a
//! check that depends on something already reported as wrong stays silent instead of
//! adding a follow-on error.

mod binding;
mod output;
mod roles;
mod signature;

use apim_wire::Method;
use syn::ext::IdentExt;
use syn::{Ident, LitStr, TraitItemFn, Type, parse_quote};

use crate::ast::Declaration;
use crate::attr::{Attr, FinalState};
use crate::ctxt::Ctxt;
use crate::template::Template;

/// One operation, ready to be written out.
pub(crate) struct Operation {
    /// The declaration, without its role attributes: attributes, doc comment, signature.
    pub item: TraitItemFn,
    /// The name the client reports the operation by: `operation_id`, else the method's name.
    pub name: String,
    pub method: Method,
    /// The success codes; empty accepts any 2xx.
    pub status: Vec<u16>,
    pub api_version: ApiVersion,
    /// `accept = ".."`, when declared: sent instead of `application/json`.
    pub accept: Option<LitStr>,
    /// The path of the apim_client crate (`::apim_client`, or `crate = path`).
    pub krate: syn::Path,
    pub path: Vec<PathStep>,
    /// The query, header and body arguments, in declaration order.
    pub sent: Vec<Sent>,
    pub output: Output,
}

pub(crate) enum ApiVersion {
    /// The client's (from its options).
    OfClient,
    Declared(LitStr),
}

/// The path in request order: literal runs between the placeholders.
pub(crate) enum PathStep {
    /// Template text, slashes included, e.g. `/subscriptions/`.
    Literal(String),
    /// `<subscription_id>` bound to no argument: the client's own.
    SubscriptionId,
    Argument {
        placeholder: String,
        ident: Ident,
        ty: Box<Type>,
    },
}

/// A query, header or body argument.
pub(crate) struct Sent {
    pub ident: Ident,
    pub part: Part,
    /// The type of the value handed to the request builder: the referent of the argument,
    /// of the `T` of `Option<T>` when `optional`.
    pub value_ty: Type,
    /// `Option<_>`: left out when `None`.
    pub optional: bool,
}

/// Where a [`Sent`] argument goes, and under which name.
pub(crate) enum Part {
    Query(String),
    /// Lower case, as HTTP/2 sends header names.
    Header(String),
    /// The argument's name, for errors about it.
    Body(String),
    /// An options value: each field a query parameter or a header.
    Options,
}

/// What the method returns.
pub(crate) enum Output {
    /// `Result<()>`: the body is read and ignored.
    Empty,
    /// `Result<T>`: the body is JSON for `T`.
    Json(Type),
    /// `Result<Response<()>>`: status and headers, body ignored.
    ResponseEmpty,
    /// `Result<Response<T>>`: status and headers next to the JSON body for `T`.
    ResponseJson(Type),
    /// `Pager<T>`: a list operation, following `nextLink`.
    Pager(Type),
    /// `Poller<T>`: a long-running operation, and where its final resource is read.
    Poller(Type, FinalState),
}

/// Checks everything and returns the operation, or `None` when something was reported.
/// `template` is `None` when the attribute had none, or an unusable one (reported).
pub(crate) fn operation(
    cx: &mut Ctxt,
    attr: &Attr,
    template: Option<&Template>,
    declaration: &Declaration,
) -> Option<Operation> {
    let krate = attr
        .krate
        .clone()
        .unwrap_or_else(|| parse_quote!(::apim_client));
    let sig = &declaration.item.sig;
    signature::check_no_body(cx, &declaration.item);
    let output = output::check(cx, sig, &krate);
    signature::check(cx, sig, output.as_ref());
    let output = output.and_then(|output| output::long_running(cx, attr, sig, output));
    let roles = roles::resolve(cx, attr.method, &declaration.args);
    // Without a usable template any argument could be meant for the missing placeholders.
    let path = template.and_then(|template| binding::check(cx, template, &roles));
    let sent = roles::sent(&roles);
    Some(Operation {
        item: declaration.item.clone(),
        name: attr
            .operation_id
            .as_ref()
            .map_or_else(|| sig.ident.unraw().to_string(), LitStr::value),
        method: attr.method?,
        status: attr.status.clone(),
        api_version: match &attr.api_version {
            Some(version) => ApiVersion::Declared(version.clone()),
            None => ApiVersion::OfClient,
        },
        accept: attr.accept.clone(),
        krate,
        path: path?,
        sent: sent?,
        output: output?,
    })
}
