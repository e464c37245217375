//! How the generated models read a response: serde_json parses the body into a
//! [`Value`] tree (the same code for every model), and each model takes its fields out of
//! the tree with a few shared functions ([`FromWire`]). A derived `Deserialize` would
//! carry a field visitor, a map loop and a sequence loop per struct, instantiated again
//! for every deserializer: about a fifth of the crate's build (BENCHMARKS.md §3c). A
//! model's `Deserialize` is one line calling [`deserialize`], so models still read from
//! any serde deserializer and nest in users' own derived types.
//!
//! The lenient rules are the same as [`crate::lenient_json`]'s, applied here by type:
//! unknown members ignored; `null` or absent reads as `None` for an optional field and as
//! the default (`""`, `0`, `false`, empty) for a required string, number, boolean, list,
//! map or object; `null` items of lists and values of maps are left out; a number
//! written as a string reads as the number. A required date-time, duration, enum or model
//! the answer omits is an error naming the field.

#![allow(
    dead_code,
    reason = "each reader is used by the generated models of some features, not of all"
)]

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use time::OffsetDateTime;

/// Why a value did not read as its model, with the path to it (`properties.apiType`).
#[derive(Debug)]
pub(crate) struct WireError {
    path: Vec<String>,
    message: String,
}

impl WireError {
    fn new(message: String) -> Self {
        WireError {
            path: Vec::new(),
            message,
        }
    }

    fn expected(what: &str, found: &Value) -> Self {
        let kind = match found {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "a list",
            Value::Object(_) => "an object",
        };
        WireError::new(format!("expected {what}, found {kind}"))
    }

    fn at(mut self, step: impl fmt::Display) -> Self {
        self.path.push(step.to_string());
        self
    }
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.path.is_empty() {
            for (i, step) in self.path.iter().rev().enumerate() {
                if i > 0 && !step.starts_with('[') {
                    f.write_str(".")?;
                }
                f.write_str(step)?;
            }
            f.write_str(": ")?;
        }
        f.write_str(&self.message)
    }
}

pub(crate) type WireResult<T> = Result<T, WireError>;

/// A value read from a JSON tree with the lenient rules.
pub(crate) trait FromWire: Sized {
    fn from_wire(value: Value) -> WireResult<Self>;
}

/// A model's `Deserialize`: the tree first (shared by every model), then the model.
pub(crate) fn deserialize<'de, D: Deserializer<'de>, T: FromWire>(d: D) -> Result<T, D::Error> {
    let value = Value::deserialize(d)?;
    T::from_wire(value).map_err(serde::de::Error::custom)
}

/// The members of an object being read into a model. The readers return a value in any
/// case and keep the first error for [`Object::finish`]: a struct literal of reads with
/// no `?` in it, so no early return has to drop the fields read so far (that drop code,
/// per field per struct, is most of what a literal of `?`s costs to compile).
pub(crate) struct Object {
    members: Map<String, Value>,
    error: Option<WireError>,
}

impl Object {
    /// `null` reads as an object with no members (every field absent).
    pub(crate) fn new(value: Value) -> WireResult<Self> {
        let members = match value {
            Value::Object(map) => map,
            Value::Null => Map::new(),
            other => return Err(WireError::expected("an object", &other)),
        };
        Ok(Object {
            members,
            error: None,
        })
    }

    fn fail(&mut self, error: WireError) {
        self.error.get_or_insert(error);
    }

    /// An optional field: absent or `null` is `None`.
    pub(crate) fn optional<T: FromWire>(&mut self, key: &str) -> Option<T> {
        let value = self.members.remove(key).filter(|value| !value.is_null())?;
        match T::from_wire(value) {
            Ok(value) => Some(value),
            Err(error) => {
                self.fail(error.at(key));
                None
            }
        }
    }

    /// A required field with a default: absent or `null` reads as the default.
    pub(crate) fn or_default<T: FromWire + Default>(&mut self, key: &str) -> T {
        self.optional(key).unwrap_or_default()
    }

    /// A required field without a default: absent is an error (the value returned then
    /// is never seen: [`Object::finish`] gives the error); `null` reads as the type reads
    /// it (an object with no members for a model).
    pub(crate) fn required<T: FromWire + Default>(&mut self, key: &str) -> T {
        let Some(value) = self.members.remove(key) else {
            self.fail(WireError::new(format!("missing field `{key}`")));
            return T::default();
        };
        match T::from_wire(value) {
            Ok(value) => value,
            Err(error) => {
                self.fail(error.at(key));
                T::default()
            }
        }
    }

