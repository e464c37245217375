//! The resource store: JSON resources by collection, with ETags and `If-Match`.
//!
//! Keys are lower-cased because ARM names are case-insensitive; the stored `id` and `name`
//! keep the casing the resource was created with.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

/// Where a resource lives: its collection's key and its lower-cased name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Key {
    /// `[subscription, resource group, type, name, ..., type]`, lower-cased.
    pub collection: Vec<String>,
    pub item: String,
}

/// What a resource is called: fixed when it is created.
#[derive(Clone, Debug)]
pub(crate) struct Identity {
    pub id: String,
    pub kind: String,
    pub name: String,
}

/// What a write stores: `properties`, and the top-level fields a tracked resource has beside
/// them (`location`, `sku`, `tags`, `identity`, `zones`, ...).
#[derive(Clone, Debug, Default)]
pub(crate) struct Content {
    pub properties: Value,
    pub extra: Map<String, Value>,
}

impl Content {
    pub(crate) fn properties(properties: Value) -> Content {
        Content {
            properties,
            extra: Map::new(),
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Stored {
    pub identity: Identity,
    pub properties: Value,
    pub extra: Map<String, Value>,
    /// Quoted, opaque, new on every write.
    pub etag: String,
    /// Which resource of this name it is: set when it is created, kept when it is replaced
    /// or patched, new when it is created again after a delete.
    pub created: u64,
}

/// A resource a write needs: by key, and, for a write accepted earlier (a long-running
/// operation that completes later), the very resource it was accepted under, not one
/// created again since under the same name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Parent {
    pub key: Key,
    /// [`Stored::created`] of the parent required; `None`: any resource at `key`.
    pub created: Option<u64>,
}

impl Parent {
    /// Whatever resource is at `key` when the write happens.
    pub(crate) fn any(key: Key) -> Parent {
        Parent { key, created: None }
    }
}

impl Stored {
    /// The resource as the service returns it, without the secrets only its actions give
    /// ([`secrets::redact`](crate::secrets::redact)). A tracked resource, such as a service or a
    /// gateway, also carries its `etag` in the body, as ARM returns it.
    pub(crate) fn to_json(&self) -> Value {
        let mut body = Map::new();
        for (name, value) in &self.extra {
            body.insert(name.clone(), value.clone());
        }
        body.insert("id".into(), self.identity.id.clone().into());
        body.insert("type".into(), self.identity.kind.clone().into());
        body.insert("name".into(), self.identity.name.clone().into());
        if carries_etag(&self.identity.kind) {
            body.insert("etag".into(), self.etag.clone().into());
        }
        let mut properties = self.properties.clone();
        crate::secrets::redact(&self.identity.kind, &self.identity.name, &mut properties);
        body.insert("properties".into(), properties);
        Value::Object(body)
    }
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum StoreError {
    NotFound,
    PreconditionFailed,
    /// The parent at this index of the write's `parents` does not exist.
    ParentNotFound(usize),
}

#[derive(Default)]
pub(crate) struct Store {
    collections: HashMap<Vec<String>, BTreeMap<String, Stored>>,
    writes: u64,
    /// A service created gets what APIM creates in a new instance
    /// ([`built_in::populate`](crate::built_in::populate)).
    built_ins: bool,
}

impl Store {
    /// An empty store; with `built_ins`, each service created is filled as APIM fills a
    /// new instance, in the same step as its creation.
    pub(crate) fn new(built_ins: bool) -> Store {
        Store {
            built_ins,
            ..Store::default()
        }
    }

    pub(crate) fn get(&self, key: &Key) -> Option<&Stored> {
        self.collections.get(&key.collection)?.get(&key.item)
    }

    /// Each of `keys` as the parent it is now (see [`Parent`]), if it exists.
    pub(crate) fn parents_now(&self, keys: Vec<Key>) -> Vec<Parent> {
        keys.into_iter()
            .map(|key| Parent {
                created: self.get(&key).map(|stored| stored.created),
                key,
            })
            .collect()
    }

    /// Creates or replaces; `Ok(true)` when created. Each of `parents` must exist: checked
    /// in the same step as the write, so a parent deleted by a request handled meanwhile
    /// cannot get a child back (which a new parent of the same name would then inherit).
    pub(crate) fn put(
        &mut self,
        key: &Key,
        parents: &[Parent],
        identity: Identity,
        content: Content,
        if_match: Option<&str>,
    ) -> Result<(Stored, bool), StoreError> {
        let present = |parent: &Parent| {
            self.get(&parent.key)
                .is_some_and(|stored| parent.created.is_none_or(|c| c == stored.created))
        };
        if let Some(missing) = parents.iter().position(|parent| !present(parent)) {
            return Err(StoreError::ParentNotFound(missing));
        }
        let etag = self.next_etag();
        let created = self.writes;
        let items = self.collections.entry(key.collection.clone()).or_default();
        let existing = items.get_mut(&key.item);
        if !if_match_allows(if_match, existing.as_ref().map(|s| s.etag.as_str())) {
            return Err(StoreError::PreconditionFailed);
        }
        match existing {
            Some(stored) => {
                stored.properties = content.properties;
                stored.extra = content.extra;
                stored.etag = etag;
                Ok((stored.clone(), false))
            }
            None => {
                let stored = Stored {
                    identity,
                    properties: content.properties,
                    extra: content.extra,
                    etag,
                    created,
                };
                items.insert(key.item.clone(), stored.clone());
                // Whoever creates a service (a request, an operation completing, a seed),
                // it comes with its built-ins, in the same step.
                if self.built_ins && crate::built_in::is_service_key(key) {
                    crate::built_in::populate(self, &stored);
                }
                Ok((stored, true))
            }
        }
    }

    /// Applies a JSON merge patch (RFC 7386) to the resource's properties, and to its
    /// top-level fields with `extra`.
    pub(crate) fn patch(
        &mut self,
        key: &Key,
        properties: Option<&Value>,
        extra: Option<&Map<String, Value>>,
        if_match: Option<&str>,
    ) -> Result<Stored, StoreError> {
        let etag = self.next_etag();
        let stored = self
            .collections
            .get_mut(&key.collection)
            .and_then(|items| items.get_mut(&key.item))
            .ok_or(StoreError::NotFound)?;
        if !if_match_allows(if_match, Some(&stored.etag)) {
            return Err(StoreError::PreconditionFailed);
        }
        if let Some(patch) = properties {
            merge_patch(&mut stored.properties, patch);
        }
        if let Some(extra) = extra {
            let mut top = Value::Object(std::mem::take(&mut stored.extra));
            merge_patch(&mut top, &Value::Object(extra.clone()));
            if let Value::Object(top) = top {
                stored.extra = top;
            }
        }
        stored.etag = etag;
        Ok(stored.clone())
    }

    /// Deletes the resource and everything nested under it; `Ok(false)` when it was absent.
    pub(crate) fn delete(&mut self, key: &Key, if_match: Option<&str>) -> Result<bool, StoreError> {
        let Some(items) = self.collections.get_mut(&key.collection) else {
            return Ok(false);
        };
        let Some(stored) = items.get(&key.item) else {
            return Ok(false);
        };
        if !if_match_allows(if_match, Some(&stored.etag)) {
            return Err(StoreError::PreconditionFailed);
        }
        items.remove(&key.item);
        let mut prefix = key.collection.clone();
        prefix.push(key.item.clone());
        self.collections
            .retain(|collection, _| !collection.starts_with(&prefix));
        Ok(true)
    }

    /// One page of the collection's resources that pass `keep`, in name order, and how many
    /// pass in all.
    #[cfg(test)]
    pub(crate) fn list(
        &self,
        collection: &[String],
        keep: impl Fn(&Stored) -> bool,
        skip: usize,
        top: usize,
    ) -> (Vec<Value>, usize) {
        self.list_where(|key| key == collection, keep, skip, top)
    }

    /// The key of the resource named `item` (any casing) in the first collection, in key
    /// order, whose key passes `collections`.
    pub(crate) fn find(&self, collections: impl Fn(&[String]) -> bool, item: &str) -> Option<Key> {
        let item = item.to_lowercase();
        self.collections_where(collections)
            .into_iter()
            .find(|(_, items)| items.contains_key(&item))
            .map(|(collection, _)| Key {
                collection: collection.clone(),
                item,
            })
    }

    /// Like [`Store::list`], over every collection whose key passes `collections`, in key
    /// order (e.g. one type in every resource group of a subscription).
    pub(crate) fn list_where(
        &self,
        collections: impl Fn(&[String]) -> bool,
        keep: impl Fn(&Stored) -> bool,
        skip: usize,
        top: usize,
    ) -> (Vec<Value>, usize) {
        let items = self
            .collections_where(collections)
            .into_iter()
            .flat_map(|(_, items)| items.values());
        let mut page = Vec::new();
        let mut count = 0;
        for stored in items.filter(|s| keep(s)) {
            if count >= skip && page.len() < top {
                page.push(stored.to_json());
            }
            count += 1;
        }
        (page, count)
    }

    /// Every resource in a collection whose key starts with `prefix` (everything in a
    /// service, say) that passes `keep`, in key and name order.
    pub(crate) fn find_all(
        &self,
        prefix: &[String],
        keep: impl Fn(&[String], &Stored) -> bool,
    ) -> Vec<&Stored> {
        self.collections_where(|key| key.starts_with(prefix))
            .into_iter()
            .flat_map(|(key, items)| {
                let keep = &keep;
                items.values().filter(move |stored| keep(key, stored))
            })
            .collect()
    }

    /// The collections whose key passes `collections`, in key order.
    fn collections_where(
        &self,
        collections: impl Fn(&[String]) -> bool,
    ) -> Vec<(&Vec<String>, &BTreeMap<String, Stored>)> {
        let mut found: Vec<_> = self
            .collections
            .iter()
            .filter(|(key, _)| collections(key))
            .collect();
        found.sort_by(|a, b| a.0.cmp(b.0));
        found
    }

    fn next_etag(&mut self) -> String {
        self.writes += 1;
        format!("\"{:016x}\"", self.writes)
    }
}

/// Whether a resource of this type has `etag` in its body: the tracked resources (a
/// service, a gateway and its config connections), not the service's children.
fn carries_etag(kind: &str) -> bool {
    kind == "Microsoft.ApiManagement/service"
        || kind.starts_with("Microsoft.ApiManagement/gateways")
}

/// `If-Match` as the service applies it: absent allows anything, `*` requires the resource
/// to exist, otherwise one of the listed tags must equal the current one by RFC 9110's
/// strong comparison (§13.1.1): a weak tag (`W/"..."`) never matches.
pub(crate) fn if_match_allows(if_match: Option<&str>, current: Option<&str>) -> bool {
    let Some(if_match) = if_match else {
        return true;
    };
    let Some(current) = current else {
        return false;
    };
    if_match.split(',').map(str::trim).any(|tag| {
        tag == "*" || (!is_weak(tag) && !is_weak(current) && opaque(tag) == opaque(current))
    })
}

fn is_weak(tag: &str) -> bool {
    tag.starts_with("W/")
}

/// The opaque part of an entity tag, without its quotes, so that clients which strip the
/// quotes still match.
fn opaque(tag: &str) -> &str {
    tag.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(tag)
}

/// RFC 7386: objects merge key by key, `null` deletes, anything else replaces.
/// Recursion is bounded by serde_json's nesting limit on parsed input.
fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(target) = target {
        for (name, value) in patch {
            if value.is_null() {
                target.remove(name);
            } else {
                merge_patch(target.entry(name.clone()).or_insert(Value::Null), value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key(name: &str) -> Key {
        Key {
            collection: vec![
                "s".into(),
                "rg".into(),
                "service".into(),
                "svc".into(),
                "backends".into(),
            ],
            item: name.into(),
        }
    }

    fn identity(name: &str) -> Identity {
        Identity {
            id: format!("/x/{name}"),
            kind: "t".into(),
            name: name.into(),
        }
    }

    #[test]
    fn if_match_rules() {
        assert!(if_match_allows(None, None));
        assert!(if_match_allows(None, Some("\"a\"")));
        assert!(if_match_allows(Some("*"), Some("\"a\"")));
        assert!(!if_match_allows(Some("*"), None));
        assert!(if_match_allows(Some("\"a\""), Some("\"a\"")));
        assert!(if_match_allows(Some("a"), Some("\"a\"")));
        assert!(
            !if_match_allows(Some("W/\"a\""), Some("\"a\"")),
            "strong comparison: a weak tag never matches"
        );
        assert!(!if_match_allows(Some("W/\"a\""), Some("W/\"a\"")));
        assert!(if_match_allows(Some("W/\"b\", \"a\""), Some("\"a\"")));
        assert!(if_match_allows(Some("\"b\", \"a\""), Some("\"a\"")));
        assert!(!if_match_allows(Some("\"b\""), Some("\"a\"")));
        assert!(!if_match_allows(Some("\"a\""), None));
        assert!(!if_match_allows(Some(""), Some("\"a\"")));
    }

    #[test]
    fn merge_patch_follows_rfc_7386() {
        let mut target = json!({"a": "b", "c": {"d": "e", "f": "g"}, "k": [1]});
        merge_patch(
            &mut target,
            &json!({"a": "z", "c": {"f": null}, "k": {"x": 1}, "n": null}),
        );
        assert_eq!(target, json!({"a": "z", "c": {"d": "e"}, "k": {"x": 1}}));
    }

    #[test]
    fn put_patch_delete_with_etags() {
        let mut store = Store::default();
        let (first, created) = store
            .put(
                &key("b1"),
                &[],
                identity("B1"),
                Content::properties(json!({"u": 1})),
                None,
            )
            .unwrap();
        assert!(created);
        let (second, created) = store
            .put(
                &key("b1"),
                &[],
                identity("b1"),
                Content::properties(json!({"u": 2})),
                None,
            )
            .unwrap();
        assert!(!created);
        assert_ne!(first.etag, second.etag);
        assert_eq!(
            second.identity.name, "B1",
            "the name keeps its original casing"
        );
        assert_eq!(
            store
                .patch(&key("b1"), Some(&json!({"v": 3})), None, Some(&first.etag))
                .unwrap_err(),
            StoreError::PreconditionFailed
        );
        let patched = store
            .patch(&key("b1"), Some(&json!({"v": 3})), None, Some(&second.etag))
            .unwrap();
        assert_eq!(patched.properties, json!({"u": 2, "v": 3}));
        assert_eq!(
            store.patch(&key("nope"), None, None, None).unwrap_err(),
            StoreError::NotFound
        );
        assert_eq!(
            store.delete(&key("b1"), Some("\"stale\"")),
            Err(StoreError::PreconditionFailed)
        );
        assert_eq!(store.delete(&key("b1"), Some("*")), Ok(true));
        assert_eq!(store.delete(&key("b1"), None), Ok(false));
    }

    #[test]
    fn a_write_under_a_missing_parent_is_refused_in_the_same_step() {
        let mut store = Store::default();
        let mut nested = key("b1").collection;
        nested.extend(["b1".to_string(), "children".to_string()]);
        let child = Key {
            collection: nested.clone(),
            item: "c".into(),
        };
        let parents = [Parent::any(key("b1"))];
        assert_eq!(
            store
                .put(&child, &parents, identity("c"), Content::default(), None)
                .unwrap_err(),
            StoreError::ParentNotFound(0)
        );
        assert_eq!(store.list(&nested, |_| true, 0, 10).1, 0, "nothing written");
        store
            .put(&key("b1"), &[], identity("b1"), Content::default(), None)
            .unwrap();
        let now = store.parents_now(vec![key("b1")]);
        assert!(
            store
                .put(&child, &parents, identity("c"), Content::default(), None)
                .unwrap()
                .1
        );
        // The parent deleted and created again is another parent.
        store.delete(&key("b1"), None).unwrap();
        store
            .put(&key("b1"), &[], identity("b1"), Content::default(), None)
            .unwrap();
        assert_eq!(
            store
                .put(&child, &now, identity("c"), Content::default(), None)
                .unwrap_err(),
            StoreError::ParentNotFound(0)
        );
        assert!(
            store
                .put(&child, &parents, identity("c"), Content::default(), None)
                .is_ok()
        );
    }

    #[test]
    fn delete_removes_nested_collections() {
        let mut store = Store::default();
        store
            .put(&key("b1"), &[], identity("b1"), Content::default(), None)
            .unwrap();
        let mut nested = key("b1").collection;
        nested.extend(["b1".to_string(), "children".to_string()]);
        let child = Key {
            collection: nested.clone(),
            item: "c".into(),
        };
        store
            .put(&child, &[], identity("c"), Content::default(), None)
            .unwrap();
        assert_eq!(store.list(&nested, |_| true, 0, 10).1, 1);
        store.delete(&key("b1"), None).unwrap();
        assert_eq!(store.list(&nested, |_| true, 0, 10).1, 0);
    }

    #[test]
    fn list_pages_in_name_order() {
        let mut store = Store::default();
        for name in ["c", "a", "b", "d"] {
            store
                .put(
                    &key(name),
                    &[],
                    identity(name),
                    Content::properties(json!({})),
                    None,
                )
                .unwrap();
        }
        let (page, count) = store.list(&key("x").collection, |s| s.identity.name != "d", 1, 1);
        assert_eq!(count, 3);
        assert_eq!(
            page,
            vec![json!({"id": "/x/b", "type": "t", "name": "b", "properties": {}})]
        );
    }
}
