//! The scenario's reads the service computes from other resources (`computed` in
//! `conformance/scenario.py`), each checked against what the scenario stored, and where it
//! can be, again after removing it: so none passes against an empty store.

use apim_client::models::{PolicyDescriptionListByServiceOptions, PolicyScopeContract};
use apim_client::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::generated::{create_parent, parent_name};
use super::views::{SERVICE_ID, expect};
use super::{RG, Run, SVC, body, check};

/// The model as wire JSON.
pub(super) fn wire<T: Serialize>(model: &T) -> Result<Value, String> {
    serde_json::to_value(model).map_err(|e| e.to_string())
}

/// Every item of every page, as wire JSON.
pub(super) async fn items<T>(pager: apim_client::Pager<T>) -> Result<Vec<Value>, String>
where
    T: DeserializeOwned + Serialize + Send + 'static,
{
    let items = pager.collect_all().await.map_err(check::error)?;
    items.iter().map(wire).collect()
}

/// The answer's model as wire JSON, after a 200.
pub(super) fn answered<T: Serialize>(
    answer: apim_client::Result<apim_client::Response<T>>,
) -> Result<Value, String> {
    let answer = answer.map_err(check::error)?;
    expect(answer.status() == 200, || {
        format!("status {}", answer.status())
    })?;
    wire(answer.model())
}

/// `field` (a JSON pointer) of each item.
pub(super) fn pluck(items: &[Value], field: &str) -> Vec<Value> {
    items
        .iter()
        .map(|item| item.pointer(field).cloned().unwrap_or(Value::Null))
        .collect()
}

