//! Lenient parsing of error responses: ARM's common shape `{"error":{code,message,target,
//! details}}`, APIM's older top-level `{code,message,details}`, and bodies that are empty,
//! not JSON, or JSON of another shape. Parsing never fails; it finds what it can.

use reqwest::header::HeaderMap;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{ErrorDetail, MAX_SERVER_TEXT, ServiceError, truncated};
use crate::rate_limit::RateLimit;

/// One error object: ARM's nested `error`, APIM's older top level, or an entry of
/// `details`. Read from serde_json's `Value` tree by hand, not by a derived `Deserialize`:
/// the same few lines for every shape, and fields of the wrong type read as absent.
#[derive(Default)]
struct Body {
    code: Option<String>,
    message: Option<String>,
    target: Option<String>,
    details: Vec<Body>,
}

impl Body {
    /// ARM's nested error counts when it says something.
    fn says_something(&self) -> bool {
        self.code.is_some() || self.message.is_some()
    }

    /// The top level: ARM's nested `error` when it says something, else the object itself.
    fn top(mut object: Map<String, Value>) -> Body {
        if let Some(Value::Object(inner)) = object.remove("error") {
            let inner = Body::read(inner);
            if inner.says_something() {
                return inner;
            }
        }
        Body::read(object)
    }