    /// A required field of a type with no default (a date-time, an enum, a model without
    /// one), in a struct that has none either: the caller returns early on an error.
    pub(crate) fn required_or_fail<T: FromWire>(&mut self, key: &str) -> WireResult<T> {
        match self.members.remove(key) {
            Some(value) => T::from_wire(value).map_err(|e| e.at(key)),
            None => Err(WireError::new(format!("missing field `{key}`"))),
        }
    }

    /// The struct read, or the first error met reading it.
    pub(crate) fn finish<T>(self, read: T) -> WireResult<T> {
        match self.error {
            None => Ok(read),
            Some(error) => Err(error),
        }
    }
}

impl FromWire for String {
    fn from_wire(value: Value) -> WireResult<Self> {
        match value {
            Value::String(text) => Ok(text),
            Value::Null => Ok(String::new()),
            other => Err(WireError::expected("a string", &other)),
        }
    }
}

impl FromWire for bool {
    fn from_wire(value: Value) -> WireResult<Self> {
        match value {
            Value::Bool(flag) => Ok(flag),
            Value::Null => Ok(false),
            other => Err(WireError::expected("a boolean", &other)),
        }
    }
}

impl FromWire for i64 {
    fn from_wire(value: Value) -> WireResult<Self> {
        let number = match &value {
            Value::Number(number) => number.as_i64(),
            // A number written as a string.
            Value::String(text) => text.trim().parse().ok(),
            Value::Null => Some(0),
            _ => None,
        };
        number.ok_or_else(|| WireError::expected("an integer", &value))
    }
}

/// An `int32` of the description: out of range is an error, not a wrapped value.
impl FromWire for i32 {
    fn from_wire(value: Value) -> WireResult<Self> {
        let wide = i64::from_wire(value)?;
        i32::try_from(wide)
            .map_err(|_| WireError::new(format!("expected a 32-bit integer, found {wide}")))
    }
}

impl FromWire for f64 {
    fn from_wire(value: Value) -> WireResult<Self> {
        let number = match &value {
            Value::Number(number) => number.as_f64(),
            Value::String(text) => text.trim().parse().ok().filter(|n: &f64| n.is_finite()),
            Value::Null => Some(0.0),
            _ => None,
        };
        number.ok_or_else(|| WireError::expected("a number", &value))
    }
}

impl FromWire for Value {
    fn from_wire(value: Value) -> WireResult<Self> {
        Ok(value)
    }
}

impl FromWire for OffsetDateTime {
    fn from_wire(value: Value) -> WireResult<Self> {
        match value {
            Value::String(text) => crate::datetime::parse(&text).map_err(WireError::new),
            other => Err(WireError::expected("a date-time", &other)),
        }
    }
}

impl FromWire for Duration {
    fn from_wire(value: Value) -> WireResult<Self> {
        match value {
            Value::String(text) => crate::duration::parse(&text).map_err(WireError::new),
            other => Err(WireError::expected("an ISO 8601 duration", &other)),
        }
    }
}

/// A list: `null` is empty, `null` items are left out.
impl<T: FromWire> FromWire for Vec<T> {
    fn from_wire(value: Value) -> WireResult<Self> {
        match value {
            Value::Array(items) => items
                .into_iter()
                .enumerate()
                .filter(|(_, item)| !item.is_null())
                .map(|(i, item)| T::from_wire(item).map_err(|e| e.at(format_args!("[{i}]"))))
                .collect(),
            Value::Null => Ok(Vec::new()),
            other => Err(WireError::expected("a list", &other)),
        }
    }
}

/// A map: `null` is empty, entries whose value is `null` are left out.
impl<T: FromWire> FromWire for BTreeMap<String, T> {
    fn from_wire(value: Value) -> WireResult<Self> {
        match value {
            Value::Object(entries) => entries
                .into_iter()
                .filter(|(_, item)| !item.is_null())
                .map(|(key, item)| match T::from_wire(item) {
                    Ok(item) => Ok((key, item)),
                    Err(e) => Err(e.at(key)),
                })
                .collect(),
            Value::Null => Ok(BTreeMap::new()),
            other => Err(WireError::expected("an object", &other)),
        }
    }
}

/// An open enum: any string; `null` where one is required reads as the empty string, as
/// the lenient decoder reads it. Generic only in the last step, so the 80-odd enums share
/// one body ([`String::from_wire`]) instead of a copy each.
#[inline]
pub(crate) fn open_enum<T: From<String>>(value: Value) -> WireResult<T> {
    String::from_wire(value).map(T::from)
}

