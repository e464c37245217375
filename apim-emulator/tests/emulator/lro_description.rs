//! Long-running operations beyond the first six: which ones are long-running, and their
//! first answers' codes, come from the checked-in description.

use serde_json::{Value, json};

use crate::common::{Harness, SERVICE};

fn seed_service(h: &Harness) {
    h.emulator
        .put_json(
            SERVICE,
            json!({"publisherEmail": "a@b.c", "publisherName": "p"}),
        )
        .expect("valid path");
}

/// Polls a started operation to its end and returns the result URL's answer.
async fn finish(h: &Harness, first: &crate::common::Resp) -> crate::common::Resp {
    let links = h.links(first);
    let (in_progress, status) = h.poll_status_to_end(&links).await;
    assert_eq!(in_progress, 2);
    assert_eq!(status["status"], "Succeeded", "{status}");
    h.poll(links.result()).await
}

#[tokio::test]
async fn schema_and_policy_fragment_creates_run_as_operations() {
    let h = Harness::new().await;
    h.seed(&[format!("{SERVICE}/workspaces/w1")]);
    for (path, body) in [
        (
            format!("{SERVICE}/schemas/s1"),
            json!({"properties": {"schemaType": "json", "document": {}}}),
        ),
        (
            format!("{SERVICE}/workspaces/w1/apis/a1"),
            json!({"properties": {"displayName": "A", "path": "a"}}),
        ),
        (
            format!("{SERVICE}/policyFragments/f1"),
            json!({"properties": {"value": "<fragment />"}}),
        ),
    ] {
        let first = h.put(&path, &body).await;
        assert_eq!(first.status, 201, "{path}: {first:?}");
        assert_eq!(
            first.json()["properties"]["provisioningState"],
            "InProgress"
        );
        h.get(&path).await.arm_error(404, "ResourceNotFound");
        let done = finish(&h, &first).await;
        assert_eq!(done.status, 200, "{path}: {done:?}");
        assert_eq!(h.get(&path).await.status, 200, "{path}");
    }
}

#[tokio::test]
async fn a_portal_revision_put_is_201_even_when_replacing() {
    let h = Harness::new().await;
    let path = format!("{SERVICE}/portalRevisions/r1");
    let body = json!({"properties": {"description": "r1"}});
    let first = h.put(&path, &body).await;
    assert_eq!(first.status, 201);
    finish(&h, &first).await;
    // The description's only code for this PUT is 201.
    let again = h.put(&path, &body).await;
    assert_eq!(again.status, 201, "{again:?}");
}

#[tokio::test]
async fn a_private_endpoint_connection_put_is_202_without_a_body() {
    let h = Harness::new().await;
    let path = format!("{SERVICE}/privateEndpointConnections/c1");
    let first = h
        .put(
            &path,
            &json!({"properties": {"privateLinkServiceConnectionState": {}}}),
        )
        .await;
    assert_eq!(first.status, 202, "{first:?}");
    assert!(first.body.is_empty());
    assert_eq!(finish(&h, &first).await.json()["name"], "c1");
}

#[tokio::test]
async fn service_create_update_and_delete_are_long_running() {
    let h = Harness::bare().await;
    let first = h
        .put(SERVICE, &json!({"properties": {"publisherName": "p"}}))
        .await;
    assert_eq!(first.status, 201, "{first:?}");
    h.get(SERVICE).await.arm_error(404, "ResourceNotFound");
    finish(&h, &first).await;

    let first = h
        .patch(SERVICE, &json!({"properties": {"publisherName": "q"}}))
        .await;
    assert_eq!(first.status, 202, "{first:?}");
    let done = finish(&h, &first).await;
    assert_eq!(done.json()["properties"]["publisherName"], "q");

    let first = h.delete(SERVICE).await;
    assert_eq!(first.status, 202, "{first:?}");
    // `ApiManagementService_Delete`'s final answer is the service as it was deleted.
    let done = finish(&h, &first).await;
    assert_eq!(done.status, 200, "{done:?}");
    assert_eq!(done.json()["properties"]["publisherName"], "q");
    h.get(SERVICE).await.arm_error(404, "ResourceNotFound");
}

#[tokio::test]
async fn restore_and_user_delete_are_long_running() {
    let h = Harness::new().await;
    seed_service(&h);
    let parameters: Value =
        json!({"storageAccount": "acct", "containerName": "c", "backupName": "b"});
    h.post(&format!("{SERVICE}/restore"), Some(&json!({})))
        .await
        .arm_error(400, "ValidationError");
    let first = h
        .post(&format!("{SERVICE}/restore"), Some(&parameters))
        .await;
    assert_eq!(first.status, 202, "{first:?}");
    assert_eq!(
        finish(&h, &first).await.json()["properties"]["publisherName"],
        "p"
    );

    let user = format!("{SERVICE}/users/u1");
    h.emulator
        .put_json(&user, json!({"email": "u@contoso.example"}))
        .expect("valid path");
    let first = h.delete(&user).await;
    assert_eq!(first.status, 202, "{first:?}");
    assert_eq!(h.get(&user).await.status, 200, "still there until done");
    assert_eq!(finish(&h, &first).await.status, 204);
    h.get(&user).await.arm_error(404, "ResourceNotFound");
}
