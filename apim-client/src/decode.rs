//! Decoding success bodies into the declared model type.

use std::borrow::Cow;

use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorKind, Result};
use crate::lenient_json;

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

/// How [`send_json`](crate::send::send_json) and
/// [`send_response_json`](crate::send::send_response_json) decode the body.
pub type Decode<T> = fn(&[u8]) -> serde_json::Result<T>;

/// The decoder of `T`, which the generated method passes to
/// [`send_json`](crate::send::send_json) and
/// [`send_response_json`](crate::send::send_response_json). They need no bound of their own, so a model that is not
/// `DeserializeOwned` is reported once, here, not again where the returned future is
/// checked.
pub fn decoder<T: ResponseBody>() -> Decode<T> {
    |body| lenient_json::from_slice(body)
}

/// The decoder of a long-running operation's final resource: `T`'s JSON, except that
/// `Poller<()>` ignores whatever body the final answer has (often none, sometimes the
/// deleted resource), and an empty final body (a DELETE's 204) reads as `null`, as the
/// Azure SDKs read it as "no resource": `Poller<Option<T>>` gives `None`,
/// `Poller<serde_json::Value>` gives `Value::Null`.
pub(crate) fn final_decoder<T: ResponseBody + 'static>() -> Decode<T> {
    if std::any::TypeId::of::<T>() == std::any::TypeId::of::<()>() {
        // `()` is read from `null` whatever the body says.
        |_| lenient_json::from_slice(b"null")
    } else {
        |body| {
            let blank = body.iter().all(u8::is_ascii_whitespace);
            // No body is no resource: read strictly, so only an optional type accepts it
            // (the lenient `null`-as-default rule is for values inside a body).
            if blank {
                serde_json::from_slice(b"null")
            } else {
                lenient_json::from_slice(body)
            }
        }
    }
}

/// Decodes a success body, naming the operation in the error.
pub(crate) fn decode_with<T>(decode: Decode<T>, operation: &str, body: &[u8]) -> Result<T> {
    decode(body).map_err(|e| {
        Error::with_source(ErrorKind::Decode, e).in_operation(Cow::Owned(operation.to_owned()))
    })
}

#[cfg(test)]
mod tests {
    use super::final_decoder;

    #[test]
    fn an_empty_final_body_is_null_and_unit_ignores_any_body() {
        let value = final_decoder::<serde_json::Value>();
        assert_eq!(value(b"").unwrap(), serde_json::Value::Null);
        assert_eq!(value(b" \r\n").unwrap(), serde_json::Value::Null);
        assert_eq!(value(br#"{"a":1}"#).unwrap()["a"], 1);
        assert_eq!(final_decoder::<Option<u8>>()(b"").unwrap(), None);
        assert!(
            final_decoder::<u8>()(b"").is_err(),
            "a resource was expected"
        );
        final_decoder::<()>()(br#"{"deleted":true}"#).unwrap();
    }
}
