//! How the models write themselves, the counterpart of [`super::wire`]: each model lists
//! its members in declaration order, borrowed, as a small tree ([`Written`]) through a
//! few shared functions ([`ToWire`], [`Members`]), and one `Serialize` for that tree
//! writes it to any serializer. A derived `Serialize` is a generic function per struct,
//! type-checked with every field's serializer bounds, plus a wrapper type per field
//! written with `serialize_with`: a fifth of what the models cost to compile
//! (BENCHMARKS.md §3c). A model's `Serialize` is one line calling [`serialize`], so models
//! still write to any serde serializer and nest in users' own derived types.
//!
//! The rules are the derived ones the models had: members in declaration order, an
//! optional member that is `None` left out, a required one always written; date-times as
//! RFC 3339 and durations as ISO 8601, a value neither can hold being a serialization
//! error (as before, not a panic).

#![allow(
    dead_code,
    reason = "each writer is used by the generated models of some features, not of all"
)]

use std::collections::BTreeMap;
use std::time::Duration;

use serde::ser::{Error as _, SerializeMap as _};
use serde::{Serialize, Serializer};
use serde_json::Value;
use time::OffsetDateTime;

/// A model's value as it will be written: strings and JSON borrowed from the model.
#[derive(Debug, PartialEq)]
pub(crate) enum Written<'a> {
    Bool(bool),
    I64(i64),
    F64(f64),
    Str(&'a str),
    /// A date-time or duration, formatted.
    Text(String),
    Json(&'a Value),
    List(Vec<Written<'a>>),
    /// A model's members or a map's entries, in the order they are written.
    Object(Vec<(&'a str, Written<'a>)>),
    /// A value the wire cannot hold (a date-time past year 9999, a duration finer than
    /// 100 ns): writing it is a serialization error with this message.
    Invalid(String),
}

/// A value written with the models' rules.
pub(crate) trait ToWire {
    fn to_wire(&self) -> Written<'_>;
}

/// A model's `Serialize`: the model's tree, then the tree's one `Serialize`.
pub(crate) fn serialize<S: Serializer, T: ToWire>(model: &T, s: S) -> Result<S::Ok, S::Error> {
    model.to_wire().serialize(s)
}

impl Serialize for Written<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Written::Bool(flag) => s.serialize_bool(*flag),
            Written::I64(number) => s.serialize_i64(*number),
            Written::F64(number) => s.serialize_f64(*number),
            Written::Str(text) => s.serialize_str(text),
            Written::Text(text) => s.serialize_str(text),
            Written::Json(value) => value.serialize(s),
            Written::List(items) => s.collect_seq(items),
            Written::Object(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (key, value) in members {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
            Written::Invalid(message) => Err(S::Error::custom(message)),
        }
    }
}

/// The members of a model being written, in the order they are added.
pub(crate) struct Members<'a>(Vec<(&'a str, Written<'a>)>);

impl<'a> Members<'a> {
    pub(crate) fn with_capacity(fields: usize) -> Self {
        Members(Vec::with_capacity(fields))
    }

    /// An optional member: written when it is `Some`, left out when `None`.
    pub(crate) fn optional<T: ToWire>(&mut self, key: &'a str, value: &'a Option<T>) {
        if let Some(value) = value {
            self.0.push((key, value.to_wire()));
        }
    }

    /// A required member: always written.
    pub(crate) fn required<T: ToWire>(&mut self, key: &'a str, value: &'a T) {
        self.0.push((key, value.to_wire()));
    }

    pub(crate) fn finish(self) -> Written<'a> {
        Written::Object(self.0)
    }
}

impl ToWire for String {
    fn to_wire(&self) -> Written<'_> {
        Written::Str(self)
    }
}

impl ToWire for bool {
    fn to_wire(&self) -> Written<'_> {
        Written::Bool(*self)
    }
}

impl ToWire for i64 {
    fn to_wire(&self) -> Written<'_> {
        Written::I64(*self)
    }
}

impl ToWire for i32 {
    fn to_wire(&self) -> Written<'_> {
        Written::I64(i64::from(*self))
    }
}

impl ToWire for f64 {
    fn to_wire(&self) -> Written<'_> {
        Written::F64(*self)
    }
}

