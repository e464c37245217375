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
mod names;
#[cfg(test)]
mod never_panics;
mod options;
mod suggest;
mod template;
mod types;
mod valid;

use proc_macro::TokenStream;

/// Declares one APIM management operation on a trait method.
///
/// Use it through `apim_client`, which re-exports it. The attribute goes on a method
/// *declaration* inside a trait and replaces it with a provided method that builds the
/// request, sends it and decodes the answer. The provided method carries
/// `where Self: AsRef<ApimClient>`, so an empty `impl` makes the operations available on
/// `ApimClient` or on any type that leads to one.
///
/// ```
/// use apim_client::models::{BackendContract, BackendReconnectRequest};
/// use apim_client::{ApimClient, Pager, Response, Result, apim_operation};
///
/// pub trait Backends {
///     /// Reconnects a backend (a `202 Accepted` answer).
///     #[apim_operation(POST, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/backends/<backend_id>/reconnect", status = [202])]
///     async fn reconnect(
///         &self,
///         resource_group_name: &str,
///         service_name: &str,
///         backend_id: &str,
///         #[body] parameters: Option<&BackendReconnectRequest>,
///     ) -> Result<()>;
///
///     #[apim_operation(GET, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/backends/<backend_id>", status = [200])]
///     async fn get(&self, resource_group_name: &str, service_name: &str, backend_id: &str)
///         -> Result<Response<BackendContract>>;
///
///     #[apim_operation(GET, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/backends", api_version = "2024-05-01")]
///     fn list(
///         &self,
///         resource_group_name: &str,
///         service_name: &str,
///         #[query("$filter")] filter: Option<&str>,
///         #[query("$top")] top: Option<u32>,
///     ) -> Pager<BackendContract>;
///
///     #[apim_operation(DELETE, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/backends/<backend_id>", status = [200, 204])]
///     async fn delete(
///         &self,
///         resource_group_name: &str,
///         service_name: &str,
///         backend_id: &str,
///         #[header("If-Match")] if_match: &str,
///     ) -> Result<()>;
/// }
///
/// impl Backends for ApimClient {}
/// ```
///
/// # Grammar
///
/// ```text
/// #[apim_operation(METHOD, "TEMPLATE" [, operation_id = "Group_Name"] [, status = [CODE, ..]]
///     [, api_version = "YYYY-MM-DD[-label]"] [, accept = "type/subtype, .."] [, final_state = ".."]
///     [, crate = path])]
/// ```
///
/// - `METHOD`: `GET`, `PUT`, `POST`, `PATCH`, `DELETE` or `HEAD`, unquoted, in upper case.
/// - `TEMPLATE`: an absolute path. Each segment is literal text (characters that need no
///   percent-encoding; not `.` or `..`) or exactly one `<name>` filling the whole segment,
///   where `name` is a Rust identifier. No query string, fragment, empty segment or
///   trailing `/`.
/// - `operation_id = ".."`: the name errors, logs and tracing spans give the operation, as
///   the REST description writes it (`Api_Get`). Without it, the method's name.
/// - `status = [..]`: the success codes of the answer, integers from 100 to 599, each once.
///   Without it, any 2xx is a success; anything else is an error carrying the service's
///   message.
/// - `api_version = ".."`: this operation's `api-version`, instead of the client's
///   (`ApimClientOptions::api_version`).
/// - `accept = ".."`: the `Accept` header of this operation, a comma-separated list of
///   media types (`type/subtype`, optionally with `;name=value` parameters), for an answer
///   that may come in other types than JSON (`ApiPolicy_Get` also accepts the policy's XML
///   types). Without it, `Accept: application/json`. `#[header("Accept")]` is refused: the
///   value belongs to the operation, not to a call.
/// - `final_state = ".."`: for a long-running operation (`-> Poller<T>`), where its final
///   resource is read: `"location"`, `"azure-async-operation"` or `"original-uri"`.
/// - `crate = path`: where `apim_client` is, for a crate that re-exports it under another
///   name (`crate = ::my_sdk::apim`). The generated code names only paths under it.
///
/// Each option may be given once.
///
/// # Binding
///
/// Checked in both directions when compiling:
///
/// - `<name>` is bound by the argument of the same name (`<type>` binds `r#type`). Its
///   value is percent-encoded as exactly one segment, and checked before sending against
///   the rule of the placeholder's name in `apim_client::rules` (`resource_group_name`,
///   `service_name`, `backend_id`, `subscription_id`, ...; any other name only refuses
///   the empty string, `.` and `..`). A path value can never change the shape of the path.
/// - `<subscription_id>` with no argument of that name is the client's subscription id.
///   Any other placeholder without an argument is an error.
/// - Every argument is used. An argument without an attribute is a path parameter and
///   must have a placeholder; the others say their role:
///   - `#[query]` sends the argument under its own name, `#[query("$filter")]` under the
///     given one. `api-version` (in any case) is the client's.
///   - `#[header("If-Match")]` sends it as a header. A header the client sets itself
///     (`Authorization`, `Accept`, `Content-Type`, `Content-Length`,
///     `x-ms-client-request-id`, `User-Agent`, `Host`, `Transfer-Encoding`, `Connection`,
///     in any case) cannot be declared.
///   - `#[body]` sends it as the JSON body: at most one, and only with PUT, POST or
///     PATCH. A PUT, POST or PATCH without a body sends `Content-Length: 0`.
///   - `#[options]` on the last argument, an `Option<O>` (or `Option<&O>`) where `O`
///     derives [`OperationOptions`](derive@OperationOptions): each field of `O` that is set
///     is sent as the query parameter or header it names. At most one; no field may send a
///     name an argument sends (checked when the declaration compiles).
///
///   An `Option<_>` query, header or body argument is left out when `None`; a path
///   parameter cannot be optional. Each query name and header name is set by one argument.
///
/// Path, query and header values are anything `apim_client` can write as text (`&str`,
/// `String`, integers, `bool`, ...); the body is any `Serialize` type. An argument of a
/// type that cannot be sent is reported on that type.
///
/// # Return forms
///
/// - `async fn .. -> Result<T>`: `T: DeserializeOwned` is decoded from the body; `()`
///   ignores the body.
/// - `async fn .. -> Result<Response<T>>`: the same, next to the status and headers
///   (ETag, request id).
/// - `fn .. -> Pager<T>` (not `async`): a list operation; the pager's stream of items
///   follows `nextLink` page by page.
/// - `fn .. -> Poller<T>` (not `async`, not on GET or HEAD): a long-running operation.
///   `poller.await` gives the final answer as `Result<Response<T>>` (`()` ignores the
///   resource), the same shape as a plain operation's, and the poller reports
///   the statuses on the way and has a resume token. `status = [..]` lists the codes of
///   the first answer. `final_state = "location" | "azure-async-operation" |
///   "original-uri"` says where the final resource is read; without it ARM's rules hold
///   (PUT and PATCH: the original URI; POST and DELETE: `Location`, if given).
///
/// `Result` is `apim_client::Result`; a model must own its data (`String`, not `&str`).
/// Every future is `Send`, and dropping it cancels the call.
///
/// # What is checked
///
/// Every misuse is a compile error on the offending token that says how to fix it, all of
/// them in one build: the attribute's grammar, the template, the binding above, the roles,
/// and the signature (`&self`; `async` unless it returns a `Pager` or a `Poller`; no body, generics,
/// `where` clause, `const`, `unsafe`, ABI or `impl Trait` argument). On an error the
/// declaration is kept as written, so the rest of the crate still compiles.
///
/// A placeholder without an argument:
///
/// ```compile_fail
/// # use apim_client::{ApimClient, Result, apim_operation};
/// trait Api {
///     #[apim_operation(GET, "/backends/<backnd_id>")] // did you mean `backend_id`?
///     async fn get(&self, backend_id: &str) -> Result<()>;
/// }
/// # impl Api for ApimClient {}
/// # fn main() {}
/// ```
///
/// A body on a method that has none:
///
/// ```compile_fail
/// # use apim_client::{ApimClient, Result, apim_operation};
/// trait Api {
///     #[apim_operation(GET, "/backends/<backend_id>")]
///     async fn get(&self, backend_id: &str, #[body] body: &apim_client::models::BackendReconnectRequest) -> Result<()>;
/// }
/// # impl Api for ApimClient {}
/// # fn main() {}
/// ```
///
/// A header the client sets:
///
/// ```compile_fail
/// # use apim_client::{ApimClient, Result, apim_operation};
/// trait Api {
///     #[apim_operation(GET, "/backends/<backend_id>")]
///     async fn get(&self, backend_id: &str, #[header("Accept")] accept: &str) -> Result<()>;
/// }
/// # impl Api for ApimClient {}
/// # fn main() {}
/// ```
///
/// A plain `fn` returning `Result` (only a `Pager` or a `Poller` is returned at once):
///
/// ```compile_fail
/// # use apim_client::{ApimClient, Result, apim_operation};
/// trait Api {
///     #[apim_operation(GET, "/backends/<backend_id>")]
///     fn get(&self, backend_id: &str) -> Result<()>;
/// }
/// # impl Api for ApimClient {}
/// # fn main() {}
/// ```
///
/// `final_state` on an operation that is not long-running:
///
/// ```compile_fail
/// # use apim_client::{ApimClient, Result, apim_operation};
/// trait Api {
///     #[apim_operation(DELETE, "/apis/<api_id>", final_state = "location")]
///     async fn delete(&self, api_id: &str) -> Result<()>; // `fn .. -> Poller<()>`?
/// }
/// # impl Api for ApimClient {}
/// # fn main() {}
/// ```
///
/// An argument with no place in the request:
///
/// ```compile_fail
/// # use apim_client::{ApimClient, Result, apim_operation};
/// trait Api {
///     #[apim_operation(GET, "/backends/<backend_id>")]
///     async fn get(&self, backend_id: &str, filter: &str) -> Result<()>; // `#[query]`?
/// }
/// # impl Api for ApimClient {}
/// # fn main() {}
/// ```
#[proc_macro_attribute]
pub fn apim_operation(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::operation(args.into(), item.into()).into()
}

