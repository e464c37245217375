//! Parsing ARM paths under `.../providers/Microsoft.ApiManagement/`.
//!
//! Like ARM, the literal segments match case-insensitively, and every segment is
//! percent-decoded before it is used as a name.

use std::borrow::Cow;

use axum::http::StatusCode;
use percent_encoding::percent_decode_str;

use crate::description;
use crate::error::ArmError;
use crate::store::{Identity, Key};

const NAMESPACE: &str = "Microsoft.ApiManagement";

/// A parsed path: `/subscriptions/{s}[/resourceGroups/{rg}]/providers/Microsoft.ApiManagement/`
/// followed by `type/name` pairs and possibly one more segment.
#[derive(Clone, Debug)]
pub(crate) struct ArmPath {
    pub subscription: String,
    /// `None` for the subscription-level paths (`.../providers/Microsoft.ApiManagement/service`,
    /// `deletedservices`, `locations/{location}/...`, `checkNameAvailability`, ...).
    pub resource_group: Option<String>,
    /// `(type, name)` pairs; the first type is a top-level type of the description
    /// (`service`, `gateways`, `locations`, ...), spelled as the description spells it.
    pub pairs: Vec<(String, String)>,
    /// A trailing type (a collection) or action name (after a resource).
    pub tail: Option<String>,
}

impl ArmPath {
    pub(crate) fn parse(raw: &str) -> Result<ArmPath, ArmError> {
        let segments = raw
            .strip_prefix('/')
            .ok_or_else(|| unknown(raw))?
            .split('/')
            .map(decode)
            .collect::<Result<Vec<_>, _>>()?;
        if segments == [""] {
            return Err(unknown(raw));
        }
        if segments.iter().any(std::string::String::is_empty) {
            return Err(ArmError::new(
                StatusCode::BAD_REQUEST,
                "InvalidRequestUri",
                format!("The request path '{raw}' has an empty segment."),
            ));
        }
        let literal = |segment: &str, expected: &str| segment.eq_ignore_ascii_case(expected);
        let (subscription, resource_group, rest) = match segments.as_slice() {
            [
                subscriptions,
                subscription,
                groups,
                group,
                providers,
                namespace,
                rest @ ..,
            ] if literal(subscriptions, "subscriptions")
                && literal(groups, "resourceGroups")
                && literal(providers, "providers")
                && literal(namespace, NAMESPACE) =>
            {
                (subscription, Some(group.clone()), rest)
            }
            [subscriptions, subscription, providers, namespace, rest @ ..]
                if literal(subscriptions, "subscriptions")
                    && literal(providers, "providers")
                    && literal(namespace, NAMESPACE) =>
            {
                (subscription, None, rest)
            }
            _ => return Err(unknown(raw)),
        };
        let Some(first) = rest.first() else {
            return Err(unknown(raw));
        };
        // Types are identifiers like `backends` or `namedValues`.
        for kind in rest.iter().step_by(2) {
            if !kind.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(unknown_type(kind));
            }
        }
        // The first type must be one the description has at this level; it is kept in the
        // description's spelling, whatever casing was sent.
        let Some(canonical) = description::top_level_type(resource_group.is_some(), first) else {
            return Err(unknown_type(first));
        };
        let mut pairs: Vec<(String, String)> = rest
            .chunks_exact(2)
            .map(|pair| (pair[0].clone(), pair[1].clone()))
            .collect();
        if let Some(first) = pairs.first_mut() {
            first.0 = canonical.to_string();
        }
        let tail = (rest.len() % 2 == 1).then(|| {
            if pairs.is_empty() {
                canonical.to_string()
            } else {
                rest[rest.len() - 1].clone()
            }
        });
        Ok(ArmPath {
            subscription: subscription.clone(),
            resource_group,
            pairs,
            tail,
        })
    }

    /// The resource group, or `""` for a subscription-level path.
    pub(crate) fn group(&self) -> &str {
        self.resource_group.as_deref().unwrap_or_default()
    }

    /// The same path cut to its first `len` pairs, with no tail: a parent resource.
    pub(crate) fn ancestor(&self, len: usize) -> ArmPath {
        ArmPath {
            subscription: self.subscription.clone(),
            resource_group: self.resource_group.clone(),
            pairs: self.pairs[..len.min(self.pairs.len())].to_vec(),
            tail: None,
        }
    }

    /// The first pair's type is `service`: the path is in an API Management service.
    pub(crate) fn in_service(&self) -> bool {
        self.pairs
            .first()
            .is_some_and(|(kind, _)| kind == "service")
            && self.resource_group.is_some()
    }

    /// The key of the resource named by all pairs.
    pub(crate) fn resource_key(&self) -> Option<Key> {
        let ((_, name), parents) = self.pairs.split_last()?;
        let kind = &self.pairs[parents.len()].0;
        Some(Key {
            collection: self.collection_key(parents, kind),
            item: name.to_lowercase(),
        })
    }

    /// The key of the collection named by the trailing type.
    pub(crate) fn collection_key_of_tail(&self) -> Option<Vec<String>> {
        Some(self.collection_key(&self.pairs, self.tail.as_ref()?))
    }

    /// The id, type and name of the resource named by all pairs.
    pub(crate) fn identity(&self) -> Option<Identity> {
        let (_, name) = self.pairs.last()?;
        let mut id = match &self.resource_group {
            Some(group) => format!(
                "/subscriptions/{}/resourceGroups/{group}/providers/{NAMESPACE}",
                self.subscription
            ),
            None => format!("/subscriptions/{}/providers/{NAMESPACE}", self.subscription),
        };
        let mut kind = NAMESPACE.to_string();
        for (t, n) in &self.pairs {
            id.push_str(&format!("/{t}/{n}"));
            kind.push_str(&format!("/{t}"));
        }
        Some(Identity {
            id,
            kind,
            name: name.clone(),
        })
    }

    fn collection_key(&self, parents: &[(String, String)], kind: &str) -> Vec<String> {
        // A resource group is never empty, so `""` marks the subscription level.
        let mut key = vec![
            self.subscription.to_lowercase(),
            self.group().to_lowercase(),
        ];
        for (t, n) in parents {
            key.push(t.to_lowercase());
            key.push(n.to_lowercase());
        }
        key.push(kind.to_lowercase());
        key
    }
}

