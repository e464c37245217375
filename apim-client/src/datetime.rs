//! Date-times as [`OffsetDateTime`] (the `time` crate's, the type azure_core uses for
//! token expiry), written as RFC 3339 and read as ARM services write them.
//!
//! Written: RFC 3339 with the value's own offset, `Z` for UTC, and only the fraction the
//! value has: `2024-05-01T12:34:56Z`, `2024-05-01T12:34:56.789Z`.
//!
//! Read: RFC 3339 (`T`, `t` or a space, `Z`, `z` or `±hh:mm`), and also a date-time **without an
//! offset**, which .NET services write for some `DateTime` values
//! (`2024-05-01T12:34:56.1234567`); it is taken as UTC, as the Azure SDKs for Go and
//! Python take it. Anything else is refused with the text and the reason.

pub use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Reads an RFC 3339 date-time, or one without an offset as UTC.
pub fn parse(text: &str) -> Result<OffsetDateTime, String> {
    let strict = OffsetDateTime::parse(text, &Rfc3339);
    let error = match strict {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    // `Rfc3339` needs an offset; the same text with `Z` added reads a date-time without one.
    let has_offset = text
        .get(10..)
        .is_some_and(|time| time.ends_with(['Z', 'z']) || time.contains(['+', '-']));
    if !has_offset && let Ok(value) = OffsetDateTime::parse(&format!("{text}Z"), &Rfc3339) {
        return Ok(value);
    }
    Err(format!(
        "`{}` is not an RFC 3339 date-time such as 2024-05-01T12:34:56Z: {error}",
        text.escape_debug()
    ))
}

/// Writes `value` as RFC 3339. Fails only for what RFC 3339 cannot write: a year outside
/// 0000-9999 or an offset with seconds.
pub fn format(value: &OffsetDateTime) -> Result<String, String> {
    value
        .format(&Rfc3339)
        .map_err(|e| format!("{value} cannot be written as an RFC 3339 date-time: {e}"))
}

/// Serde support for a required date-time field of your own model, as the generated
/// models use it: `#[serde(with = "apim_client::datetime::required")]`.
pub mod required {
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _, ser::Error as _};
    use time::OffsetDateTime;

    /// Writes RFC 3339; a value RFC 3339 cannot hold is a serialization error.
    pub fn serialize<S: Serializer>(value: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format(value).map_err(S::Error::custom)?)
    }

    /// Reads RFC 3339, or a date-time without an offset as UTC.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OffsetDateTime, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        super::parse(&text).map_err(D::Error::custom)
    }
}

/// Serde support for an optional date-time field (`null` and absent are `None`):
/// `#[serde(default, skip_serializing_if = "Option::is_none", with = "apim_client::datetime::option")]`.
pub mod option {
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _, ser::Error as _};
    use time::OffsetDateTime;

    /// Writes RFC 3339, or `null` for `None`.
    pub fn serialize<S: Serializer>(
        value: &Option<OffsetDateTime>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => s.serialize_str(&super::format(value).map_err(S::Error::custom)?),
            None => s.serialize_none(),
        }
    }

    /// Reads RFC 3339 (or without an offset, as UTC), and `null` as `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        match Option::<std::borrow::Cow<'de, str>>::deserialize(d)? {
            Some(text) => super::parse(&text).map(Some).map_err(D::Error::custom),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use time::UtcOffset;

    use super::*;

    fn at(text: &str) -> (i32, u8, u8, u8, u8, u8, u32, i32) {
        let v = parse(text).unwrap();
        (
            v.year(),
            v.month() as u8,
            v.day(),
            v.hour(),
            v.minute(),
            v.second(),
            v.nanosecond(),
            v.offset().whole_seconds(),
        )
    }

    #[test]
    fn reads_rfc_3339() {
        assert_eq!(at("2024-05-01T12:34:56Z"), (2024, 5, 1, 12, 34, 56, 0, 0));
        assert_eq!(
            at("2024-05-01T12:34:56.789Z"),
            (2024, 5, 1, 12, 34, 56, 789_000_000, 0)
        );
        assert_eq!(
            at("2024-05-01t12:34:56+02:00"),
            (2024, 5, 1, 12, 34, 56, 0, 7200)
        );
        assert_eq!(at("2024-05-01T12:34:56z"), (2024, 5, 1, 12, 34, 56, 0, 0));
    }

    #[test]
    fn reads_a_date_time_without_offset_as_utc() {
        assert_eq!(
            at("2024-05-01T12:34:56.1234567"),
            (2024, 5, 1, 12, 34, 56, 123_456_700, 0)
        );
        assert_eq!(at("0001-01-01T00:00:00"), (1, 1, 1, 0, 0, 0, 0, 0));
    }

    #[test]
    fn refuses_what_is_not_a_date_time() {
        for text in [
            "",
            "2024-05-01",
            "2024-13-01T00:00:00Z",
            "yesterday",
            "2024-05-01T12:34:56+0200",
            "2024-05-01T12:34:56-",
        ] {
            let error = parse(text).unwrap_err();
            assert!(
                error.contains("not an RFC 3339 date-time"),
                "{text}: {error}"
            );
        }
    }

    #[test]
    fn writes_rfc_3339_with_z_for_utc() {
        let value = parse("2024-05-01T12:34:56.789Z").unwrap();
        assert_eq!(format(&value).unwrap(), "2024-05-01T12:34:56.789Z");
        let value = parse("2024-05-01T12:34:56+02:00").unwrap();
        assert_eq!(format(&value).unwrap(), "2024-05-01T12:34:56+02:00");
        let value = parse("2024-05-01T12:34:56").unwrap();
        assert_eq!(format(&value).unwrap(), "2024-05-01T12:34:56Z");
    }

    #[test]
    fn refuses_to_write_what_rfc_3339_cannot_hold() {
        let offset = UtcOffset::from_hms(1, 0, 30).unwrap();
        let value = parse("2024-05-01T12:34:56Z").unwrap().to_offset(offset);
        assert!(format(&value).is_err());
    }

    #[test]
    fn serde_round_trip() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Both {
            #[serde(with = "required")]
            at: OffsetDateTime,
            #[serde(default, skip_serializing_if = "Option::is_none", with = "option")]
            until: Option<OffsetDateTime>,
        }
        let both: Both =
            serde_json::from_str(r#"{"at":"2024-05-01T12:34:56Z","until":null}"#).unwrap();
        assert_eq!(both.until, None);
        assert_eq!(
            serde_json::to_string(&both).unwrap(),
            r#"{"at":"2024-05-01T12:34:56Z"}"#
        );
        let error = serde_json::from_str::<Both>(r#"{"at":"soon"}"#).unwrap_err();
        assert!(
            error.to_string().contains("`soon` is not an RFC 3339"),
            "{error}"
        );
    }
}
