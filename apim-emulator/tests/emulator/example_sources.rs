//! The resources a computed view is read from, derived from an example answer of that
//! view: its tags, APIs, products and tag links for the lists by tag, the policies
//! `allPolicies` refers to, the workspaces and gateway connections of `workspaceLinks`,
//! the links of an API's products and a user's groups, a notification's recipients, a
//! user's identities and the services a subscription deleted. Seeding only the answer's
//! items at their paths creates none of them.

use apim_emulator::Emulator;
use serde_json::{Value, json};

use crate::example_shapes::encode;

const SERVICE: &str = "/providers/Microsoft.ApiManagement/service/";

/// `/subscriptions/.../service/{name}` of a request path, if it is under a service.
pub(crate) fn service_of(request_path: &str) -> Option<String> {
    let at = request_path.find(SERVICE)?;
    let name = request_path[at + SERVICE.len()..].split('/').next()?;
    Some(format!("{}{SERVICE}{name}", &request_path[..at]))
}

/// Seeds what the view `operation_id` answers `body` from, in the service of `request_path`.
pub(crate) fn seed(emulator: &Emulator, operation_id: &str, request_path: &str, body: &Value) {
    if operation_id == "DeletedServices_ListBySubscription" {
        deleted_services(emulator, request_path, body);
    }
    let Some(service) = service_of(request_path) else {
        return;
    };
    let at = Seeder {
        emulator,
        service: &service,
        request_path,
    };
    let items = match body.get("value") {
        Some(Value::Array(items)) => items.iter().collect(),
        _ => vec![body],
    };
    for item in items {
        match operation_id {
            "AllPolicies_ListByService" => at.policy(item),
            "ApiManagementWorkspaceLink_Get" | "ApiManagementWorkspaceLinks_ListByService" => {
                at.workspace_link(item);
            }
            "ApiProduct_ListByApis" => at.linked(item, "products", "apis"),
            "UserGroup_List" => at.linked(item, "groups", "users"),
            "Api_ListByTags"
            | "Operation_ListByTags"
            | "Product_ListByTags"
            | "TagResource_ListByService" => at.tag_resource(item),
            "Notification_ListByService" | "WorkspaceNotification_ListByService" => {
                at.recipients(item);
            }
            _ => {}
        }
    }
    if operation_id == "UserIdentities_List" {
        at.identities(body);
    }
}

struct Seeder<'a> {
    emulator: &'a Emulator,
    service: &'a str,
    request_path: &'a str,
}