fn decode(segment: &str) -> Result<String, ArmError> {
    percent_decode_str(segment)
        .decode_utf8()
        .map(Cow::into_owned)
        .map_err(|_| {
            ArmError::new(
                StatusCode::BAD_REQUEST,
                "InvalidRequestUri",
                format!("The path segment '{segment}' is not valid percent-encoded UTF-8."),
            )
        })
}

fn unknown(raw: &str) -> ArmError {
    ArmError::new(
        StatusCode::NOT_FOUND,
        "InvalidResourceType",
        format!(
            "The path '{raw}' is not a {NAMESPACE} resource: expected \
             /subscriptions/{{subscriptionId}}/resourceGroups/{{resourceGroupName}}/providers/{NAMESPACE}/service/{{serviceName}}/... \
             or another path of the API's description"
        ),
    )
}

fn unknown_type(kind: &str) -> ArmError {
    ArmError::new(
        StatusCode::NOT_FOUND,
        "InvalidResourceType",
        format!("The resource type '{kind}' could not be found in the namespace '{NAMESPACE}'."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "/subscriptions/S1/resourceGroups/rg/providers/Microsoft.ApiManagement";

    #[test]
    fn parses_resources_collections_and_actions() {
        let p = ArmPath::parse(&format!("{BASE}/service/svc/backends/b%201")).unwrap();
        assert_eq!(
            p.pairs,
            vec![
                ("service".into(), "svc".into()),
                ("backends".into(), "b 1".into())
            ]
        );
        assert_eq!(p.tail, None);
        let key = p.resource_key().unwrap();
        assert_eq!(key.collection, ["s1", "rg", "service", "svc", "backends"]);
        assert_eq!(key.item, "b 1");
        let identity = p.identity().unwrap();
        assert_eq!(identity.id, format!("{BASE}/service/svc/backends/b 1"));
        assert_eq!(identity.kind, "Microsoft.ApiManagement/service/backends");

        let p = ArmPath::parse(&format!("{BASE}/service/svc/backends")).unwrap();
        assert_eq!(p.tail.as_deref(), Some("backends"));
        assert_eq!(
            p.collection_key_of_tail().unwrap(),
            ["s1", "rg", "service", "svc", "backends"]
        );

        let p = ArmPath::parse(&format!("{BASE}/service/svc/backends/b1/reconnect")).unwrap();
        assert_eq!(p.tail.as_deref(), Some("reconnect"));
        assert_eq!(p.pairs.len(), 2);
    }

    #[test]
    fn literals_are_case_insensitive() {
        let p = ArmPath::parse(
            "/SUBSCRIPTIONS/s/resourcegroups/rg/PROVIDERS/microsoft.apimanagement/SERVICE/svc/apis/a/operations/o",
        )
        .unwrap();
        assert_eq!(p.pairs.len(), 3);
        assert_eq!(
            p.identity().unwrap().kind,
            "Microsoft.ApiManagement/service/apis/operations"
        );
        assert!(
            p.identity()
                .unwrap()
                .id
                .starts_with(BASE.replace("S1", "s").as_str())
        );
    }

    #[test]
    fn rejects_other_paths() {
        for (path, code) in [
            ("", "InvalidResourceType"),
            ("/", "InvalidResourceType"),
            ("/subscriptions/s/resourceGroups/rg", "InvalidResourceType"),
            (
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/x",
                "InvalidResourceType",
            ),
            (BASE, "InvalidResourceType"),
            (&format!("{BASE}/other/x"), "InvalidResourceType"),
            (
                &format!("{BASE}/service/svc/back-ends/x"),
                "InvalidResourceType",
            ),
            (
                &format!("{BASE}/service/svc/backends/"),
                "InvalidRequestUri",
            ),
            (&format!("{BASE}/service//backends"), "InvalidRequestUri"),
            (
                &format!("{BASE}/service/svc/backends/%FF"),
                "InvalidRequestUri",
            ),
        ] {
            let error = ArmPath::parse(path).unwrap_err();
            assert_eq!(error.code, code, "{path}");
        }
    }
}
