//! Reads the service answers from what is stored rather than from a collection of their
//! own: every API's issues (`issues`, and one by its id), an API's revisions (the API as
//! its current revision), every stored policy (`allPolicies`), the tag assignments
//! (`tagResources`; by tag the APIs, `apisByTags`, the products, `productsByTags`, and an
//! API's operations, `operationsByTags`), the service's region (`regions`), its network
//! status (`networkstatus`, also by location) and a user's identities
//! (`users/{u}/identities`: those it was created with, else its e-mail sign-in), and the
//! workspaces' links to the gateways connected to them (`workspaceLinks`), the
//! notifications with their recipients (the e-mails and users linked under each); also
//! what the service depends on in its region (`outboundNetworkDependenciesEndpoints`) and
//! APIM's catalogue of policies (`policyDescriptions`, by `scope`), and the state of the
//! configuration repository (`tenant/configuration/syncState`: in sync with `master`).
//!
//! The views in [`crate::views`] filter a stored collection; these build other shapes.

use std::time::SystemTime;

use serde_json::{Value, json};

use crate::path::ArmPath;
use crate::query::Query;
use crate::rfc3339;
use crate::store::{Key, Store, Stored};

/// The answer to a GET the service computes: `None` when `path` is not one of them,
/// `Some(None)` when it is but names nothing (an issue id no API has).
pub(crate) fn answer(store: &Store, path: &ArmPath, query: &Query) -> Option<Option<Value>> {
    let (service, rest) = path.pairs.split_first()?;
    if !service.0.eq_ignore_ascii_case("service") {
        return None;
    }
    let service_key = path.ancestor(1).resource_key()?;
    let prefix = {
        let mut prefix = service_key.collection.clone();
        prefix.push(service_key.item.clone());
        prefix
    };
    let service_id = store.get(&service_key)?.identity.id.clone();
    let scope = Scope {
        store,
        prefix,
        service_id,
    };
    let kinds: Vec<String> = rest.iter().map(|(kind, _)| kind.to_lowercase()).collect();
    let tail = path.tail.as_deref().map(str::to_lowercase);
    let kinds: Vec<&str> = kinds.iter().map(String::as_str).collect();
    let found = match (kinds.as_slice(), tail.as_deref()) {
        ([], Some("issues")) => Some(collection(scope.issues().map(Stored::to_json))),
        (["issues"], None) => scope
            .issues()
            .find(|issue| issue.identity.name.eq_ignore_ascii_case(&rest[0].1))
            .map(Stored::to_json),
        (["apis"] | ["workspaces", "apis"], Some("revisions")) => {
            let api = store.get(&path.ancestor(path.pairs.len()).resource_key()?)?;
            Some(collection([revision(api)].into_iter()))
        }
        ([], Some("allpolicies")) => Some(collection(scope.all_policies())),
        ([], Some("tagresources")) => Some(collection(scope.tag_resources(|_| true))),
        ([], Some("apisbytags")) => Some(collection(scope.tags_of("apis"))),
        ([], Some("productsbytags")) => Some(collection(scope.tags_of("products"))),
        (["apis"], Some("operationsbytags")) => {
            let api = rest[0].1.to_lowercase();
            Some(collection(scope.tag_resources(|key| {
                key.get(5) == Some(&api) && key.get(6).map(String::as_str) == Some("operations")
            })))
        }
        ([], Some("regions")) => {
            Some(collection(scope.location().into_iter().map(
                |name| json!({"name": name, "isMasterRegion": true, "isDeleted": false}),
            )))
        }
        ([], Some("networkstatus")) => Some(Value::Array(
            scope
                .location()
                .into_iter()
                .map(|location| json!({"location": location, "networkStatus": network_status()}))
                .collect(),
        )),
        (["locations"], Some("networkstatus")) => Some(network_status()),
        (["users"], Some("identities")) => {
            let user = store.get(&path.ancestor(path.pairs.len()).resource_key()?)?;
            Some(collection(identities(user).into_iter()))
        }
        ([], Some("notifications")) | (["workspaces"], Some("notifications")) => {
            let stored_in = path.collection_key_of_tail()?;
            let notifications = store
                .find_all(&stored_in, |key, _| key == stored_in.as_slice())
                .into_iter()
                .map(|stored| notification(store, &stored_in, stored));
            Some(collection(notifications))
        }
        (["notifications"] | ["workspaces", "notifications"], None) => {
            let key = path.resource_key()?;
            store
                .get(&key)
                .map(|stored| notification(store, &key.collection, stored))
        }
        (["tenant"], Some("syncstate")) => Some(sync_state(&scope.service_id, &rest[0].1)),
        ([], Some("workspacelinks")) => Some(collection(scope.workspace_links(None))),
        (["workspacelinks"], None) => scope.workspace_links(Some(&rest[0].1)).next(),
        ([], Some("outboundnetworkdependenciesendpoints")) => {
            let location = scope.location()?;
            Some(json!({"value": outbound_endpoints(location.as_str().unwrap_or_default())}))
        }
        ([], Some("policydescriptions")) => {
            Some(policy_descriptions(&scope.service_id, query.get("scope")))
        }
        _ => return None,
    };
    Some(found)
}

