//! The bodies of the generated models' builder-style setters, one generic function each,
//! shared by every setter: a setter is then one call, with no closure of its own for the
//! compiler to check and describe in the crate's metadata.

#![allow(
    dead_code,
    reason = "each helper is used by the generated models of some features, not of all"
)]

use std::collections::BTreeMap;

/// A list setter's value: anything iterable of what converts into the items.
pub(crate) fn list<T, I>(value: I) -> Vec<T>
where
    I: IntoIterator,
    I::Item: Into<T>,
{
    value.into_iter().map(Into::into).collect()
}

/// A map setter's value: anything iterable of pairs converting into a name and an item.
pub(crate) fn map<T, K, V, I>(value: I) -> BTreeMap<String, T>
where
    I: IntoIterator<Item = (K, V)>,
    K: Into<String>,
    V: Into<T>,
{
    value
        .into_iter()
        .map(|(name, item)| (name.into(), item.into()))
        .collect()
}

/// The `properties` a flattened setter writes into, created empty on first use.
pub(crate) fn properties<P: Default>(slot: &mut Option<P>) -> &mut P {
    slot.get_or_insert_with(P::default)
}