impl Seeder<'_> {
    /// Seeds `properties` at `relative` (`/apis/a`) under the service. A path the emulator
    /// does not serve seeds nothing: the comparison then shows what is missing.
    fn put(&self, relative: &str, properties: Value) {
        let _ = self
            .emulator
            .put_json(&format!("{}{relative}", self.service), properties);
    }

    /// The request's owner (`apis/{a}` of `apis/{a}/products`), relative to the service.
    fn owner(&self) -> Option<(&str, &str)> {
        let rest = self.request_path.get(self.service.len()..)?;
        let (owner, _) = rest.rsplit_once('/')?;
        let (kind, name) = owner.trim_start_matches('/').split_once('/')?;
        Some((kind, name))
    }

    /// The policy an `allPolicies` item refers to (its content is not in the answer).
    fn policy(&self, item: &Value) {
        if let Some(policy) = item["properties"]["referencePolicyId"]
            .as_str()
            .and_then(under_service)
        {
            self.put(policy, json!({"value": "<policies />", "format": "xml"}));
        }
    }

    /// The workspace of a link, and for each gateway of the link a configuration
    /// connection to that workspace, the gateway in the request's resource group.
    fn workspace_link(&self, item: &Value) {
        let properties = &item["properties"];
        let Some(workspace) = properties["workspaceId"].as_str().and_then(last_segment) else {
            return;
        };
        let seeded = self.emulator.put_json(
            &format!("{}/workspaces/{workspace}", self.service),
            json!({"displayName": workspace}),
        );
        let Ok(workspace_id) = seeded.map(|w| w["id"].as_str().unwrap_or_default().to_owned())
        else {
            return;
        };
        let group = self.service.split(SERVICE).next().unwrap_or_default();
        let gateways = properties["gateways"].as_array().into_iter().flatten();
        for gateway in gateways.filter_map(|g| g["id"].as_str().and_then(last_segment)) {
            let _ = self.emulator.put_json(
                &format!(
                    "{group}/providers/Microsoft.ApiManagement/gateways/{gateway}/configConnections/{workspace}"
                ),
                json!({"sourceId": workspace_id}),
            );
        }
    }

    /// A service's `kind` item as the answer shows it, and its link to the request's
    /// owner (`products/{p}/apis/{a}` for an API's products).
    fn linked(&self, item: &Value, kind: &str, link: &str) {
        let (Some(name), Some((_, owner))) = (item["name"].as_str(), self.owner()) else {
            return;
        };
        let name = encode(name);
        let properties = item.get("properties").cloned().unwrap_or_else(|| json!({}));
        self.put(&format!("/{kind}/{name}"), properties);
        self.put(&format!("/{kind}/{name}/{link}/{owner}"), json!({}));
    }

    /// The tag, the API, operation or product it is assigned to, and the assignment.
    fn tag_resource(&self, item: &Value) {
        let tag = &item["tag"];
        let Some(tag_path) = tag["id"].as_str() else {
            return;
        };
        self.put(tag_path, json!({"displayName": tag["name"]}));
        let owner = if let Some(api) = item.get("api") {
            api["id"].as_str().map(|id| {
                self.put(id, contract(api));
                id.to_owned()
            })
        } else if let Some(operation) = item.get("operation") {
            self.operation(operation)
        } else if let Some(product) = item.get("product") {
            product["id"].as_str().map(|id| {
                self.put(id, contract(product));
                id.to_owned()
            })
        } else {
            None
        };
        if let Some(owner) = owner {
            self.put(&format!("{owner}{tag_path}"), json!({}));
        }
    }

    /// A tagged operation and its API; under the request's API when the request names
    /// one (the example's operation id names another), and its path.
    fn operation(&self, operation: &Value) -> Option<String> {
        let id = operation["id"].as_str()?;
        let (api, name) = id.split_once("/operations/")?;
        let api = match self.owner() {
            Some(("apis", owner)) => format!("/apis/{owner}"),
            _ => api.to_owned(),
        };
        self.put(
            &api,
            json!({"displayName": operation["apiName"], "apiRevision": operation["apiRevision"]}),
        );
        let path = format!("{api}/operations/{name}");
        let mut properties = contract(operation);
        if let Some(properties) = properties.as_object_mut() {
            properties.remove("apiName");
            properties.remove("apiRevision");
        }
        self.put(&path, properties);
        Some(path)
    }

    /// The e-mails and users a notification's `recipients` name, linked under it.
    fn recipients(&self, item: &Value) {
        let (Some(name), recipients) = (item["name"].as_str(), &item["properties"]["recipients"])
        else {
            return;
        };
        let notification = format!("{}/{}", self.request_path, encode(name));
        for (kind, link) in [("emails", "recipientEmails"), ("users", "recipientUsers")] {
            let ids = recipients[kind].as_array().into_iter().flatten();
            for recipient in ids.filter_map(|id| id.as_str().and_then(last_segment)) {
                let _ = self.emulator.put_json(
                    &format!("{notification}/{link}/{}", encode(recipient)),
                    json!({}),
                );
            }
        }
    }

    /// The user, created with the identities the answer lists (an identity provider's
    /// accounts, not an e-mail sign-in).
    fn identities(&self, body: &Value) {
        if let Some((user, _)) = self.request_path.rsplit_once('/') {
            let _ = self
                .emulator
                .put_json(user, json!({"identities": body["value"]}));
        }
    }
}

/// What a DELETE of each service leaves (`locations/{l}/deletedservices/{s}`), in the
/// request's subscription: the one the items' `serviceId`s name (their ids name `subid`).
fn deleted_services(emulator: &Emulator, request_path: &str, body: &Value) {
    let Some(subscription) = request_path.split("/providers/").next() else {
        return;
    };
    let items = body["value"].as_array().into_iter().flatten();
    for item in items {
        let Some((_, tombstone)) = item["id"]
            .as_str()
            .and_then(|id| id.split_once("/providers/"))
        else {
            continue;
        };
        let _ = emulator.put_resource(
            &format!("{subscription}/providers/{tombstone}"),
            item.clone(),
        );
    }
}

/// An API's or product's `…TagResourceContractProperties` as the resource's properties:
/// its `name` is the display name, its `id` the path.
fn contract(shown: &Value) -> Value {
    let mut properties = shown.clone();
    if let Some(object) = properties.as_object_mut() {
        object.remove("id");
        if let Some(name) = object.remove("name") {
            object.insert("displayName".into(), name);
        }
    }
    properties
}

/// The part of an ARM id after its service (`/apis/a1/policies/policy`).
fn under_service(id: &str) -> Option<&str> {
    let at = id.find(SERVICE)? + SERVICE.len();
    let rest = &id[at..];
    rest.find('/').map(|slash| &rest[slash..])
}

fn last_segment(id: &str) -> Option<&str> {
    id.rsplit('/').next().filter(|name| !name.is_empty())
}