/// A notification as APIM answers it: its `recipients`, the e-mail addresses and users
/// linked under it (`recipientEmails/{email}`, `recipientUsers/{userId}`), by id.
fn notification(store: &Store, collection: &[String], stored: &Stored) -> Value {
    let mut prefix = collection.to_vec();
    prefix.push(stored.identity.name.to_lowercase());
    let linked = |kind: &str| {
        store.find_all(&prefix, |key, _| {
            key.len() == prefix.len() + 1 && key.last().is_some_and(|k| k == kind)
        })
    };
    let emails: Vec<Value> = linked("recipientemails")
        .into_iter()
        .map(|email| email.identity.id.clone().into())
        .collect();
    // A user is named by its id in the service (or workspace) the notification is in.
    let id = &stored.identity.id;
    let scope = id
        .to_lowercase()
        .rfind("/notifications/")
        .map_or(id.as_str(), |at| &id[..at]);
    let users: Vec<Value> = linked("recipientusers")
        .into_iter()
        .map(|user| format!("{scope}/users/{}", user.identity.name).into())
        .collect();
    let mut body = stored.to_json();
    if !body["properties"].is_object() {
        body["properties"] = json!({});
    }
    body["properties"]["recipients"] = json!({"emails": emails, "users": users});
    body
}

/// A user's sign-ins: the `identities` it was created with (an Entra ID account), else
/// the e-mail and password sign-in (`Basic`) of its `email`.
fn identities(user: &Stored) -> Vec<Value> {
    match user.properties.get("identities") {
        Some(Value::Array(given)) if !given.is_empty() => given.clone(),
        _ => user
            .properties
            .get("email")
            .map(|email| json!({"provider": "Basic", "id": email}))
            .into_iter()
            .collect(),
    }
}

fn collection(items: impl Iterator<Item = Value>) -> Value {
    let value: Vec<Value> = items.collect();
    json!({"count": value.len(), "value": value})
}

/// The service whose stored resources are read: its collection keys start with `prefix`.
struct Scope<'a> {
    store: &'a Store,
    prefix: Vec<String>,
    service_id: String,
}