pub(super) async fn computed(run: &mut Run) {
    let groups = [
        "api",
        "api_operation",
        "tag",
        "product",
        "user",
        "workspace",
        "workspace_api",
    ];
    for parent in groups {
        create_parent(run, parent).await;
    }
    let client = run.client.clone();
    let [api, operation, tag, product, user, workspace, workspace_api] = groups.map(parent_name);
    let issue = "conf-issue-view";

    run.step("issue", "list_by_service.get", async {
        let created = body(&format!(
            r#"{{"properties": {{"title": "seen service-wide", "description": "d",
                "userId": "{SERVICE_ID}/users/{user}"}}}}"#
        ))?;
        check::created(
            client
                .api_issue()
                .create_or_update(RG, SVC, api, issue, &created, None)
                .await,
            issue,
        )?;
        let listed = items(client.issue().list_by_service(RG, SVC, None)).await?;
        expect(
            listed
                .iter()
                .any(|i| i["name"] == issue && i["properties"]["title"] == "seen service-wide"),
            || format!("listed {listed:?}"),
        )?;
        let got = answered(client.issue().get(RG, SVC, issue).await)?;
        let id = format!("{SERVICE_ID}/apis/{api}/issues/{issue}");
        expect(got["id"] == id.as_str(), || format!("id {}", got["id"]))?;
        check::deleted(client.api_issue().delete(RG, SVC, api, issue, "*").await)?;
        let listed = items(client.issue().list_by_service(RG, SVC, None)).await?;
        expect(!pluck(&listed, "/name").contains(&json!(issue)), || {
            format!("listed after delete {listed:?}")
        })
    })
    .await;

    let revision = |api: &str| json!([[format!("/apis/{api};rev=1"), "1", true]]);
    let revisions = |listed: &[Value]| -> Value {
        listed
            .iter()
            .map(|r| json!([r["apiId"], r["apiRevision"], r["isCurrent"]]))
            .collect()
    };
    run.step("api_revision", "list_by_service", async {
        let listed = items(client.api_revision().list_by_service(RG, SVC, api, None)).await?;
        let found = revisions(&listed);
        expect(found == revision(api), || format!("revisions {found}"))
    })
    .await;
    run.step("workspace_api_revision", "list_by_service", async {
        let listed = items(client.workspace_api_revision().list_by_service(
            RG,
            SVC,
            workspace,
            workspace_api,
            None,
        ))
        .await?;
        let found = revisions(&listed);
        expect(found == revision(workspace_api), || {
            format!("revisions {found}")
        })
    })
    .await;

    run.step("user_identities", "list", async {
        let listed = items(client.user_identities().list(RG, SVC, user)).await?;
        expect(
            listed == [json!({"provider": "Basic", "id": "user@contoso.example"})],
            || format!("identities {listed:?}"),
        )
    })
    .await;

    run.step("tag_resource", "list_by_service", async {
        let tags = client.tag();
        check::created(tags.assign_to_api(RG, SVC, api, tag).await, tag)?;
        check::created(tags.assign_to_product(RG, SVC, product, tag).await, tag)?;
        let listed = items(client.tag_resource().list_by_service(RG, SVC, None)).await?;
        let apis = pluck(&listed, "/api/id");
        let products = pluck(&listed, "/product/name");
        expect(apis.contains(&json!(format!("/apis/{api}"))), || {
            format!("api not in {listed:?}")
        })?;
        expect(products.contains(&json!("Conformance product")), || {
            format!("product not in {listed:?}")
        })?;
        expect(
            pluck(&listed, "/tag/name").iter().all(|n| n == "conf"),
            || format!("tags {listed:?}"),
        )?;
        check::deleted(tags.detach_from_api(RG, SVC, api, tag).await)?;
        check::deleted(tags.detach_from_product(RG, SVC, product, tag).await)?;
        let listed = items(client.tag_resource().list_by_service(RG, SVC, None)).await?;
        expect(listed.is_empty(), || {
            format!("listed after detaching {listed:?}")
        })
    })
    .await;

    run.step("operation", "list_by_tags", async {
        let tags = client.tag();
        check::created(
            tags.assign_to_operation(RG, SVC, api, operation, tag).await,
            tag,
        )?;
        let by_tags = || client.operation().list_by_tags(RG, SVC, api, None);
        let listed = items(by_tags()).await?;
        check::deleted(
            tags.detach_from_operation(RG, SVC, api, operation, tag)
                .await,
        )?;
        let found: Vec<Value> = listed
            .iter()
            .map(|r| {
                json!([
                    r["tag"]["name"],
                    r["operation"]["name"],
                    r["operation"]["urlTemplate"]
                ])
            })
            .collect();
        expect(
            found == [json!(["conf", "Get thing", "/things/{id}"])],
            || format!("listed {found:?}"),
        )?;
        let after = items(by_tags()).await?;
        expect(after.is_empty(), || {
            format!("listed after detaching {after:?}")
        })
    })
    .await;

    run.step("all_policies", "list_by_service", async {
        let policy_id = json!(format!("{SERVICE_ID}/apis/{api}/policies/policy"));
        let references = || async {
            let listed = items(client.all_policies().list_by_service(RG, SVC)).await?;
            Ok::<_, String>(pluck(&listed, "/properties/referencePolicyId"))
        };
        let policy = body(r#"{"properties": {"value": "<policies />", "format": "xml"}}"#)?;
        check::created(
            client
                .api_policy()
                .create_or_update(RG, SVC, api, &"policy".into(), &policy, None)
                .await,
            "policy",
        )?;
        let listed = references().await?;
        expect(listed.contains(&policy_id), || {
            format!("{policy_id} not in {listed:?}")
        })?;
        check::deleted(
            client
                .api_policy()
                .delete(RG, SVC, api, &"policy".into(), "*")
                .await,
        )?;
        let listed = references().await?;
        expect(!listed.contains(&policy_id), || {
            format!("listed after delete {listed:?}")
        })
    })
    .await;

    run.step("region", "list_by_service", async {
        let listed = items(client.region().list_by_service(RG, SVC)).await?;
        let found: Vec<Value> = listed
            .iter()
            .map(|r| json!([r["name"], r["isMasterRegion"]]))
            .collect();
        expect(found == [json!(["westeurope", true])], || {
            format!("regions {found:?}")
        })
    })
    .await;

    run.step(
        "network_status",
        "list_by_service.list_by_location",
        async {
            let by_service = answered(client.network_status().list_by_service(RG, SVC).await)?;
            expect(
                by_service
                    == json!([{"location": "westeurope",
                                     "networkStatus": by_service[0]["networkStatus"]}]),
                || format!("by service {by_service}"),
            )?;
            let status = answered(
                client
                    .network_status()
                    .list_by_location(RG, SVC, "westeurope")
                    .await,
            )?;
            expect(
                status["dnsServers"]
                    .as_array()
                    .is_some_and(|d| !d.is_empty())
                    && status["connectivityStatus"]
                        .as_array()
                        .is_some_and(|c| !c.is_empty()),
                || format!("status {status}"),
            )
        },
    )
    .await;

    run.step(
        "outbound_network_dependencies_endpoints",
        "list_by_service",
        async {
            let listed = answered(
                client
                    .outbound_network_dependencies_endpoints()
                    .list_by_service(RG, SVC)
                    .await,
            )?;
            let regions: Vec<&Value> = listed["value"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|c| c["endpoints"].as_array().into_iter().flatten())
                .flat_map(|e| e["endpointDetails"].as_array().into_iter().flatten())
                .map(|d| &d["region"])
                .collect();
            expect(
                !regions.is_empty() && regions.iter().all(|r| *r == "westeurope"),
                || format!("regions {regions:?}"),
            )
        },
    )
    .await;

    run.step("policy_description", "list_by_service", async {
        let names = |scope: Option<PolicyScopeContract>| {
            let client = client.clone();
            async move {
                let listed = answered(
                    client
                        .policy_description()
                        .list_by_service(
                            RG,
                            SVC,
                            scope.map(|scope| PolicyDescriptionListByServiceOptions {
                                scope: Some(scope),
                            }),
                        )
                        .await,
                )?;
                let value = listed["value"].as_array().cloned().unwrap_or_default();
                Ok::<_, String>(value)
            }
        };
        let every = names(None).await?;
        let tenant = names(Some("Tenant".into())).await?;
        let rate_limit = json!("rate-limit");
        expect(
            pluck(&every, "/name").contains(&rate_limit)
                && !pluck(&tenant, "/name").contains(&rate_limit),
            || format!("every {every:?}, tenant {tenant:?}"),
        )?;
        expect(
            !tenant.is_empty()
                && pluck(&tenant, "/properties/scope")
                    .iter()
                    .all(|s| s.as_u64().is_some_and(|s| s & 1 == 1)),
            || format!("tenant {tenant:?}"),
        )
    })
    .await;

    let exported = |result: Value, id: String, name: &str| {
        expect(result["id"] == id.as_str(), || {
            format!("id {}", result["id"])
        })?;
        let link = result["value"]["link"].as_str().unwrap_or_default();
        expect(link.contains(&format!("/{name}.yaml?")), || {
            format!("link {link:?}")
        })
    };
    run.step("api_export", "get", async {
        let result = answered(
            client
                .api_export()
                .get(RG, SVC, api, &"openapi-link".into(), &"true".into())
                .await,
        )?;
        exported(result, format!("{SERVICE_ID}/apis/{api}"), api)
    })
    .await;
    run.step("workspace_api_export", "get", async {
        let result = answered(
            client
                .workspace_api_export()
                .get(
                    RG,
                    SVC,
                    workspace,
                    workspace_api,
                    &"openapi-link".into(),
                    &"true".into(),
                )
                .await,
        )?;
        exported(
            result,
            format!("{SERVICE_ID}/workspaces/{workspace}/apis/{workspace_api}"),
            workspace_api,
        )
    })
    .await;
}
