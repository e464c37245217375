//! Lenient reading of collections, the generator's rule for every list and map field of
//! the generated models (`#[serde(deserialize_with = "crate::models::lenient::...")]`):
//! a `null` item of a list or `null` value of a map is left out (the service writes
//! `"settings": {"CustomPortalSettings.UserRegistrationTerms": null}`, which a
//! `BTreeMap<String, String>` cannot hold), and a `null` or absent required list or map
//! reads as empty. Written back, a left-out entry is absent: the client writes no
//! `null`s. Shared generic functions, so the rule costs one small function per item
//! type, not code per field.

#![allow(
    dead_code,
    reason = "each helper is used by the generated models of some features, not of all"
)]

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

fn kept<T>(items: Vec<Option<T>>) -> Vec<T> {
    items.into_iter().flatten().collect()
}

fn kept_values<V>(map: BTreeMap<String, Option<V>>) -> BTreeMap<String, V> {
    map.into_iter()
        .filter_map(|(key, value)| Some((key, value?)))
        .collect()
}

/// An optional list: `null` is `None`, `null` items are left out.
pub(crate) fn option_list<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<Option<T>>>::deserialize(d)?.map(kept))
}

/// A required list: `null` is empty, `null` items are left out.
pub(crate) fn list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(option_list(d)?.unwrap_or_default())
}

/// An optional map: `null` is `None`, entries whose value is `null` are left out.
pub(crate) fn option_map<'de, D, V>(d: D) -> Result<Option<BTreeMap<String, V>>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    Ok(Option::<BTreeMap<String, Option<V>>>::deserialize(d)?.map(kept_values))
}

/// A required map: `null` is empty, entries whose value is `null` are left out.
pub(crate) fn map<'de, D, V>(d: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    Ok(option_map(d)?.unwrap_or_default())
}

/// An optional list of maps (`[{str: str}]`): `null`s left out at both levels.
pub(crate) fn option_list_of_maps<'de, D, V>(
    d: D,
) -> Result<Option<Vec<BTreeMap<String, V>>>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    let list = Option::<Vec<Option<BTreeMap<String, Option<V>>>>>::deserialize(d)?;
    Ok(list.map(|list| kept(list).into_iter().map(kept_values).collect()))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    #[derive(Deserialize, Debug, Default, PartialEq)]
    struct Sample {
        #[serde(default, deserialize_with = "super::option_map")]
        settings: Option<BTreeMap<String, String>>,
        #[serde(default, deserialize_with = "super::list")]
        names: Vec<String>,
        #[serde(default, deserialize_with = "super::option_list_of_maps")]
        rows: Option<Vec<BTreeMap<String, String>>>,
    }

    #[test]
    fn nulls_inside_collections_are_left_out() {
        let sample: Sample = serde_json::from_str(
            r#"{"settings":{"a":null,"b":"x"},"names":[null,"n"],
"rows":[null,{"k":null,"l":"w"}]}"#,
        )
        .unwrap();
        assert_eq!(sample.settings.unwrap()["b"], "x");
        assert_eq!(sample.names, ["n"]);
        assert_eq!(
            sample.rows.unwrap(),
            [BTreeMap::from([("l".into(), "w".into())])]
        );
        let empty: Sample = serde_json::from_str(r#"{"names":null,"settings":null}"#).unwrap();
        assert_eq!(empty, Sample::default());
    }
}