impl<'a> Scope<'a> {
    /// The rest of a collection key after the service's: `["apis", "a", "issues"]`.
    fn relative<'k>(&self, key: &'k [String]) -> &'k [String] {
        &key[self.prefix.len()..]
    }

    /// `apis/{a}/issues/{i}` of every API of the service.
    fn issues(&self) -> impl Iterator<Item = &'a Stored> {
        let prefix_len = self.prefix.len();
        self.store
            .find_all(&self.prefix, |key, _| {
                matches!(&key[prefix_len..], [apis, _, issues] if apis == "apis" && issues == "issues")
            })
            .into_iter()
    }

    /// Every policy stored in the service (its own, an API's, an operation's, a
    /// product's, a workspace's...), as `AllPoliciesContract`s.
    fn all_policies(&self) -> impl Iterator<Item = Value> {
        let prefix_len = self.prefix.len();
        let policies = self.store.find_all(&self.prefix, |key, _| {
            key.len() > prefix_len && key.last().is_some_and(|kind| kind == "policies")
        });
        let service_id = self.service_id.clone();
        policies.into_iter().map(move |policy| {
            let scope = policy.identity.id[service_id.len()..]
                .trim_start_matches('/')
                .replace('/', "-");
            json!({
                "id": format!("{service_id}/allPolicies/{scope}"),
                "name": scope,
                "type": "Microsoft.ApiManagement/service/allPolicies",
                "properties": {
                    "referencePolicyId": policy.identity.id,
                    "complianceState": "Compliant",
                },
            })
        })
    }

    /// The tags assigned to APIs, operations and products (`apis/{a}/tags/{t}`, ...) whose
    /// collection key passes `keep`, as `TagResourceContract`s.
    fn tag_resources(&self, keep: impl Fn(&[String]) -> bool) -> impl Iterator<Item = Value> {
        let assignments = self.store.find_all(&self.prefix, |key, _| {
            let relative = self.relative(key);
            relative.len() >= 3
                && relative.last().is_some_and(|kind| kind == "tags")
                && relative[0] != "workspaces"
                && keep(key)
        });
        let mut found = Vec::new();
        for assignment in assignments {
            let Some(owner) = self.owner_pairs(&assignment.identity.id) else {
                continue;
            };
            let tag = self.read(&[("tags".into(), assignment.identity.name.clone())]);
            let mut body = json!({"tag": {
                "id": format!("/tags/{}", assignment.identity.name),
                "name": display_name(tag, &assignment.identity.name),
            }});
            match owner.as_slice() {
                [(apis, api)] if apis == "apis" => {
                    let stored = self.read(&owner);
                    let mut contract = self.contract(&owner, api);
                    // An API is its current revision, the first unless stored otherwise.
                    contract["apiRevision"] = api_revision(stored).into();
                    if contract.get("isCurrent").is_none() {
                        contract["isCurrent"] = true.into();
                    }
                    body["api"] = contract;
                }
                [(apis, api), (operations, operation)]
                    if apis == "apis" && operations == "operations" =>
                {
                    let api_stored = self.read(&owner[..1]);
                    let stored = self.read(&owner);
                    let property = |name: &str| {
                        stored
                            .and_then(|s| s.properties.get(name))
                            .cloned()
                            .unwrap_or(Value::Null)
                    };
                    body["operation"] = json!({
                        "id": format!("/apis/{api}/operations/{operation}"),
                        "name": display_name(stored, operation),
                        "apiName": display_name(api_stored, api),
                        "apiRevision": api_revision(api_stored),
                        "method": property("method"),
                        "urlTemplate": property("urlTemplate"),
                        "description": property("description"),
                    });
                }
                [(products, product)] if products == "products" => {
                    body["product"] = self.contract(&owner, product);
                }
                _ => continue,
            }
            found.push(body);
        }
        found.into_iter()
    }

    /// The tags assigned to the service's own `kind` (`apis`, `products`), not to what is
    /// under them (an API's operations).
    fn tags_of(&self, kind: &'a str) -> impl Iterator<Item = Value> {
        let prefix_len = self.prefix.len();
        self.tag_resources(move |key| key.len() == prefix_len + 3 && key[prefix_len] == kind)
    }

    /// The `(type, name)` pairs between the service and `/tags/{t}` in an assignment's id.
    fn owner_pairs(&self, id: &str) -> Option<Vec<(String, String)>> {
        let relative = id.get(self.service_id.len()..)?.trim_start_matches('/');
        let segments: Vec<&str> = relative.split('/').collect();
        let owner = segments.get(..segments.len().checked_sub(2)?)?;
        Some(
            owner
                .chunks(2)
                .filter_map(|pair| match pair {
                    [kind, name] => Some(((*kind).to_owned(), (*name).to_owned())),
                    _ => None,
                })
                .collect(),
        )
    }

    /// The stored resource at `pairs` under the service.
    fn read(&self, pairs: &[(String, String)]) -> Option<&'a Stored> {
        let ((kind, name), parents) = pairs.split_last()?;
        let mut collection = self.prefix.clone();
        for (k, n) in parents {
            collection.push(k.to_lowercase());
            collection.push(n.to_lowercase());
        }
        collection.push(kind.to_lowercase());
        self.store.get(&Key {
            collection,
            item: name.to_lowercase(),
        })
    }

    /// A tagged API or product as the tag resource shows it: its properties, with its id
    /// relative to the service and its display name as `name`.
    fn contract(&self, pairs: &[(String, String)], fallback: &str) -> Value {
        let stored = self.read(pairs);
        let mut contract = stored
            .map(|stored| stored.properties.clone())
            .filter(Value::is_object)
            .unwrap_or_else(|| json!({}));
        if let Some(properties) = contract.as_object_mut() {
            properties.remove("displayName");
        }
        let id: String = pairs.iter().map(|(k, n)| format!("/{k}/{n}")).collect();
        contract["id"] = id.into();
        contract["name"] = display_name(stored, fallback).into();
        contract
    }

    /// The service's workspaces (or the one named `only`), each with the gateways that
    /// have a configuration connection to it (`gateways/{g}/configConnections/{c}` whose
    /// `sourceId` is the workspace), as `ApiManagementWorkspaceLinksResource`s.
    fn workspace_links(&self, only: Option<&str>) -> impl Iterator<Item = Value> {
        let prefix_len = self.prefix.len();
        let workspaces = self.store.find_all(&self.prefix, |key, stored| {
            key.len() == prefix_len + 1
                && key[prefix_len] == "workspaces"
                && only.is_none_or(|name| stored.identity.name.eq_ignore_ascii_case(name))
        });
        // Configuration connections live beside services, in any resource group.
        let connections = self.store.find_all(&self.prefix[..1], |key, _| {
            matches!(key, [_, _, gateways, _, connections]
                if gateways == "gateways" && connections == "configconnections")
        });
        let service_id = self.service_id.clone();
        workspaces.into_iter().map(move |workspace| {
            let gateways: Vec<Value> = connections
                .iter()
                .filter(|connection| {
                    connection
                        .properties
                        .get("sourceId")
                        .and_then(Value::as_str)
                        .is_some_and(|source| source.eq_ignore_ascii_case(&workspace.identity.id))
                })
                .filter_map(|connection| {
                    let id = &connection.identity.id;
                    let cut = id.to_lowercase().rfind("/configconnections/")?;
                    Some(json!({"id": &id[..cut]}))
                })
                .collect();
            json!({
                "id": format!("{service_id}/workspaceLinks/{}", workspace.identity.name),
                "name": workspace.identity.name,
                "type": "Microsoft.ApiManagement/service/workspaceLinks",
                // A new etag whenever its workspace changes.
                "etag": workspace.etag,
                "properties": {"workspaceId": workspace.identity.id, "gateways": gateways},
            })
        })
    }

    /// The service's location, as it was created.
    fn location(&self) -> Option<Value> {
        let (collection, item) = self.prefix.split_at(self.prefix.len() - 1);
        let service = self.store.get(&Key {
            collection: collection.to_vec(),
            item: item[0].clone(),
        })?;
        service.extra.get("location").cloned()
    }
}

