//! Parents must exist, deleting a parent deletes its children, and a child's id, name and
//! type are derived from its path.

use reqwest::Method;
use serde_json::json;

use crate::common::{Harness, SERVICE, send};

#[tokio::test]
async fn a_child_needs_its_parent() {
    let h = Harness::new().await;
    let api = format!("{SERVICE}/apis/a");
    let operation = format!("{api}/operations/o");
    let body = json!({"properties": {"displayName": "O", "method": "GET", "urlTemplate": "/"}});
    let error = h
        .put(&operation, &body)
        .await
        .arm_error(404, "ResourceNotFound");
    assert_eq!(
        error["message"],
        "The Resource 'Microsoft.ApiManagement/service/apimService1/apis/a' under resource \
         group 'rg1' was not found."
    );
    // Reads, lists, updates, deletes and actions under a missing parent are 404 too.
    h.get(&operation).await.arm_error(404, "ResourceNotFound");
    h.get(&format!("{api}/operations"))
        .await
        .arm_error(404, "ResourceNotFound");
    send(
        h.request(Method::DELETE, &operation)
            .header("if-match", "*"),
    )
    .await
    .arm_error(404, "ResourceNotFound");
    send(h.request(Method::POST, &format!("{SERVICE}/namedValues/nv/listValue")))
        .await
        .arm_error(404, "ResourceNotFound");

    h.emulator
        .put_json(&api, json!({"displayName": "A", "path": "a"}))
        .expect("valid path");
    let created = h.put(&operation, &body).await;
    assert_eq!(created.status, 201, "{created:?}");
    let created = created.json();
    assert_eq!(created["id"], operation);
    assert_eq!(created["name"], "o");
    assert_eq!(
        created["type"],
        "Microsoft.ApiManagement/service/apis/operations"
    );
}

#[tokio::test]
async fn everything_needs_the_service() {
    let h = Harness::bare().await;
    let error = h
        .put(
            &format!("{SERVICE}/backends/b1"),
            &json!({"properties": {"url": "https://b", "protocol": "http"}}),
        )
        .await
        .arm_error(404, "ResourceNotFound");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("'Microsoft.ApiManagement/service/apimService1'")),
        "{error}"
    );
    h.get(&format!("{SERVICE}/apis"))
        .await
        .arm_error(404, "ResourceNotFound");
    // Seeding creates the missing parents, the service included.
    h.seed(&[format!("{SERVICE}/apis/a/operations/o")]);
    let service = h.get(SERVICE).await;
    assert_eq!(service.status, 200, "{service:?}");
    assert_eq!(h.get(&format!("{SERVICE}/apis/a")).await.status, 200);
}

#[tokio::test]
async fn a_link_needs_its_parents_but_not_what_it_links() {
    let h = Harness::new().await;
    let link = format!("{SERVICE}/products/p1/apis/a1");
    send(h.request(Method::PUT, &link))
        .await
        .arm_error(404, "ResourceNotFound");
    h.seed(&[format!("{SERVICE}/products/p1")]);
    let created = send(h.request(Method::PUT, &link)).await;
    assert_eq!(created.status, 201, "{created:?}");
    assert_eq!(created.json()["name"], "a1");
}

#[tokio::test]
async fn built_in_parents_need_no_creating() {
    let h = Harness::new().await;
    // Notifications have fixed names and always exist in APIM.
    let recipient = format!(
        "{SERVICE}/notifications/RequestPublisherNotificationMessage/recipientEmails/a@b.c"
    );
    assert_eq!(send(h.request(Method::PUT, &recipient)).await.status, 201);
}

