//! The JSON reader every response body goes through: serde_json's, behind an adapter that
//! reads what real Azure answers write where the description says otherwise, whatever the
//! model:
//!
//! - a number written as a string (`"statusCode": "200"`) reads as the number, when the
//!   model asks for a number; a string that is not one is still an error;
//! - `null` where the model asks for a value that is not optional (a required string,
//!   number, boolean, list or object) reads as that value's default (`""`, `0`, `false`,
//!   empty), as the same field absent already does (`#[serde(default)]`).
//!
//! An adapter rather than per-field attributes: the models' derived `Deserialize` impls
//! are instantiated for one deserializer type either way, so the rule costs the size of
//! this module, not code per field (DESIGN.md §3, "Decoding is lenient").

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};

/// Reads `T` from `body` with the lenient rules.
pub(crate) fn from_slice<'de, T: de::Deserialize<'de>>(body: &'de [u8]) -> serde_json::Result<T> {
    let mut json = serde_json::Deserializer::from_slice(body);
    let value = T::deserialize(Lenient(&mut json))?;
    json.end()?;
    Ok(value)
}

/// A deserializer that applies the lenient rules to `D` and to every value inside.
struct Lenient<D>(D);

/// What a `null` reads as where the model asks for a value.
#[derive(Clone, Copy)]
enum NullAs {
    Str,
    Bool,
    Number,
    Seq,
    Map,
}

/// Wraps a visitor: nested maps, lists, options and newtypes stay lenient; `null` reads as
/// `default` when there is one; a string reads as a number when `numbers` is set.
struct Wrap<V> {
    visitor: V,
    null: Option<NullAs>,
    numbers: bool,
}

impl<V> Wrap<V> {
    fn plain(visitor: V) -> Self {
        Wrap {
            visitor,
            null: None,
            numbers: false,
        }
    }

    fn null_as(visitor: V, default: NullAs) -> Self {
        Wrap {
            visitor,
            null: Some(default),
            numbers: false,
        }
    }

    fn number(visitor: V) -> Self {
        Wrap {
            visitor,
            null: Some(NullAs::Number),
            numbers: true,
        }
    }
}

macro_rules! forward_plain {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method(Wrap::plain(visitor))
        }
    )*};
}

macro_rules! number {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.deserialize_any(Wrap::number(visitor))
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Lenient<D> {
    type Error = D::Error;

    forward_plain! {
        deserialize_any deserialize_char deserialize_bytes deserialize_byte_buf
        deserialize_unit deserialize_identifier deserialize_ignored_any
    }

    number! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(Wrap::null_as(visitor, NullAs::Bool))
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(Wrap::null_as(visitor, NullAs::Str))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(Wrap::null_as(visitor, NullAs::Str))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_option(Wrap::plain(visitor))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, Wrap::plain(visitor))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_newtype_struct(name, Wrap::plain(visitor))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(Wrap::null_as(visitor, NullAs::Seq))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, Wrap::plain(visitor))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_tuple_struct(name, len, Wrap::plain(visitor))
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(Wrap::null_as(visitor, NullAs::Map))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        // serde_json reads a struct as a map (or, rarely, a list) either way.
        self.0.deserialize_any(Wrap::null_as(visitor, NullAs::Map))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0
            .deserialize_enum(name, variants, Wrap::plain(visitor))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// An empty list or map, for a `null` read as its default.
struct Empty;

impl<'de> SeqAccess<'de> for Empty {
    type Error = de::value::Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        _: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        Ok(None)
    }
}

impl<'de> MapAccess<'de> for Empty {
    type Error = de::value::Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        _: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        Ok(None)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("an empty map has no value"))
    }
}

/// Re-raises an error of the empty access as the caller's error type.
fn rethrow<T, E: de::Error>(result: Result<T, de::value::Error>) -> Result<T, E> {
    result.map_err(E::custom)
}