fn display_name(stored: Option<&Stored>, fallback: &str) -> String {
    stored
        .and_then(|s| s.properties.get("displayName"))
        .and_then(Value::as_str)
        .unwrap_or(fallback)
        .to_owned()
}

/// An API's revision number: as stored, else the first.
fn api_revision(api: Option<&Stored>) -> String {
    api.and_then(|api| api.properties.get("apiRevision"))
        .and_then(Value::as_str)
        .unwrap_or("1")
        .to_owned()
}

/// An API as its one revision: APIM lists `{api};rev={n}`, current and online.
fn revision(api: &Stored) -> Value {
    let property = |name: &str| api.properties.get(name).cloned();
    let number = api_revision(Some(api));
    let now = rfc3339::format(SystemTime::now());
    let path = property("path")
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    json!({
        "apiId": format!("/apis/{};rev={number}", api.identity.name),
        "apiRevision": number,
        "createdDateTime": now,
        "updatedDateTime": now,
        "description": property("apiRevisionDescription").unwrap_or(Value::Null),
        "privateUrl": format!("/{path};rev={number}"),
        "isOnline": true,
        "isCurrent": property("isCurrent").unwrap_or(Value::Bool(true)),
    })
}

/// The emulator has no network: its DNS and dependencies are always reachable.
fn network_status() -> Value {
    let now = rfc3339::format(SystemTime::now());
    json!({
        "dnsServers": ["168.63.129.16"],
        "connectivityStatus": [{
            "name": "apimgmtst.blob.core.windows.net",
            "status": "success",
            "lastUpdated": now,
            "lastStatusChange": now,
            "resourceType": "BlobStorage",
            "isOptional": false,
            // APIM sends an empty error for a reachable dependency.
            "error": "",
        }],
    })
}