/// `FromWire` and a one-line `Deserialize`, `ToWire` and a one-line `Serialize`
/// (`super::write`), for a hand-written model, the way the generator writes them for the
/// generated ones: each field names its reader ([`Object::optional`],
/// [`Object::or_default`] or [`Object::required`]) and its wire name, in declaration
/// order, the order it is written in.
///
/// ```ignore
/// wire_struct!(BackendPoolItem { id: required "id", weight: optional "weight" });
/// ```
macro_rules! wire_struct {
    ($name:ident { $($field:ident: $reader:ident $key:literal),* $(,)? }) => {
        impl $crate::models::wire::FromWire for $name {
            // As on the generated ones: compiled to machine code only where a call reads it.
            #[inline]
            fn from_wire(
                value: ::serde_json::Value,
            ) -> $crate::models::wire::WireResult<Self> {
                let mut object = $crate::models::wire::Object::new(value)?;
                let read = Self { $($field: object.$reader($key),)* };
                object.finish(read)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                d: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::models::wire::deserialize(d)
            }
        }

        impl $crate::models::write::ToWire for $name {
            #[inline]
            fn to_wire(&self) -> $crate::models::write::Written<'_> {
                let mut members = $crate::models::write::Members::with_capacity(
                    [$($key),*].len(),
                );
                $($crate::models::wire::write_member!($reader, members, $key, &self.$field);)*
                members.finish()
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                s: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::models::write::serialize(self, s)
            }
        }
    };
}
pub(crate) use wire_struct;

/// How [`wire_struct!`] writes a field: one read with `optional` is left out when `None`,
/// any other is always written (the `skip_serializing_if = "Option::is_none"` of a derive).
macro_rules! write_member {
    (optional, $members:ident, $key:literal, $value:expr) => {
        $members.optional($key, $value)
    };
    ($reader:ident, $members:ident, $key:literal, $value:expr) => {
        $members.required($key, $value)
    };
}
pub(crate) use write_member;

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[derive(Debug, Default, PartialEq)]
    struct Sample {
        name: String,
        count: i64,
        ratio: Option<f64>,
        tags: Vec<String>,
        settings: BTreeMap<String, String>,
        nested: Option<Box<Sample>>,
        at: Option<OffsetDateTime>,
    }

    impl FromWire for Sample {
        fn from_wire(value: Value) -> WireResult<Self> {
            let mut object = Object::new(value)?;
            let read = Sample {
                name: object.or_default("name"),
                count: object.or_default("count"),
                ratio: object.optional("ratio"),
                tags: object.or_default("tags"),
                settings: object.or_default("settings"),
                nested: object.optional::<Sample>("nested").map(Box::new),
                at: object.optional("at"),
            };
            object.finish(read)
        }
    }

    fn read(value: Value) -> WireResult<Sample> {
        Sample::from_wire(value)
    }

    #[test]
    fn the_lenient_rules_hold() {
        let sample = read(json!({
            "name": null, "count": "42", "ratio": "0.5", "tags": [null, "a"],
            "settings": {"a": null, "b": "x"}, "unknown": 1,
            "nested": null, "at": "2024-05-01T12:34:56.1234567"
        }))
        .unwrap();
        assert_eq!(sample.name, "");
        assert_eq!(sample.count, 42);
        assert_eq!(sample.ratio, Some(0.5));
        assert_eq!(sample.tags, ["a"]);
        assert_eq!(sample.settings, BTreeMap::from([("b".into(), "x".into())]));
        assert_eq!(sample.nested, None);
        assert!(sample.at.is_some());
        assert_eq!(read(json!(null)).unwrap(), Sample::default());
    }

    #[test]
    fn an_error_names_the_path_to_the_value() {
        let error = read(json!({"nested": {"tags": ["a", 5]}})).unwrap_err();
        assert_eq!(
            error.to_string(),
            "nested.tags[1]: expected a string, found a number"
        );
        let error = read(json!({"count": "many"})).unwrap_err();
        assert_eq!(
            error.to_string(),
            "count: expected an integer, found a string"
        );
        let mut object = Object::new(json!({})).unwrap();
        let id: String = object.required("id");
        assert_eq!(
            object.finish(id).unwrap_err().to_string(),
            "missing field `id`"
        );
    }

    #[test]
    fn an_int32_out_of_range_is_an_error() {
        assert_eq!(i32::from_wire(json!("-7")).unwrap(), -7);
        let error = i32::from_wire(json!(4_294_967_296_i64)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "expected a 32-bit integer, found 4294967296"
        );
    }
}
