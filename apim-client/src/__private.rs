//! Support for the code `#[apim_operation]` generates. Not a public API: names here may
//! change in any release.
//!
//! The generated method creates a [`RequestBuilder`], feeds it the template's literal parts
//! and the arguments in order, and hands it to [`send_empty`] or [`send_json`]. A refused
//! argument is remembered and reported when the request is sent, so the generated code has
//! no branches of its own.

use std::borrow::Cow;
use std::future::Future;

use bytes::Bytes;
use percent_encoding::utf8_percent_encode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::ApimClient;
use crate::encoding::COMPONENT;
use crate::error::{Error, ErrorKind, Result};
use crate::pager::Pager;
use crate::response::Response;
pub use crate::rules;

/// What the macro knows about an operation, as a `const` in the generated method.
#[derive(Debug)]
pub struct Operation {
    pub(crate) name: &'static str,
    pub(crate) method: Method,
    pub(crate) success: &'static [u16],
    pub(crate) api_version: Option<&'static str>,
}

impl Operation {
    pub const fn new(
        name: &'static str,
        method: Method,
        success: &'static [u16],
        api_version: Option<&'static str>,
    ) -> Self {
        Operation {
            name,
            method,
            success,
            api_version,
        }
    }

    /// The declared success codes, or any 2xx when none were declared.
    pub(crate) fn accepts(&self, status: u16) -> bool {
        if self.success.is_empty() {
            (200..300).contains(&status)
        } else {
            self.success.contains(&status)
        }
    }
}

pub use apim_wire::Method;

pub(crate) fn as_reqwest(method: Method) -> reqwest::Method {
    match method {
        Method::Get => reqwest::Method::GET,
        Method::Put => reqwest::Method::PUT,
        Method::Post => reqwest::Method::POST,
        Method::Patch => reqwest::Method::PATCH,
        Method::Delete => reqwest::Method::DELETE,
        Method::Head => reqwest::Method::HEAD,
    }
}

/// A value that can be sent as a path segment, a query value or a header value.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be sent as a path, query or header value",
    label = "declare this argument as `&str`, `String`, an integer or `bool`",
    note = "`#[apim_operation]` sends path, query and header values as text: take one of these types and convert the value before the call, e.g. `&id.to_string()`"
)]
pub trait ParamValue {
    fn to_param(&self) -> Cow<'_, str>;
}

impl ParamValue for str {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for String {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for Cow<'_, str> {
    fn to_param(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn to_param(&self) -> Cow<'_, str> {
        (**self).to_param()
    }
}

macro_rules! display_param {
    ($($ty:ty),*) => {$(
        impl ParamValue for $ty {
            fn to_param(&self) -> Cow<'_, str> {
                Cow::Owned(self.to_string())
            }
        }
    )*};
}
display_param!(
    bool, u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize
);

/// A value that can be sent as a JSON request body.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a request body: it does not implement `serde::Serialize`",
    label = "the `#[body]` argument is sent as JSON, so its type must implement `Serialize`",
    note = "derive it on the type: `#[derive(serde::Serialize)]`"
)]
pub trait RequestBody {
    fn to_json(&self) -> serde_json::Result<Vec<u8>>;
}

// `do_not_recommend`: a missing `Serialize` is reported in the words above, on the
// argument's type, instead of as a bare `Serialize` bound.
#[diagnostic::do_not_recommend]
impl<T: Serialize + ?Sized> RequestBody for T {
    fn to_json(&self) -> serde_json::Result<Vec<u8>> {
        serde_json::to_vec(self)
    }
}

/// A model decoded from a JSON response body: any `DeserializeOwned` type. The generated
/// method names this trait (not `DeserializeOwned`), so a model that cannot be decoded is
/// reported in these words, on the declared return type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be decoded from a response body: it does not implement `serde::Deserialize`",
    label = "the JSON response is decoded into this type, so it must implement `Deserialize` and own its data",
    note = "derive it on the type: `#[derive(serde::Deserialize)]`; or return `Result<()>` to ignore the body"
)]
pub trait ResponseBody: DeserializeOwned {}

#[diagnostic::do_not_recommend]
impl<T: DeserializeOwned> ResponseBody for T {}

/// How [`send_json`] and [`send_response_json`] decode the body.
pub type Decode<T> = fn(&[u8]) -> serde_json::Result<T>;

/// The decoder of `T`, which the generated method passes to [`send_json`] and
/// [`send_response_json`]. They need no bound of their own, so a model that is not
/// `DeserializeOwned` is reported once, here, not again where the returned future is
/// checked.
pub fn decoder<T: ResponseBody>() -> Decode<T> {
    |body| serde_json::from_slice(body)
}

/// Builds one request from the generated method's steps.
pub struct RequestBuilder<'c> {
    client: &'c ApimClient,
    operation: &'static Operation,
    url: String,
    query: String,
    headers: HeaderMap,
    body: Option<Bytes>,
    error: Option<Error>,
}

/// A request ready to send (and to send again on retry).
#[derive(Debug)]
pub(crate) struct Prepared {
    pub(crate) operation: &'static Operation,
    pub(crate) url: reqwest::Url,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Bytes>,
}

impl Prepared {
    /// The same request sent to `url` instead, without a body: how a page link is followed.
    pub(crate) fn clone_for_link(&self, url: reqwest::Url) -> Prepared {
        Prepared {
            operation: self.operation,
            url,
            headers: self.headers.clone(),
            body: None,
        }
    }
}

