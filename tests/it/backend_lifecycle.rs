//! The backend family against the emulator: create, read with ETag, conditional update,
//! a stale ETag refused with 412, a list across pages, and delete.

use crate::common;

use apim_client::models::{
    BackendContract, BackendContractProperties, BackendCreateOrUpdateOptions,
    BackendListByServiceOptions, BackendProtocol, BackendUpdateParameterProperties,
    BackendUpdateParameters,
};
use apim_client::prelude::*;

const RG: &str = "rg1";
const SERVICE: &str = "apimService1";

fn backend(url: &str) -> BackendContract {
    BackendContract::new(BackendContractProperties::single(
        url,
        BackendProtocol::Http,
    ))
}

fn description(text: &str) -> BackendUpdateParameters {
    BackendUpdateParameters::new(BackendUpdateParameterProperties {
        description: Some(text.to_owned()),
        ..Default::default()
    })
}

#[tokio::test]
async fn full_lifecycle_with_etags() {
    let emulator = common::emulator_with(&[]).await;
    let client = common::quick_client(&emulator);

    let created = client
        .backend()
        .create_or_update(RG, SERVICE, "b1", &backend("https://one.example/api"), None)
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    assert_eq!(created.model().name.as_deref(), Some("b1"));
    let first_etag = created
        .etag()
        .expect("created resource has an ETag")
        .to_owned();

    let got = client.backend().get(RG, SERVICE, "b1").await.unwrap();
    assert_eq!(got.etag(), Some(first_etag.as_str()));
    let properties = got.model().properties.as_ref().unwrap();
    assert_eq!(properties.url.as_deref(), Some("https://one.example/api"));
    assert_eq!(properties.protocol, Some(BackendProtocol::Http));
    assert_eq!(
        client
            .backend()
            .get_entity_tag(RG, SERVICE, "b1")
            .await
            .unwrap()
            .etag(),
        Some(first_etag.as_str())
    );

    let updated = client
        .backend()
        .update(RG, SERVICE, "b1", &first_etag, &description("first"))
        .await
        .unwrap();
    assert_eq!(updated.status(), 200);
    let properties = updated.model().properties.as_ref().unwrap();
    assert_eq!(properties.description.as_deref(), Some("first"));
    assert_eq!(
        properties.url.as_deref(),
        Some("https://one.example/api"),
        "PATCH keeps other properties"
    );
    let second_etag = updated.etag().unwrap().to_owned();
    assert_ne!(second_etag, first_etag);

    let stale = client
        .backend()
        .update(RG, SERVICE, "b1", &first_etag, &description("lost"))
        .await
        .unwrap_err();
    assert_eq!(stale.status(), Some(412));
    assert_eq!(stale.code(), Some("PreconditionFailed"));
    assert_eq!(stale.operation(), Some("Backend_Update"));

    let replaced = client
        .backend()
        .create_or_update(
            RG,
            SERVICE,
            "b1",
            &backend("https://two.example/api"),
            Some(BackendCreateOrUpdateOptions {
                if_match: Some(second_etag.clone()),
            }),
        )
        .await
        .unwrap();
    assert_eq!(replaced.status(), 200);
    let stale_put = client
        .backend()
        .create_or_update(
            RG,
            SERVICE,
            "b1",
            &backend("https://x/"),
            Some(BackendCreateOrUpdateOptions {
                if_match: Some(second_etag.clone()),
            }),
        )
        .await;
    assert_eq!(stale_put.unwrap_err().status(), Some(412));

    let current = replaced.etag().unwrap().to_owned();
    assert_eq!(
        client
            .backend()
            .delete(RG, SERVICE, "b1", &first_etag)
            .await
            .unwrap_err()
            .status(),
        Some(412)
    );
    assert_eq!(
        client
            .backend()
            .delete(RG, SERVICE, "b1", &current)
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        client
            .backend()
            .delete(RG, SERVICE, "b1", "*")
            .await
            .unwrap()
            .status(),
        204
    );
    let gone = client.backend().get(RG, SERVICE, "b1").await.unwrap_err();
    assert_eq!(
        (gone.status(), gone.code()),
        (Some(404), Some("ResourceNotFound"))
    );
}

#[tokio::test]
async fn lists_across_pages() {
    let emulator = common::emulator_with(&[]).await;
    let client = common::quick_client(&emulator);
    for i in 0..8 {
        let id = format!("b{i}");
        client
            .backend()
            .create_or_update(
                RG,
                SERVICE,
                &id,
                &backend(&format!("https://b{i}.example/")),
                None,
            )
            .await
            .unwrap();
    }

    let mut pager = client.backend().list_by_service(
        RG,
        SERVICE,
        Some(BackendListByServiceOptions {
            top: Some(3),
            ..Default::default()
        }),
    );
    let mut pages = Vec::new();
    while let Some(page) = pager.next_page().await {
        pages.push(page.unwrap().value.len());
    }
    assert_eq!(pages, [3, 3, 2]);
    let list_requests = emulator
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET")
        .count();
    assert_eq!(list_requests, 3);

    let all = client
        .backend()
        .list_by_service(
            RG,
            SERVICE,
            Some(BackendListByServiceOptions {
                top: Some(3),
                skip: Some(2),
                ..Default::default()
            }),
        )
        .collect_all()
        .await
        .unwrap();
    let names: Vec<_> = all.iter().filter_map(|b| b.name.clone()).collect();
    assert_eq!(names, ["b2", "b3", "b4", "b5", "b6", "b7"]);

    let filtered = client
        .backend()
        .list_by_service(
            RG,
            SERVICE,
            Some(BackendListByServiceOptions {
                filter: Some("name eq 'b5'".into()),
                ..Default::default()
            }),
        )
        .collect_all()
        .await
        .unwrap();
    assert_eq!(filtered.len(), 1);
    assert_eq!(filtered[0].name.as_deref(), Some("b5"));
}

#[tokio::test]
async fn invalid_names_are_refused_before_sending() {
    let emulator = common::emulator_with(&[]).await;
    let client = common::quick_client(&emulator);
    let err = client
        .backend()
        .get(RG, "not a service", "b1")
        .await
        .unwrap_err();
    assert!(err.is_invalid_argument(), "{err}");
    let err = client
        .backend()
        .list_by_service("bad/rg", SERVICE, None)
        .collect_all()
        .await
        .unwrap_err();
    assert!(err.is_invalid_argument(), "{err}");
    assert!(emulator.requests().is_empty());
}