/// Parses a number written as a string and hands it to `visitor` as the number.
fn number_from_str<'de, V: Visitor<'de>, E: de::Error>(
    visitor: V,
    text: &str,
) -> Result<V::Value, E> {
    let text = text.trim();
    if let Ok(n) = text.parse::<u64>() {
        visitor.visit_u64(n)
    } else if let Ok(n) = text.parse::<i64>() {
        visitor.visit_i64(n)
    } else if let Some(n) = text.parse::<f64>().ok().filter(|n| n.is_finite()) {
        visitor.visit_f64(n)
    } else {
        Err(de::Error::invalid_type(de::Unexpected::Str(text), &visitor))
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        self.visitor.visit_bool(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        self.visitor.visit_i64(v)
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<V::Value, E> {
        self.visitor.visit_i128(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        self.visitor.visit_u64(v)
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<V::Value, E> {
        self.visitor.visit_u128(v)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Value, E> {
        self.visitor.visit_f64(v)
    }
    fn visit_char<E: de::Error>(self, v: char) -> Result<V::Value, E> {
        self.visitor.visit_char(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        if self.numbers {
            number_from_str(self.visitor, v)
        } else {
            self.visitor.visit_str(v)
        }
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        if self.numbers {
            number_from_str(self.visitor, v)
        } else {
            self.visitor.visit_borrowed_str(v)
        }
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        if self.numbers {
            number_from_str(self.visitor, &v)
        } else {
            self.visitor.visit_string(v)
        }
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<V::Value, E> {
        self.visitor.visit_bytes(v)
    }
    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<V::Value, E> {
        self.visitor.visit_borrowed_bytes(v)
    }
    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<V::Value, E> {
        self.visitor.visit_byte_buf(v)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_some(Lenient(d))
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_newtype_struct(Lenient(d))
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        match self.null {
            None => self.visitor.visit_unit(),
            Some(NullAs::Str) => self.visitor.visit_str(""),
            Some(NullAs::Bool) => self.visitor.visit_bool(false),
            Some(NullAs::Number) => self.visitor.visit_u64(0),
            Some(NullAs::Seq) => rethrow(self.visitor.visit_seq(Empty)),
            Some(NullAs::Map) => rethrow(self.visitor.visit_map(Empty)),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_seq(Lenient(seq))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_map(Lenient(map))
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        // Enum payloads (no model has one that is not a plain string) are read as they are.
        self.visitor.visit_enum(data)
    }
}

/// Hands out lenient deserializers for the values of a map or list.
struct Seed<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<S> {
    type Value = S::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Lenient(d))
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Lenient<A> {
    type Error = A::Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Seed(seed))
    }
    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Lenient<A> {
    type Error = A::Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        // Keys are names: read as they are.
        self.0.next_key_seed(seed)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.0.next_value_seed(Seed(seed))
    }
    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::from_slice;

    #[derive(Debug, Default, PartialEq, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Sample {
        #[serde(default)]
        name: String,
        #[serde(default)]
        count: i64,
        #[serde(default)]
        ratio: f64,
        #[serde(default)]
        enabled: bool,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        inner: Inner,
        #[serde(default)]
        optional: Option<u32>,
        #[serde(default)]
        free: serde_json::Value,
        #[serde(default)]
        map: BTreeMap<String, i32>,
    }

    #[derive(Debug, Default, PartialEq, Deserialize)]
    struct Inner {
        #[serde(default)]
        size: u16,
    }

    #[test]
    fn null_where_a_value_is_required_reads_as_its_default() {
        let sample: Sample = from_slice(
            br#"{"name":null,"count":null,"ratio":null,"enabled":null,"tags":null,
                 "inner":null,"optional":null,"free":null,"map":null}"#,
        )
        .unwrap();
        assert_eq!(sample, Sample::default());
    }

    #[test]
    fn numbers_as_strings_read_as_numbers_everywhere_inside() {
        let sample: Sample = from_slice(
            br#"{"name":"7","count":"-3","ratio":"0.5","inner":{"size":"8"},"optional":"9",
                 "free":{"n":"1"},"map":{"a":"2"}}"#,
        )
        .unwrap();
        assert_eq!(sample.name, "7");
        assert_eq!(
            (sample.count, sample.ratio, sample.inner.size),
            (-3, 0.5, 8)
        );
        assert_eq!(sample.optional, Some(9));
        // A free-form value keeps what was written; a typed map's values are numbers.
        assert_eq!(sample.free["n"], "1");
        assert_eq!(sample.map["a"], 2);
    }

    #[test]
    fn what_is_not_a_number_or_out_of_range_is_still_an_error() {
        for body in [
            br#"{"count":"many"}"#.as_slice(),
            br#"{"count":"NaN"}"#,
            br#"{"inner":{"size":"70000"}}"#,
            br#"{"count":true}"#,
            br#"{"name":1}"#,
            br#"{"tags":"a"}"#,
        ] {
            assert!(
                from_slice::<Sample>(body).is_err(),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        assert!(from_slice::<Sample>(b"{} trailing").is_err());
    }
}