impl<'c> RequestBuilder<'c> {
    /// The client this request goes out on.
    pub(crate) fn client_ref(&self) -> &'c ApimClient {
        self.client
    }

    pub fn new(client: &'c ApimClient, operation: &'static Operation) -> Self {
        let base = client.base_url();
        let mut url = String::with_capacity(base.len() + 192);
        url.push_str(base);
        RequestBuilder {
            client,
            operation,
            url,
            query: String::new(),
            headers: HeaderMap::new(),
            body: None,
            error: None,
        }
    }

    fn fail(&mut self, error: Error) {
        self.error.get_or_insert(error);
    }

    /// A literal part of the template, already valid on the wire (checked by the macro).
    pub fn literal(&mut self, text: &'static str) {
        self.url.push_str(text);
    }

    /// The client's subscription id (validated and encoded when the client was built).
    pub fn subscription_id(&mut self) {
        self.url.push_str(self.client.subscription_segment());
    }

    /// A path argument: checked against `rule`, then encoded as exactly one segment.
    pub fn path<V: ParamValue + ?Sized>(
        &mut self,
        rule: &rules::Rule,
        name: &'static str,
        value: &V,
    ) {
        let value = value.to_param();
        match rule.check(&value) {
            Ok(()) => self.url.extend(utf8_percent_encode(&value, COMPONENT)),
            Err(reason) => self.fail(Error::invalid_argument(name, reason)),
        }
    }

    /// A query argument; the name is literal (checked by the macro).
    pub fn query<V: ParamValue + ?Sized>(&mut self, name: &'static str, value: &V) {
        self.query.push('&');
        self.query.push_str(name);
        self.query.push('=');
        self.query
            .extend(utf8_percent_encode(&value.to_param(), COMPONENT));
    }

    /// A header argument; the name is a lower-case token (checked by the macro).
    pub fn header<V: ParamValue + ?Sized>(&mut self, name: &'static str, value: &V) {
        let parsed = HeaderName::from_bytes(name.as_bytes())
            .ok()
            .and_then(|name| {
                HeaderValue::from_str(&value.to_param())
                    .ok()
                    .map(|value| (name, value))
            });
        match parsed {
            Some((name, value)) => {
                self.headers.insert(name, value);
            }
            None => self.fail(Error::invalid_argument(
                name,
                "a header value may not contain control characters such as line breaks",
            )),
        }
    }

    /// The JSON body. A model that refuses to serialize is refused here, before sending.
    pub fn body<B: RequestBody + ?Sized>(&mut self, name: &'static str, value: &B) {
        match value.to_json() {
            // `Content-Type` goes with the body when the request is made (pipeline.rs).
            Ok(json) => self.body = Some(Bytes::from(json)),
            Err(e) => self.fail(Error::invalid_argument(name, e.to_string())),
        }
    }

    pub(crate) fn finish(self) -> Result<Prepared> {
        let operation = self.operation;
        if let Some(error) = self.error {
            return Err(error.in_operation(operation.name));
        }
        let mut url = self.url;
        url.push_str("?api-version=");
        let api_version = operation
            .api_version
            .unwrap_or_else(|| self.client.api_version());
        url.extend(utf8_percent_encode(api_version, COMPONENT));
        url.push_str(&self.query);
        let url = reqwest::Url::parse(&url).map_err(|e| {
            Error::with_source(
                ErrorKind::InvalidArgument {
                    parameter: Cow::Borrowed("url"),
                    reason: Cow::Borrowed("the request URL is not valid"),
                },
                e,
            )
            .in_operation(operation.name)
        })?;
        Ok(Prepared {
            operation,
            url,
            headers: self.headers,
            body: self.body,
        })
    }
}

/// Sends the request and ignores the body of the answer.
pub fn send_empty(request: RequestBuilder<'_>) -> impl Future<Output = Result<()>> + Send + '_ {
    let response = send_response_empty(request);
    async move { response.await.map(|_| ()) }
}

/// Sends the request and decodes the answer's JSON body as `T` with `decode`. (The future
/// borrows the client: edition 2024 captures the lifetime without a `+ '_`, which would
/// also require `T` to outlive it.)
pub fn send_json<T>(
    request: RequestBuilder<'_>,
    decode: Decode<T>,
) -> impl Future<Output = Result<T>> + Send {
    let response = send_response_json(request, decode);
    async move { response.await.map(Response::into_model) }
}

/// Sends the request and returns status and headers with an ignored body.
pub fn send_response_empty(
    request: RequestBuilder<'_>,
) -> impl Future<Output = Result<Response<()>>> + Send + '_ {
    let client = request.client;
    let prepared = request.finish();
    async move {
        let response = client.execute(prepared?).await?;
        Ok(Response::new(response.status, response.headers, ()))
    }
}

/// Sends the request and returns status and headers with the body decoded as `T` with
/// `decode`.
pub fn send_response_json<T>(
    request: RequestBuilder<'_>,
    decode: Decode<T>,
) -> impl Future<Output = Result<Response<T>>> + Send {
    let client = request.client;
    let prepared = request.finish();
    async move {
        let prepared = prepared?;
        let operation = prepared.operation.name;
        let response = client.execute(prepared).await?;
        let model = decode_with(decode, operation, &response.body)?;
        Ok(Response::new(response.status, response.headers, model))
    }
}

/// Decodes a success body, naming the operation in the error.
pub(crate) fn decode_with<T>(decode: Decode<T>, operation: &'static str, body: &[u8]) -> Result<T> {
    decode(body).map_err(|e| Error::with_source(ErrorKind::Decode, e).in_operation(operation))
}

/// A list operation: the first request now, later pages as the caller asks for them.
pub fn send_paged<T: ResponseBody + Send + 'static>(request: RequestBuilder<'_>) -> Pager<T> {
    let client = request.client.clone();
    Pager::new(client, request.finish())
}