    /// An object's own fields; `details` entries that are not objects are left out.
    fn read(mut object: Map<String, Value>) -> Body {
        let details = match object.remove("details") {
            Some(Value::Array(items)) => items
                .into_iter()
                .filter_map(|item| match item {
                    Value::Object(entry) => Some(Body::read(entry)),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        Body {
            code: text(object.remove("code")),
            message: text(object.remove("message")),
            target: text(object.remove("target")),
            details,
        }
    }
}

/// A string, a number or a boolean as text; anything else is treated as absent.
fn text(value: Option<Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The error without its `details`, for a body the tree cannot hold: `details` nested
/// deeper than serde_json's recursion limit (128) must not cost the error its code and
/// message. Unknown fields, `details` among them, are skipped by `IgnoredAny`, which does
/// not recurse.
#[derive(Deserialize)]
struct Shallow {
    #[serde(default)]
    error: Option<Box<Shallow>>,
    #[serde(default, deserialize_with = "lenient_string")]
    code: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    message: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    target: Option<String>,
}

impl Shallow {
    /// As [`Body::top`] reads the tree: the nested `error`'s own fields when they say
    /// something (one level, not the nested error's own `error`), else the top level's.
    fn into_body(mut self) -> Body {
        match self.error.take().map(|inner| inner.fields()) {
            Some(inner) if inner.says_something() => inner,
            _ => self.fields(),
        }
    }

    fn fields(self) -> Body {
        Body {
            code: self.code,
            message: self.message,
            target: self.target,
            details: Vec::new(),
        }
    }
}

fn lenient_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(text(Some(Value::deserialize(d)?)))
}

impl From<Body> for ErrorDetail {
    fn from(body: Body) -> Self {
        ErrorDetail {
            code: body.code,
            message: body.message,
            target: body.target,
            details: body.details.into_iter().map(Into::into).collect(),
        }
    }
}

/// Builds the error for a response with an unexpected status.
pub(crate) fn parse(status: u16, headers: &HeaderMap, body: &[u8]) -> ServiceError {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let parsed = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(object)) => Some(Body::top(object)),
        Ok(_) => None,
        Err(_) => serde_json::from_slice::<Shallow>(body)
            .ok()
            .map(Shallow::into_body),
    };
    let body = ErrorDetail::from(parsed.unwrap_or_else(|| Body {
        message: text_message(body),
        ..Body::default()
    }));
    ServiceError {
        status,
        code: body.code.or_else(|| header("x-ms-error-code")),
        message: body.message,
        target: body.target,
        details: body.details,
        request_id: header("x-ms-request-id"),
        rate_limit: RateLimit::from_headers(headers),
    }
}

/// A short, printable prefix of a non-JSON body (an HTML error page from a proxy, say).
fn text_message(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let (kept, cut) = truncated(text, MAX_SERVER_TEXT);
    let suffix = if cut { "…" } else { "" };
    Some(format!("{kept}{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers() -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-ms-request-id", HeaderValue::from_static("req-1"));
        h
    }

    #[test]
    fn arm_shape() {
        let body = br#"{"error":{"code":"ResourceNotFound","message":"Backend not found.","target":"backendId","details":[{"code":"Inner","message":"m"}]}}"#;
        let e = parse(404, &headers(), body);
        assert_eq!(e.status, 404);
        assert_eq!(e.code.as_deref(), Some("ResourceNotFound"));
        assert_eq!(e.message.as_deref(), Some("Backend not found."));
        assert_eq!(e.target.as_deref(), Some("backendId"));
        assert_eq!(e.details.len(), 1);
        assert_eq!(e.details[0].code.as_deref(), Some("Inner"));
        assert_eq!(e.request_id.as_deref(), Some("req-1"));
    }

    #[test]
    fn apim_top_level_shape() {
        let body = br#"{"code":"ValidationError","message":"One or more fields contain incorrect values:","details":[{"code":"ValidationError","target":"after","message":"bad"}]}"#;
        let e = parse(400, &HeaderMap::new(), body);
        assert_eq!(e.code.as_deref(), Some("ValidationError"));
        assert_eq!(e.details[0].target.as_deref(), Some("after"));
        assert_eq!(e.request_id, None);
    }

    #[test]
    fn empty_and_text_bodies() {
        let e = parse(503, &headers(), b"");
        assert_eq!((e.code, e.message), (None, None));
        let e = parse(502, &headers(), b"<html>Bad Gateway</html>");
        assert_eq!(e.message.as_deref(), Some("<html>Bad Gateway</html>"));
        let long = "é".repeat(1000);
        let e = parse(500, &headers(), long.as_bytes());
        assert!(e.message.unwrap().chars().count() <= MAX_SERVER_TEXT / 2 + 1);
    }

    #[test]
    fn wrong_types_are_tolerated() {
        let e = parse(
            409,
            &headers(),
            br#"{"error":{"code":42,"message":["x"],"details":"no"}}"#,
        );
        assert_eq!(e.code.as_deref(), Some("42"));
        assert_eq!(e.message, None);
        assert!(e.details.is_empty());
        let e = parse(409, &headers(), br#"[1,2,3]"#);
        assert_eq!(e.code, None);
    }

    #[test]
    fn code_header_fallback() {
        let mut h = headers();
        h.insert("x-ms-error-code", HeaderValue::from_static("Conflict"));
        let e = parse(409, &h, b"");
        assert_eq!(e.code.as_deref(), Some("Conflict"));
    }

    /// `{"code":..,"message":..,"details":[{"details":[...]}]}`, `depth` levels deep.
    fn nested_details(depth: usize) -> String {
        let open = r#"{"code":"Inner","details":["#.repeat(depth);
        let close = "]}".repeat(depth);
        format!(
            r#"{{"error":{{"code":"Deep","message":"top message","details":[{open}{close}]}}}}"#
        )
    }

    #[test]
    fn deeply_nested_details_keep_code_and_message() {
        for depth in [10, 200, 100_000] {
            let e = parse(400, &headers(), nested_details(depth).as_bytes());
            assert_eq!(e.code.as_deref(), Some("Deep"), "depth {depth}");
            assert_eq!(e.message.as_deref(), Some("top message"), "depth {depth}");
        }
        let top_level = format!(
            r#"{{"code":"Deep","message":"m","details":[{}{}]}}"#,
            r#"{"details":["#.repeat(300),
            "]}".repeat(300)
        );
        let e = parse(400, &headers(), top_level.as_bytes());
        assert_eq!(
            (e.code.as_deref(), e.message.as_deref()),
            (Some("Deep"), Some("m"))
        );
    }

    #[test]
    fn only_one_level_of_nested_error_is_read_whatever_the_depth() {
        for depth in [1, 300] {
            let body = format!(
                r#"{{"error":{{"code":"Outer","message":"m","error":{{"code":"Deeper"}},"details":[{}{}]}}}}"#,
                r#"{"details":["#.repeat(depth),
                "]}".repeat(depth)
            );
            let e = parse(400, &headers(), body.as_bytes());
            assert_eq!(e.code.as_deref(), Some("Outer"), "depth {depth}");
        }
    }

    mod properties {
        use super::super::parse;
        use proptest::prelude::*;
        use reqwest::header::HeaderMap;

        /// JSON-ish text: fragments of the error shapes, shuffled and cut anywhere.
        fn jsonish() -> impl Strategy<Value = Vec<u8>> {
            let piece = prop_oneof![
                Just("{".to_owned()),
                Just("}".to_owned()),
                Just("[".to_owned()),
                Just("]".to_owned()),
                Just("\"error\":".to_owned()),
                Just("\"code\":".to_owned()),
                Just("\"message\":".to_owned()),
                Just("\"details\":".to_owned()),
                Just("\"target\":".to_owned()),
                Just(",".to_owned()),
                Just("null".to_owned()),
                Just("1e999".to_owned()),
                Just("\"\\ud800\"".to_owned()),
                "\"[^\"]{0,8}\"",
                "-?[0-9]{1,30}",
            ];
            prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat().into_bytes())
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

            #[test]
            fn any_bytes_give_an_error_never_a_panic(body in prop::collection::vec(any::<u8>(), 0..600), status in 100u16..600) {
                let error = parse(status, &HeaderMap::new(), &body);
                prop_assert_eq!(error.status, status);
                if let Some(message) = &error.message {
                    prop_assert!(message.chars().count() <= crate::error::MAX_SERVER_TEXT + 1);
                }
            }

            #[test]
            fn any_jsonish_text_gives_an_error_never_a_panic(body in jsonish()) {
                let error = parse(500, &HeaderMap::new(), &body);
                prop_assert_eq!(error.status, 500);
            }
        }
    }
}