/// Derives `apim_client::OperationOptions`: the optional query parameters and headers of
/// an operation as one struct, passed as its `#[options]` argument. Use it through
/// `apim_client`, which re-exports it.
///
/// Each field says where it is sent: `#[query("$top")]` (or `#[query]` for the field's own
/// name) or `#[header("If-Match")]`. A field of type `Option<T>` is sent only when `Some`;
/// any other field always. Values are what `#[query]` and `#[header]` arguments take
/// (`String`, integers, `bool`, the API's enums, ...).
///
/// ```
/// use apim_client::models::BackendContract;
/// use apim_client::{ApimClient, OperationOptions, Pager, apim_operation};
///
/// #[derive(Debug, Clone, Default, OperationOptions)]
/// pub struct ListBackendsOptions {
///     #[query("$filter")]
///     pub filter: Option<String>,
///     #[query("$top")]
///     pub top: Option<u32>,
///     #[header("x-ms-trace")] // an illustration: any header the client does not set
///     pub trace: Option<bool>,
/// }
///
/// pub trait Backends {
///     #[apim_operation(GET, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/backends", operation_id = "Backend_ListByService")]
///     fn list_backends(&self, resource_group_name: &str, service_name: &str,
///         #[options] options: Option<ListBackendsOptions>) -> Pager<BackendContract>;
/// }
///
/// impl Backends for ApimClient {}
/// ```
///
/// The names follow the rules of `#[query]` and `#[header]` arguments: `api-version` and
/// the headers the client sets are refused, names must be valid, and two fields may not
/// send the same name (compared case-insensitively, for query parameters too). Where the
/// options are declared, a field that sends what an argument of the operation sends is a
/// compile error too.
///
/// ```compile_fail
/// # use apim_client::OperationOptions;
/// #[derive(Default, OperationOptions)]
/// pub struct Twice {
///     #[query("$top")] pub top: Option<u32>,
///     #[query("$Top")] pub top_again: Option<u32>, // one parameter to ARM
/// }
/// ```
///
/// `#[operation_options(crate = ::my_sdk::apim)]` re-roots the generated paths, as
/// `crate = ..` does for `#[apim_operation]`.
#[proc_macro_derive(OperationOptions, attributes(query, header, operation_options))]
pub fn derive_operation_options(input: TokenStream) -> TokenStream {
    options::derive(input.into()).into()
}
