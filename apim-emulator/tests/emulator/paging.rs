//! Listing: `$top`/`$skip`, `count`, `nextLink`, `$filter`.

use serde_json::{Value, json};

use crate::common::{Harness, backend, backends, send};

fn seed(h: &Harness, n: usize) {
    for i in 0..n {
        h.emulator
            .put_json(
                &backend(&format!("b{i:04}")),
                json!({"url": format!("https://b{i}/")}),
            )
            .expect("valid path");
    }
}

fn names(page: &Value) -> Vec<String> {
    page["value"]
        .as_array()
        .expect("value is an array")
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn follows_next_link_exactly_across_pages() {
    let h = Harness::new().await;
    seed(&h, 250);
    let mut url = h.url(&backends(), "$top=100");
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let resp = send(h.http.get(&url).bearer_auth(h.emulator.token())).await;
        assert_eq!(resp.status, 200, "{resp:?}");
        let page = resp.json();
        assert_eq!(page["count"], 250, "count is the total across pages");
        seen.extend(names(&page));
        pages += 1;
        match page.get("nextLink") {
            Some(next) => {
                let next = next.as_str().expect("nextLink is a string");
                assert!(
                    next.starts_with(&format!("{}{}?", h.emulator.endpoint(), backends())),
                    "{next}"
                );
                assert!(next.contains("api-version=2024-05-01"), "{next}");
                assert!(next.contains("$top=100"), "{next}");
                assert!(next.contains(&format!("$skip={}", pages * 100)), "{next}");
                url = next.to_string();
            }
            None => break,
        }
        assert!(pages < 10, "paging does not end");
    }
    assert_eq!(pages, 3);
    let expected: Vec<String> = (0..250).map(|i| format!("b{i:04}")).collect();
    assert_eq!(seen, expected, "every item exactly once, in name order");
}

#[tokio::test]
async fn default_page_size_is_100_and_last_page_has_no_next_link() {
    let h = Harness::new().await;
    seed(&h, 150);
    let first = h.get(&backends()).await.json();
    assert_eq!(names(&first).len(), 100);
    let next = first["nextLink"].as_str().expect("a second page");
    let second = send(h.http.get(next).bearer_auth(h.emulator.token()))
        .await
        .json();
    assert_eq!(names(&second).len(), 50);
    assert!(second.get("nextLink").is_none(), "{second}");
}

#[tokio::test]
async fn exact_multiple_of_top_ends_without_an_empty_page() {
    let h = Harness::new().await;
    seed(&h, 4);
    let resp = send(
        h.http
            .get(h.url(&backends(), "$top=2&$skip=2"))
            .bearer_auth(h.emulator.token()),
    )
    .await
    .json();
    assert_eq!(names(&resp), ["b0002", "b0003"]);
    assert!(resp.get("nextLink").is_none());
}

#[tokio::test]
async fn empty_collection_lists_nothing() {
    let h = Harness::new().await;
    let resp = h.get(&backends()).await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.json(), json!({"value": [], "count": 0}));
}

#[tokio::test]
async fn bad_top_and_skip_are_400() {
    let h = Harness::new().await;
    for (query, target) in [
        ("$top=0", "$top"),
        ("$top=-5", "$top"),
        ("$top=ten", "$top"),
        ("$skip=-1", "$skip"),
        ("$skip=x", "$skip"),
    ] {
        let resp = send(
            h.http
                .get(h.url(&backends(), query))
                .bearer_auth(h.emulator.token()),
        )
        .await;
        assert_eq!(
            resp.arm_error(400, "ValidationError")["target"],
            target,
            "{query}"
        );
    }
}

#[tokio::test]
async fn large_top_is_accepted() {
    let h = Harness::new().await;
    seed(&h, 3);
    let resp = send(
        h.http
            .get(h.url(&backends(), "$top=1000"))
            .bearer_auth(h.emulator.token()),
    )
    .await;
    assert_eq!(names(&resp.json()).len(), 3);
}

#[tokio::test]
async fn filter_by_name_and_unknown_filters_are_ignored() {
    let h = Harness::new().await;
    seed(&h, 5);
    let get = |filter: &str| {
        let encoded: String = filter.bytes().map(|b| format!("%{b:02X}")).collect();
        send(
            h.http
                .get(h.url(&backends(), &format!("$filter={encoded}")))
                .bearer_auth(h.emulator.token()),
        )
    };
    let resp = get("name eq 'B0003'").await.json();
    assert_eq!(names(&resp), ["b0003"]);
    assert_eq!(resp["count"], 1);
    let resp = get("startswith(name,'b000')").await.json();
    assert_eq!(resp["count"], 5);
    let resp = get("url eq 'https://b1/'").await.json();
    assert_eq!(names(&resp), ["b0001"]);
    let resp = get("properties/whatever gt 3 or something").await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.json()["count"], 5);
}

#[tokio::test]
async fn next_link_keeps_the_filter() {
    let h = Harness::new().await;
    seed(&h, 5);
    let first = send(
        h.http
            .get(h.url(&backends(), "$filter=name%20ne%20%27b0000%27&$top=2"))
            .bearer_auth(h.emulator.token()),
    )
    .await
    .json();
    assert_eq!(names(&first), ["b0001", "b0002"]);
    let next = first["nextLink"].as_str().unwrap();
    let second = send(h.http.get(next).bearer_auth(h.emulator.token()))
        .await
        .json();
    assert_eq!(names(&second), ["b0003", "b0004"]);
    assert!(second.get("nextLink").is_none());
}
