//! The scenario's hand-written rows that the Rust client runs too: the tag group's
//! assignments and the lists the service computes from other resources, between the
//! parent instances of the generated life cycles (as `conformance/scenario.py` does).

use apim_client::prelude::*;

use super::generated::{create_parent, parent_name};
use super::{RG, Run, SVC, body, check};

pub(super) const SERVICE_ID: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/conformance-rg/providers/Microsoft.ApiManagement/service/conformance-svc";

/// The names the pager lists.
async fn names<T>(pager: apim_client::Pager<T>) -> Result<Vec<String>, String>
where
    T: serde::de::DeserializeOwned + serde::Serialize + Send + 'static,
{
    let items = pager.collect_all().await.map_err(check::error)?;
    Ok(items
        .iter()
        .map(|item| {
            serde_json::to_value(item).map_or_else(
                |_| String::new(),
                |v| v["name"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect())
}

pub(super) fn expect(condition: bool, message: impl FnOnce() -> String) -> Result<(), String> {
    if condition { Ok(()) } else { Err(message()) }
}

pub(super) async fn tag_assignments(run: &mut Run) {
    for parent in ["tag", "api", "api_operation", "product"] {
        create_parent(run, parent).await;
    }
    let client = run.client.clone();
    let tags = client.tag();
    let (tag, api, operation, product) = (
        parent_name("tag"),
        parent_name("api"),
        parent_name("api_operation"),
        parent_name("product"),
    );
    run.step("tag.assign", "assign_to_api", async {
        check::created(tags.assign_to_api(RG, SVC, api, tag).await, tag)?;
        check::got(tags.get_by_api(RG, SVC, api, tag).await, tag, true)?;
        let listed = names(tags.list_by_api(RG, SVC, api, None)).await?;
        expect(listed.iter().any(|n| n == tag), || {
            format!("listed {listed:?}")
        })?;
        check::deleted(tags.detach_from_api(RG, SVC, api, tag).await)?;
        check::gone(tags.get_by_api(RG, SVC, api, tag).await)
    })
    .await;
    run.step("tag.assign", "assign_to_operation", async {
        check::created(
            tags.assign_to_operation(RG, SVC, api, operation, tag).await,
            tag,
        )?;
        let listed = names(tags.list_by_operation(RG, SVC, api, operation, None)).await?;
        expect(listed.iter().any(|n| n == tag), || {
            format!("listed {listed:?}")
        })?;
        check::deleted(
            tags.detach_from_operation(RG, SVC, api, operation, tag)
                .await,
        )?;
        check::gone(tags.get_by_operation(RG, SVC, api, operation, tag).await)
    })
    .await;
    run.step("tag.assign", "assign_to_product", async {
        check::created(tags.assign_to_product(RG, SVC, product, tag).await, tag)?;
        let listed = names(tags.list_by_product(RG, SVC, product, None)).await?;
        expect(listed.iter().any(|n| n == tag), || {
            format!("listed {listed:?}")
        })?;
        check::deleted(tags.detach_from_product(RG, SVC, product, tag).await)?;
        check::gone(tags.get_by_product(RG, SVC, product, tag).await)
    })
    .await;
}

pub(super) async fn views(run: &mut Run) {
    for parent in ["user", "product", "api", "group"] {
        create_parent(run, parent).await;
    }
    let client = run.client.clone();
    let (user, product, api, group) = (
        parent_name("user"),
        parent_name("product"),
        parent_name("api"),
        parent_name("group"),
    );
    let sid = "conf-view-sub";
    run.step("user_subscription", "list", async {
        let owned = format!(
            r#"{{"properties": {{"ownerId": "{SERVICE_ID}/users/{user}",
                "scope": "{SERVICE_ID}/products/{product}", "displayName": "owned"}}}}"#
        );
        check::created(
            client
                .subscription()
                .create_or_update(RG, SVC, sid, &body(&owned)?, None)
                .await,
            sid,
        )?;
        let listed = names(client.user_subscription().list(RG, SVC, user, None)).await?;
        expect(listed == [sid], || format!("listed {listed:?}"))?;
        check::got(
            client.user_subscription().get(RG, SVC, user, sid).await,
            sid,
            true,
        )?;
        check::gone(
            client
                .user_subscription()
                .get(RG, SVC, "someone-else", sid)
                .await,
        )
    })
    .await;
    run.step("product_subscriptions", "list", async {
        let subscriptions = client.product_subscriptions();
        let listed = names(subscriptions.list(RG, SVC, product, None)).await?;
        expect(listed == [sid], || format!("listed {listed:?}"))?;
        check::deleted(client.subscription().delete(RG, SVC, sid, "*").await)?;
        let listed = names(subscriptions.list(RG, SVC, product, None)).await?;
        expect(listed.is_empty(), || {
            format!("listed after delete {listed:?}")
        })
    })
    .await;
    run.step("api_product", "list", async {
        check::created(
            client
                .product_api()
                .create_or_update(RG, SVC, product, api)
                .await,
            api,
        )?;
        let products = client.api_product();
        let listed = names(products.list_by_apis(RG, SVC, api, None)).await?;
        expect(listed == [product], || format!("listed {listed:?}"))?;
        check::deleted(client.product_api().delete(RG, SVC, product, api).await)?;
        let listed = names(products.list_by_apis(RG, SVC, api, None)).await?;
        expect(listed.is_empty(), || {
            format!("listed after unlinking {listed:?}")
        })
    })
    .await;
    run.step("user_group", "list", async {
        check::created(client.group_user().create(RG, SVC, group, user).await, user)?;
        let groups = client.user_group();
        let listed = names(groups.list(RG, SVC, user, None)).await?;
        expect(listed == [group], || format!("listed {listed:?}"))?;
        check::deleted(client.group_user().delete(RG, SVC, group, user).await)?;
        let listed = names(groups.list(RG, SVC, user, None)).await?;
        expect(listed.is_empty(), || {
            format!("listed after removing {listed:?}")
        })
    })
    .await;
}
