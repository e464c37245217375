//! User-declared operations (the `extend` example's traits) against the emulator.

#[allow(dead_code, unreachable_pub)]
#[path = "../../examples/extend.rs"]
mod extend;

use extend::{ApiApi, NamedValueApi, RESOURCE_GROUP, SERVICE};

#[tokio::test]
async fn the_extension_example_runs_against_the_emulator() {
    let (emulator, client) = extend::emulator_and_client().await.unwrap();
    let lines = extend::demo(&client).await.unwrap();
    assert_eq!(lines[1], "listValue of `backend-key`: 6 characters");
    assert!(
        lines[2].starts_with("API `echo-api` (Echo API), ETag \""),
        "{lines:?}"
    );
    assert_eq!(lines.last().unwrap(), "reading it again: ResourceNotFound");
    assert_eq!(
        &lines[3..lines.len() - 2],
        [
            "deleting API `echo-api`: Accepted",
            "deleting API `echo-api`: InProgress (33%)",
            "deleting API `echo-api`: InProgress (66%)",
            "deleting API `echo-api`: Succeeded",
        ]
    );

    let delete = emulator
        .requests()
        .into_iter()
        .find(|r| r.method == "DELETE")
        .unwrap();
    assert!(
        delete
            .header("if-match")
            .is_some_and(|etag| etag.starts_with('"'))
    );
    assert_eq!(
        delete.query.as_deref(),
        Some("api-version=2024-05-01&deleteRevisions=true")
    );
    let list_value = emulator
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/listValue"))
        .unwrap();
    assert_eq!(list_value.method, "POST");
    assert_eq!(list_value.header("content-length"), Some("0"));
}

#[tokio::test]
async fn user_declared_operations_report_errors_like_shipped_ones() {
    let (_emulator, client) = extend::emulator_and_client().await.unwrap();
    let err = client
        .list_named_value(RESOURCE_GROUP, SERVICE, "missing")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFound"));
    assert_eq!(err.operation(), Some("list_named_value"));
    let err = client
        .delete_api(RESOURCE_GROUP, SERVICE, "echo-api", "\"stale\"", None)
        .await
        .unwrap_err();
    assert_eq!(err.operation(), Some("delete_api"));
    assert_eq!(
        (err.status(), err.code()),
        (Some(412), Some("PreconditionFailed"))
    );
    let err = client
        .get_api(RESOURCE_GROUP, "bad name", "echo-api")
        .await
        .unwrap_err();
    assert!(
        err.is_invalid_argument(),
        "service_name is checked in user operations too: {err}"
    );
}
