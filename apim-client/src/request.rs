//! Building one request: the operation's facts ([`Operation`]), the generated method's
//! steps ([`RequestBuilder`]) and the result ([`Prepared`]), which each attempt turns into a
//! `reqwest::Request`.
//!
//! A refused argument is remembered and reported when the request is sent, so generated
//! code has no branches of its own.

use std::borrow::Cow;

use apim_wire::headers;
use bytes::Bytes;
use percent_encoding::utf8_percent_encode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;

use crate::client::ApimClient;
use crate::encoding::COMPONENT;
use crate::error::{Error, ErrorKind, Result};
use crate::rules;

/// What the macro knows about an operation, as a `const` in the generated method.
#[derive(Debug)]
pub struct Operation {
    pub(crate) name: &'static str,
    pub(crate) method: Method,
    pub(crate) success: &'static [u16],
    pub(crate) api_version: Option<&'static str>,
    /// The `Accept` value, when not `application/json`.
    pub(crate) accept: Option<&'static str>,
}

impl Operation {
    /// The operation `name` (for errors and logs), its method, the success codes of its
    /// answer (empty: any 2xx) and the api-version it pins, if any.
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
            accept: None,
        }
    }

    /// The same operation asking for `accept` (a media-type list the macro has checked)
    /// instead of `application/json`.
    pub const fn accepting(self, accept: &'static str) -> Self {
        Operation {
            accept: Some(accept),
            ..self
        }
    }
}

pub use apim_wire::Method;

fn as_reqwest(method: Method) -> reqwest::Method {
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
    label = "declare this argument as `&str`, `String`, an integer, `bool` or one of the API's enums",
    note = "`#[apim_operation]` sends path, query and header values as text: take one of these types and convert the value before the call, e.g. `&id.to_string()`"
)]
pub trait ParamValue {
    /// The value as text, before encoding.
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
    /// The JSON bytes sent.
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
    /// The operation's name, for errors and logs.
    pub(crate) name: Cow<'static, str>,
    /// The statuses that are an answer rather than an error; empty: any 2xx.
    pub(crate) success: &'static [u16],
    pub(crate) method: Method,
    pub(crate) url: reqwest::Url,
    /// Only the declared header arguments; the client's own are added per attempt.
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Bytes>,
}

impl Prepared {
    /// A GET of `url` in the name of operation `name`, accepting `success`: how a
    /// long-running operation is polled.
    pub(crate) fn get(name: Cow<'static, str>, url: reqwest::Url, success: &'static [u16]) -> Self {
        Prepared {
            name,
            success,
            method: Method::Get,
            url,
            headers: HeaderMap::new(),
            body: None,
        }
    }

    /// Whether `status` is an answer (the declared codes, or any 2xx when none were
    /// declared) rather than an error.
    pub(crate) fn accepts(&self, status: u16) -> bool {
        if self.success.is_empty() {
            (200..300).contains(&status)
        } else {
            self.success.contains(&status)
        }
    }

    /// A later page of a list: a GET of `url` with the declared headers and no body, as
    /// the Azure SDKs follow `nextLink` whatever the first request's method was.
    pub(crate) fn for_link(&self, url: reqwest::Url) -> Prepared {
        Prepared {
            name: self.name.clone(),
            success: self.success,
            method: Method::Get,
            url,
            headers: self.headers.clone(),
            body: None,
        }
    }

    /// The HTTP request one attempt sends: the declared headers plus the client's own, each
    /// a name from [`apim_wire::headers`] (which declarations may therefore not use).
    pub(crate) fn to_http(
        &self,
        authorization: &HeaderValue,
        client_request_id: &HeaderValue,
    ) -> reqwest::Request {
        let mut request = reqwest::Request::new(as_reqwest(self.method), self.url.clone());
        let sent = request.headers_mut();
        sent.clone_from(&self.headers);
        sent.insert(
            HeaderName::from_static(headers::AUTHORIZATION),
            authorization.clone(),
        );
        // An operation declared with its own `accept` has it among the prepared headers.
        sent.entry(HeaderName::from_static(headers::ACCEPT))
            .or_insert(HeaderValue::from_static("application/json"));
        sent.insert(
            HeaderName::from_static(headers::CLIENT_REQUEST_ID),
            client_request_id.clone(),
        );
        match &self.body {
            Some(body) => {
                sent.insert(
                    HeaderName::from_static(headers::CONTENT_TYPE),
                    HeaderValue::from_static("application/json"),
                );
                *request.body_mut() = Some(body.clone().into());
            }
            // ARM answers a POST without Content-Length with 411 Length Required.
            None if self.method.carries_body() => {
                sent.insert(
                    HeaderName::from_static(headers::CONTENT_LENGTH),
                    HeaderValue::from_static("0"),
                );
            }
            None => {}
        }
        request
    }
}

impl<'c> RequestBuilder<'c> {
    /// Starts the request of `operation` on `client`, at the client's endpoint.
    pub fn new(client: &'c ApimClient, operation: &'static Operation) -> Self {
        let base = client.endpoint();
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
            // `Content-Type` goes with the body when the request is made (`to_http`).
            Ok(json) => self.body = Some(Bytes::from(json)),
            Err(e) => self.fail(Error::invalid_argument(name, e.to_string())),
        }
    }

    /// The client this request goes out on.
    pub(crate) fn client(&self) -> &'c ApimClient {
        self.client
    }

    /// The request, or the first argument that was refused.
    pub(crate) fn finish(self) -> Result<Prepared> {
        let operation = self.operation;
        if let Some(error) = self.error {
            return Err(error.in_operation(operation.name));
        }
        let mut declared = self.headers;
        if let Some(accept) = operation.accept {
            let value = HeaderValue::from_str(accept).map_err(|_| {
                Error::invalid_argument(
                    "accept",
                    "the declared `Accept` value is not a valid header value",
                )
                .in_operation(operation.name)
            })?;
            declared.insert(HeaderName::from_static(headers::ACCEPT), value);
        }
        let mut url = self.url;
        url.push('?');
        url.push_str(apim_wire::query::API_VERSION);
        url.push('=');
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
            name: Cow::Borrowed(operation.name),
            success: operation.success,
            method: operation.method,
            url,
            headers: declared,
            body: self.body,
        })
    }
}
