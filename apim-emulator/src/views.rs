//! Lists the service computes from other resources rather than stores: a user's
//! subscriptions (`users/{u}/subscriptions`, by `ownerId`, and each one by its id), a
//! product's subscriptions (`products/{p}/subscriptions`, by `scope`), the products an API
//! is in (`apis/{a}/products`, by the product's API links) and a user's groups
//! (`users/{u}/groups`, by the groups' user links).

use serde_json::Value;

use crate::path::ArmPath;
use crate::store::{Key, Store, Stored};

/// Which stored resources a view shows.
pub(crate) enum Keep {
    /// Those whose property ends with `/{kind}/{name}` (case-insensitive).
    Refers(&'static str, String),
    /// Those with a link `{kind}/{name}/{link}/{linked}` in the service.
    Linked(&'static str, &'static str, String),
}

/// A computed list: the service-level collection it reads and which items it keeps.
pub(crate) struct View {
    pub collection: Vec<String>,
    keep: Keep,
    service: ArmPath,
}

impl View {
    pub(crate) fn keeps(&self, store: &Store, stored: &Stored) -> bool {
        match &self.keep {
            Keep::Refers(property, suffix) => stored
                .properties
                .get(*property)
                .and_then(Value::as_str)
                .is_some_and(|value| value.to_lowercase().ends_with(suffix)),
            Keep::Linked(kind, link, linked) => {
                let mut pairs = self.service.pairs.clone();
                pairs.push(((*kind).to_owned(), stored.identity.name.clone()));
                pairs.push(((*link).to_owned(), linked.clone()));
                let path = ArmPath {
                    pairs,
                    ..self.service.clone()
                };
                path.resource_key()
                    .is_some_and(|key: Key| store.get(&key).is_some())
            }
        }
    }
}

/// The view a list request names, if it is one.
pub(crate) fn list(path: &ArmPath) -> Option<View> {
    let [service, (owner_kind, owner)] = path.pairs.as_slice() else {
        return None;
    };
    let owner_kind = owner_kind.to_lowercase();
    let tail = path.tail.as_deref()?.to_lowercase();
    let refers = |kind: &str| format!("/{kind}/{}", owner.to_lowercase());
    let (collection, keep) = match (owner_kind.as_str(), tail.as_str()) {
        ("users", "subscriptions") => ("subscriptions", Keep::Refers("ownerId", refers("users"))),
        ("products", "subscriptions") => {
            ("subscriptions", Keep::Refers("scope", refers("products")))
        }
        ("apis", "products") => ("products", Keep::Linked("products", "apis", owner.clone())),
        ("users", "groups") => ("groups", Keep::Linked("groups", "users", owner.clone())),
        _ => return None,
    };
    let service = ArmPath {
        subscription: path.subscription.clone(),
        resource_group: path.resource_group.clone(),
        pairs: vec![service.clone()],
        tail: Some(collection.to_owned()),
    };
    Some(View {
        collection: service.collection_key_of_tail()?,
        keep,
        service: ArmPath {
            tail: None,
            ..service
        },
    })
}

/// A resource read through a view (`users/{u}/subscriptions/{sid}`): the stored one's
/// key, and the view it must pass.
pub(crate) fn resource(path: &ArmPath) -> Option<(Key, View)> {
    let (last, owner) = path.pairs.split_last()?;
    let view = list(&ArmPath {
        pairs: owner.to_vec(),
        tail: Some(last.0.clone()),
        ..path.clone()
    })?;
    let key = Key {
        collection: view.collection.clone(),
        item: last.1.to_lowercase(),
    };
    Some((key, view))
}