impl ToWire for Value {
    fn to_wire(&self) -> Written<'_> {
        Written::Json(self)
    }
}

impl ToWire for OffsetDateTime {
    fn to_wire(&self) -> Written<'_> {
        formatted(crate::datetime::format(self))
    }
}

impl ToWire for Duration {
    fn to_wire(&self) -> Written<'_> {
        formatted(crate::duration::format(*self))
    }
}

fn formatted(text: Result<String, String>) -> Written<'static> {
    match text {
        Ok(text) => Written::Text(text),
        Err(message) => Written::Invalid(message),
    }
}

impl<T: ToWire> ToWire for Vec<T> {
    fn to_wire(&self) -> Written<'_> {
        Written::List(self.iter().map(T::to_wire).collect())
    }
}

impl<T: ToWire> ToWire for BTreeMap<String, T> {
    fn to_wire(&self) -> Written<'_> {
        Written::Object(
            self.iter()
                .map(|(key, value)| (key.as_str(), value.to_wire()))
                .collect(),
        )
    }
}

/// An open enum: its wire string. Not generic, so the 80-odd enums share this body.
pub(crate) fn open_enum(text: &str) -> Written<'_> {
    Written::Str(text)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    struct Sample {
        name: String,
        count: Option<i64>,
        ratio: f64,
        at: Option<OffsetDateTime>,
        every: Option<Duration>,
        tags: Vec<String>,
        settings: BTreeMap<String, i32>,
        extra: Value,
        nested: Option<Vec<Sample>>,
    }

    impl ToWire for Sample {
        fn to_wire(&self) -> Written<'_> {
            let mut members = Members::with_capacity(9);
            members.required("name", &self.name);
            members.optional("count", &self.count);
            members.required("ratio", &self.ratio);
            members.optional("at", &self.at);
            members.optional("every", &self.every);
            members.required("tags", &self.tags);
            members.required("settings", &self.settings);
            members.required("extra", &self.extra);
            members.optional("nested", &self.nested);
            members.finish()
        }
    }

    impl Serialize for Sample {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize(self, s)
        }
    }

    fn sample() -> Sample {
        Sample {
            name: "a".into(),
            count: None,
            ratio: 0.5,
            at: Some(crate::datetime::parse("2024-05-01T10:00:00Z").unwrap()),
            every: Some(Duration::from_secs(90)),
            tags: vec!["x".into()],
            settings: BTreeMap::from([("b".into(), 2), ("a".into(), 1)]),
            extra: json!({"z": null}),
            nested: Some(vec![Sample {
                name: String::new(),
                count: Some(-3),
                ratio: 0.0,
                at: None,
                every: None,
                tags: vec![],
                settings: BTreeMap::new(),
                extra: Value::Null,
                nested: None,
            }]),
        }
    }

    #[test]
    fn members_are_written_in_declaration_order_and_none_is_left_out() {
        let text = serde_json::to_string(&sample()).unwrap();
        assert_eq!(
            text,
            r#"{"name":"a","ratio":0.5,"at":"2024-05-01T10:00:00Z","every":"PT1M30S","tags":["x"],"settings":{"a":1,"b":2},"extra":{"z":null},"nested":[{"name":"","count":-3,"ratio":0.0,"tags":[],"settings":{},"extra":null}]}"#
        );
    }

    #[test]
    fn a_value_the_wire_cannot_hold_is_a_serialization_error() {
        let mut model = sample();
        model.every = Some(Duration::from_nanos(1));
        let err = serde_json::to_string(&model).unwrap_err();
        assert!(err.to_string().contains("finer than 100 ns"), "{err}");
        let mut model = sample();
        let offset = time::UtcOffset::from_hms(1, 0, 30).unwrap();
        model.at = model.at.map(|at| at.to_offset(offset));
        let err = serde_json::to_string(&model).unwrap_err();
        assert!(err.to_string().contains("RFC 3339"), "{err}");
    }

    #[test]
    fn non_finite_numbers_are_written_as_serde_json_writes_them() {
        let mut model = sample();
        model.ratio = f64::NAN;
        let derived = serde_json::to_value(f64::NAN).unwrap();
        assert_eq!(serde_json::to_value(&model).unwrap()["ratio"], derived);
    }
}
