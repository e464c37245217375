//! The scenario's rows outside one resource's life cycle that the Rust client runs too
//! (as `conformance/scenario.py` does): the service as APIM fills it in and its lists, the
//! SKU and provider-operation catalogues, the actions of groups that have nothing else, a
//! top-level gateway with a config connection and the workspace links it makes, and, after
//! the service's delete, the deleted service, purged, with its operation's status and
//! result read by the location-level groups.

use apim_client::prelude::*;
use serde_json::{Value, json};

use super::computed::{answered, items, pluck, wire};
use super::generated::{create_parent, parent_name};
use super::views::{SERVICE_ID, expect};
use super::{RG, Run, SVC, body, check};

const SUBSCRIPTION_ID: &str = "/subscriptions/00000000-0000-0000-0000-000000000000";

pub(super) async fn service(run: &mut Run) {
    let client = run.client.clone();
    let ops = client.api_management_service();
    let host = SVC.to_lowercase();
    run.step(
        "api_management_service",
        "get.read_only_properties",
        async {
            let got = answered(ops.get(RG, SVC).await)?;
            let properties = &got["properties"];
            for (field, wanted) in [
                ("provisioningState", "Succeeded".to_owned()),
                ("gatewayUrl", format!("https://{host}.azure-api.net")),
                (
                    "developerPortalUrl",
                    format!("https://{host}.developer.azure-api.net"),
                ),
                (
                    "managementApiUrl",
                    format!("https://{host}.management.azure-api.net"),
                ),
                ("scmUrl", format!("https://{host}.scm.azure-api.net")),
            ] {
                expect(properties[field] == wanted.as_str(), || {
                    format!("{field} {}", properties[field])
                })?;
            }
            expect(
                got["location"] == "westeurope" && got["sku"]["name"] == "Developer",
                || format!("location {} sku {}", got["location"], got["sku"]),
            )
        },
    )
    .await;
    run.step(
        "api_management_service",
        "list_by_resource_group.list",
        async {
            let by_group = items(ops.list_by_resource_group(RG)).await?;
            let everywhere = items(ops.list()).await?;
            expect(
                pluck(&by_group, "/name").contains(&json!(SVC))
                    && pluck(&everywhere, "/name").contains(&json!(SVC)),
                || format!("{by_group:?} {everywhere:?}"),
            )
        },
    )
    .await;
    run.step("api_management_skus", "list", async {
        let tiers = pluck(&items(client.api_management_skus().list()).await?, "/name");
        expect(tiers.contains(&json!("Developer")), || {
            format!("tiers {tiers:?}")
        })
    })
    .await;
    run.step(
        "api_management_service_skus",
        "list_available_service_skus",
        async {
            let available = items(
                client
                    .api_management_service_skus()
                    .list_available_service_skus(RG, SVC),
            )
            .await?;
            let tiers = pluck(&available, "/sku/name");
            expect(tiers.contains(&json!("Premium")), || {
                format!("available {tiers:?}")
            })
        },
    )
    .await;
    run.step("api_management_operations", "list", async {
        let listed = pluck(
            &items(client.api_management_operations().list()).await?,
            "/name",
        );
        expect(
            listed.contains(&json!("Microsoft.ApiManagement/service/read")),
            || format!("{} operations", listed.len()),
        )
    })
    .await;
}