/// What a service in `region` reaches out to: its storage, SQL and Key Vault endpoints.
fn outbound_endpoints(region: &str) -> Value {
    let endpoint = |domain: &str| json!({"domainName": domain, "endpointDetails": [{"port": 443, "region": region}]});
    json!([
        {"category": "Azure Storage", "endpoints": [endpoint("*.blob.core.windows.net"),
                                                     endpoint("*.table.core.windows.net")]},
        {"category": "Azure SQL", "endpoints": [endpoint("*.database.windows.net")]},
        {"category": "Azure Key Vault", "endpoints": [endpoint("*.vault.azure.net")]},
    ])
}

/// Scopes a policy may be used at, as APIM's bit mask: tenant 1, product 2, API 4,
/// operation 8.
const TENANT: u64 = 1;
const PRODUCT: u64 = 2;
const API: u64 = 4;
const OPERATION: u64 = 8;

/// A few of APIM's policies, for `PolicyDescription_ListByService`; `scope` (`Tenant`,
/// `Product`, `Api`, `Operation`; `All`: usable at each) keeps those usable there.
fn policy_descriptions(service_id: &str, scope: Option<&str>) -> Value {
    let everywhere = TENANT | PRODUCT | API | OPERATION;
    let catalogue = [
        (
            "cors",
            "Enables cross-origin resource sharing (CORS).",
            everywhere,
        ),
        (
            "rate-limit",
            "Limits the call rate per subscription.",
            PRODUCT | API | OPERATION,
        ),
        (
            "quota",
            "Limits call volume per subscription.",
            PRODUCT | API,
        ),
        ("set-header", "Sets an HTTP header.", everywhere),
        (
            "set-backend-service",
            "Changes the backend service.",
            API | OPERATION,
        ),
        ("validate-jwt", "Validates a JWT.", everywhere),
    ];
    let wanted = match scope.map(str::to_ascii_lowercase).as_deref() {
        Some("tenant") => TENANT,
        Some("product") => PRODUCT,
        Some("api") => API,
        Some("operation") => OPERATION,
        Some("all") => everywhere,
        _ => 0,
    };
    collection(
        catalogue
            .into_iter()
            .filter(|(_, _, scopes)| scopes & wanted == wanted)
            .map(|(name, description, scopes)| {
                json!({
                    "id": format!("{service_id}/policyDescriptions/{name}"),
                    "name": name,
                    "type": "Microsoft.ApiManagement/service/policyDescriptions",
                    "properties": {"description": description, "scope": scopes},
                })
            }),
    )
}

/// `tenant/{configuration}/syncState`: the configuration repository in sync with the
/// service, on `master`, at a commit stable per service.
fn sync_state(service_id: &str, configuration: &str) -> Value {
    let now = rfc3339::format(SystemTime::now());
    json!({
        "id": format!("{service_id}/tenant/{configuration}/syncState"),
        "type": "Microsoft.ApiManagement/service/tenant/syncState",
        "name": "syncState",
        "properties": {
            "branch": "master",
            "commitId": crate::ids::stable_hex(&service_id.to_lowercase(), 40),
            "isExport": true,
            "isSynced": true,
            "isGitEnabled": true,
            "syncDate": now,
            "configurationChangeDate": now,
            "lastOperationId": format!(
                "{service_id}/tenant/{configuration}/operationResults/{}",
                crate::ids::stable_hex(&format!("{service_id}/sync").to_lowercase(), 24)
            ),
        },
    })
}