#[tokio::test]
async fn deleting_a_parent_deletes_its_children() {
    let h = Harness::new().await;
    let api = format!("{SERVICE}/apis/a");
    h.seed(&[
        format!("{api}/operations/o1"),
        format!("{api}/operations/o1/policies/policy"),
        format!("{api}/operations/o2"),
        format!("{SERVICE}/apis/b/operations/o1"),
    ]);
    let deleted = send(
        h.request(Method::DELETE, &format!("{api}/operations/o1"))
            .header("if-match", "*"),
    )
    .await;
    assert_eq!(deleted.status, 200, "{deleted:?}");
    assert!(
        h.emulator
            .get_json(&format!("{api}/operations/o1/policies/policy"))
            .is_none()
    );

    h.seed(&[format!("{api}/operations/o1/policies/policy")]);
    h.emulator
        .put_json(&api, json!({"displayName": "again"}))
        .expect("valid path");
    assert!(
        h.emulator
            .get_json(&format!("{api}/operations/o2"))
            .is_some()
    );

    // The API is long-running to delete: its children go when the operation completes.
    let first = send(h.request(Method::DELETE, &api).header("if-match", "*")).await;
    assert_eq!(first.status, 202, "{first:?}");
    let status_url = first.header("azure-asyncoperation").expect("status URL");
    for _ in 0..3 {
        send(h.http.get(status_url).bearer_auth(h.emulator.token())).await;
    }
    assert!(h.emulator.get_json(&api).is_none());
    for gone in [
        "operations/o1",
        "operations/o2",
        "operations/o1/policies/policy",
    ] {
        assert!(
            h.emulator.get_json(&format!("{api}/{gone}")).is_none(),
            "{gone}"
        );
    }
    // Re-created, the API has no operations left over; another API keeps its own.
    h.seed(std::slice::from_ref(&api));
    assert_eq!(h.get(&format!("{api}/operations")).await.json()["count"], 0);
    assert!(
        h.emulator
            .get_json(&format!("{SERVICE}/apis/b/operations/o1"))
            .is_some()
    );
}

#[tokio::test]
async fn a_parent_no_operation_creates_is_not_required() {
    let h = Harness::new().await;
    // `quotas/{counterKey}` is read and patched, never created: its periods are reachable.
    let period = format!("{SERVICE}/quotas/ba/periods/0_P3Y6M4DT12H30M5S");
    let error = h.get(&period).await.arm_error(404, "ResourceNotFound");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("/quotas/ba/periods/")),
        "the period itself is missing, not its counter key: {error}"
    );
}

/// A PUT racing its parent's DELETE either lands before the delete (and goes with it) or
/// is refused: it never leaves a child behind that a new parent of the same name would
/// inherit. The check of the parent and the write are one step; a large body (parsed
/// between them, once) widens the window a race would need.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_put_racing_its_parents_delete_leaves_no_orphan() {
    const ROUNDS: usize = 40;
    let h = Harness::new().await;
    let workspace = format!("{SERVICE}/workspaces/w1");
    let backend = format!("{workspace}/backends/b1");
    let body = json!({"properties": {
        "url": "https://b", "protocol": "http", "description": "x".repeat(2 << 20)
    }});
    let body = serde_json::to_vec(&body).unwrap();
    let mut orphans = 0;
    for _ in 0..ROUNDS {
        h.emulator
            .put_json(&workspace, json!({"displayName": "w1"}))
            .expect("valid path");
        let put = send(
            h.request(Method::PUT, &backend)
                .header("content-type", "application/json")
                .body(body.clone()),
        );
        let delete = async {
            // Let the PUT arrive and start parsing first.
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
            send(
                h.request(Method::DELETE, &workspace)
                    .header("if-match", "*"),
            )
            .await
        };
        let (put, delete) = tokio::join!(put, delete);
        assert!(matches!(put.status, 201 | 404), "{put:?}");
        assert_eq!(delete.status, 200, "{delete:?}");
        // A new workspace of the same name starts empty.
        h.emulator
            .put_json(&workspace, json!({"displayName": "w1"}))
            .expect("valid path");
        if h.get(&backend).await.status != 404 {
            orphans += 1;
        }
        assert_eq!(
            send(
                h.request(Method::DELETE, &workspace)
                    .header("if-match", "*")
            )
            .await
            .status,
            200
        );
    }
    assert_eq!(orphans, 0, "{orphans} of {ROUNDS} PUTs left a child behind");
}