/// The actions of groups that have no resource of their own.
pub(super) async fn actions(run: &mut Run) {
    for parent in ["user", "authorization"] {
        create_parent(run, parent).await;
    }
    let client = run.client.clone();
    let (user, provider, authorization) = (
        parent_name("user"),
        parent_name("authorization_provider"),
        parent_name("authorization"),
    );
    run.step(
        "perform_connectivity_check",
        "perform_connectivity_check_async",
        async {
            let request = body(
                r#"{"source": {"region": "westeurope"},
                    "destination": {"address": "https://example.com", "port": 443}}"#,
            )?;
            let checked = client
                .perform_connectivity_check_async(RG, SVC, &request)
                .await
                .map_err(check::error)?;
            let checked = wire(checked.model())?;
            expect(checked["connectionStatus"] == "Connected", || {
                format!("{checked}")
            })
        },
    )
    .await;
    run.step("policy_restriction_validations", "by_service", async {
        let validated = client
            .policy_restriction_validations()
            .by_service(RG, SVC)
            .await
            .map_err(check::error)?;
        let validated = wire(validated.model())?;
        expect(validated["properties"]["status"] == "Succeeded", || {
            format!("{validated}")
        })
    })
    .await;
    run.step("tenant_configuration", "deploy.validate.save", async {
        let ops = client.tenant_configuration();
        let configuration = "configuration".into();
        let deploy = body(r#"{"properties": {"branch": "master"}}"#)?;
        let results = [
            ops.deploy(RG, SVC, &configuration, &deploy).await,
            ops.validate(RG, SVC, &configuration, &deploy).await,
            ops.save(
                RG,
                SVC,
                &configuration,
                &body(r#"{"properties": {"branch": "master"}}"#)?,
            )
            .await,
        ];
        for result in results {
            let result = wire(result.map_err(check::error)?.model())?;
            expect(result["properties"]["status"] == "Succeeded", || {
                format!("{result}")
            })?;
        }
        Ok(())
    })
    .await;
    run.step("tenant_access_git", "regenerate_secondary_key", async {
        let git = "gitAccess".into();
        let access = client.tenant_access();
        let keys = || access.list_secrets(RG, SVC, &git);
        let before = answered(keys().await)?;
        check::deleted(
            client
                .tenant_access_git()
                .regenerate_secondary_key(RG, SVC, &git)
                .await,
        )?;
        let after = answered(keys().await)?;
        expect(
            after["secondaryKey"] != before["secondaryKey"]
                && after["primaryKey"] == before["primaryKey"],
            || format!("before {before}, after {after}"),
        )
    })
    .await;
    run.step("user_confirmation_password", "send", async {
        let ops = client.user_confirmation_password();
        check::deleted(ops.send(RG, SVC, user, None).await)?;
        check::gone(ops.send(RG, SVC, "act-nobody", None).await)
    })
    .await;
    run.step("authorization_login_links", "post", async {
        let request = body(r#"{"postLoginRedirectUrl": "https://app.example/"}"#)?;
        let link = answered(
            client
                .authorization_login_links()
                .post(RG, SVC, provider, authorization, &request)
                .await,
        )?;
        expect(
            link["loginLink"]
                .as_str()
                .is_some_and(|l| l.starts_with("https://")),
            || format!("{link}"),
        )
    })
    .await;
}

/// A top-level gateway, a config connection from the parent workspace, and the workspace
/// link it makes.
pub(super) async fn api_gateway(run: &mut Run) {
    create_parent(run, "workspace").await;
    let client = run.client.clone();
    let workspace = parent_name("workspace");
    let workspace_id = format!("{SERVICE_ID}/workspaces/{workspace}");
    let (gateway, connection) = ("conf-gateway", "conf-connection");
    let gateway_id = format!(
        "{SUBSCRIPTION_ID}/resourceGroups/{RG}/providers/Microsoft.ApiManagement/gateways/{gateway}"
    );
    let ops = client.api_gateway();
    let connections = client.api_gateway_config_connection();
    run.step("api_gateway", "create_or_update", async {
        let created = body(
            r#"{"location": "eastus", "sku": {"name": "Standard", "capacity": 1},
                "properties": {}}"#,
        )?;
        let created = wire(
            ops.create_or_update(RG, gateway, &created)
                .await
                .map_err(check::error)?
                .model(),
        )?;
        expect(
            created["name"] == gateway && created["properties"]["provisioningState"] == "Succeeded",
            || format!("{created}"),
        )
    })
    .await;
    run.step(
        "api_management_gateway_skus",
        "list_available_skus",
        async {
            let skus = items(
                client
                    .api_management_gateway_skus()
                    .list_available_skus(RG, gateway),
            )
            .await?;
            let names = pluck(&skus, "/sku/name");
            expect(names.contains(&json!("Standard")), || {
                format!("gateway skus {names:?}")
            })
        },
    )
    .await;
    run.step("api_gateway", "list_by_resource_group.list", async {
        let by_group = pluck(&items(ops.list_by_resource_group(RG)).await?, "/name");
        let everywhere = pluck(&items(ops.list()).await?, "/name");
        expect(
            by_group.contains(&json!(gateway)) && everywhere.contains(&json!(gateway)),
            || format!("{by_group:?} {everywhere:?}"),
        )
    })
    .await;
    run.step("api_gateway", "update", async {
        let update = body(r#"{"sku": {"name": "Standard", "capacity": 2}}"#)?;
        let updated = wire(
            ops.update(RG, gateway, &update)
                .await
                .map_err(check::error)?
                .model(),
        )?;
        let got = answered(ops.get(RG, gateway).await)?;
        expect(
            updated["sku"]["capacity"] == 2 && got["sku"]["capacity"] == 2,
            || format!("updated {updated}, got {got}"),
        )
    })
    .await;
    run.step("api_gateway_config_connection", "create_or_update", async {
        let created = body(&format!(
            r#"{{"properties": {{"sourceId": "{workspace_id}"}}}}"#
        ))?;
        check::finished(
            connections
                .create_or_update(RG, gateway, connection, &created)
                .await,
            connection,
        )
    })
    .await;
    run.step("api_gateway_config_connection", "get", async {
        let got = answered(connections.get(RG, gateway, connection).await)?;
        expect(
            got["properties"]["sourceId"] == workspace_id.as_str()
                && got["properties"]["defaultHostname"].is_string(),
            || format!("{got}"),
        )
    })
    .await;
    run.step("api_gateway_config_connection", "list_by_gateway", async {
        let listed = pluck(
            &items(connections.list_by_gateway(RG, gateway)).await?,
            "/name",
        );
        expect(listed.contains(&json!(connection)), || {
            format!("not in {listed:?}")
        })
    })
    .await;
    let gateways = |link: &Value| -> Vec<String> {
        pluck(
            link["properties"]["gateways"]
                .as_array()
                .map_or(&[], Vec::as_slice),
            "/id",
        )
        .iter()
        .map(|id| id.as_str().unwrap_or_default().to_lowercase())
        .collect()
    };
    run.step("api_management_workspace_links", "list_by_service", async {
        let links = items(
            client
                .api_management_workspace_links()
                .list_by_service(RG, SVC),
        )
        .await?;
        let link = links.iter().find(|l| l["name"] == workspace);
        expect(
            link.is_some_and(|l| gateways(l) == [gateway_id.to_lowercase()]),
            || format!("links {links:?}"),
        )
    })
    .await;
    run.step("api_management_workspace_link", "get", async {
        let link = answered(
            client
                .api_management_workspace_link()
                .get(RG, SVC, workspace)
                .await,
        )?;
        expect(
            link["properties"]["workspaceId"] == workspace_id.as_str()
                && gateways(&link) == [gateway_id.to_lowercase()],
            || format!("{link}"),
        )
    })
    .await;
    run.step("api_gateway_config_connection", "delete", async {
        connections
            .delete(RG, gateway, connection, "*")
            .await
            .map_err(check::error)?;
        check::gone(connections.get(RG, gateway, connection).await)?;
        let link = answered(
            client
                .api_management_workspace_link()
                .get(RG, SVC, workspace)
                .await,
        )?;
        expect(gateways(&link).is_empty(), || {
            format!("gateways after delete {link}")
        })
    })
    .await;
    run.step("api_gateway", "delete", async {
        ops.delete(RG, gateway).await.map_err(check::error)?;
        check::gone(ops.get(RG, gateway).await)
    })
    .await;
}

/// The service's delete, then its soft-deleted copy until purged; the purge's operation is
/// read back by the location-level `operation_status` and `operations_results`.
pub(super) async fn deleted_service(run: &mut Run, emulator: &apim_emulator::Emulator) {
    let client = run.client.clone();
    run.step("api_management_service", "delete", async {
        client
            .api_management_service()
            .delete(RG, SVC)
            .await
            .map_err(check::error)?;
        check::gone(client.api_management_service().get(RG, SVC).await)
    })
    .await;
    let deleted = client.deleted_services();
    run.step("deleted_services", "list_by_subscription", async {
        let names = pluck(&items(deleted.list_by_subscription()).await?, "/name");
        expect(names.contains(&json!(SVC)), || format!("{names:?}"))
    })
    .await;
    run.step("deleted_services", "get_by_name", async {
        let got = answered(deleted.get_by_name(SVC, "westeurope").await)?;
        expect(
            got["properties"]["serviceId"]
                .as_str()
                .is_some_and(|id| id.eq_ignore_ascii_case(SERVICE_ID))
                && got["properties"]["scheduledPurgeDate"].is_string(),
            || format!("{got}"),
        )
    })
    .await;
    let before = emulator.requests().len();
    run.step("deleted_services", "purge", async {
        deleted
            .purge(SVC, "westeurope")
            .await
            .map_err(check::error)?;
        check::gone(deleted.get_by_name(SVC, "westeurope").await)
    })
    .await;
    // The purge's operation, as the status URL the client polled names it.
    let polled: Vec<String> = emulator.requests()[before..]
        .iter()
        .filter_map(|r| {
            let lower = r.path.to_lowercase();
            lower
                .contains("/locations/westeurope/operationstatuses/")
                .then(|| r.path.rsplit('/').next().unwrap_or_default().to_owned())
        })
        .collect();
    let operation = polled.first().cloned().unwrap_or_default();
    run.step("operation_status", "get", async {
        expect(!operation.is_empty(), || {
            "the purge polled no status URL".into()
        })?;
        let status = answered(
            client
                .operation_status()
                .get("westeurope", &operation)
                .await,
        )?;
        expect(
            status["name"] == operation.as_str() && status["status"] == "Succeeded",
            || format!("{status}"),
        )?;
        check::gone(
            client
                .operation_status()
                .get("westeurope", "never-started")
                .await,
        )
    })
    .await;
    run.step("operations_results", "get", async {
        expect(!operation.is_empty(), || {
            "the purge polled no status URL".into()
        })?;
        let answer = client
            .operations_results()
            .get("westeurope", &operation)
            .await
            .map_err(check::error)?;
        expect(answer.status() == 200, || {
            format!("status {}", answer.status())
        })
    })
    .await;
}
