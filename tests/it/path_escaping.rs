//! Property: for any string as a path value, the server receives exactly the expected
//! segments and the value's segment decodes back to the input, or the client refuses the
//! value before anything is sent.

use crate::common;

use std::sync::OnceLock;

use apim_client::apis::BackendReconnectApi;
use apim_client::{ApimClient, Result, apim_operation, rules};
use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use wiremock::matchers::any as any_request;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A user-declared operation: its `<name>` has no documented constraint beyond being a
/// segment, so it sees the widest range of values.
trait ThingApi {
    #[apim_operation(GET, "/subscriptions/<subscription_id>/things/<name>/sub")]
    async fn get_thing(&self, name: &str) -> Result<()>;
}

impl ThingApi for ApimClient {}

struct Fixture {
    runtime: tokio::runtime::Runtime,
    server: MockServer,
    client: ApimClient,
}

/// One server per property (`slot`), since the properties run in parallel and count requests.
fn fixture(slot: usize) -> &'static Fixture {
    static FIXTURES: [OnceLock<Fixture>; 2] = [OnceLock::new(), OnceLock::new()];
    FIXTURES[slot].get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(async {
            let server = MockServer::start().await;
            Mock::given(any_request())
                .respond_with(ResponseTemplate::new(202))
                .mount(&server)
                .await;
            server
        });
        let client = common::client(&server.uri());
        Fixture {
            runtime,
            server,
            client,
        }
    })
}

/// Sends with `send` and returns the raw path the server received, or `None` when the
/// client refused the request (and then checks nothing was sent).
fn received_path(slot: usize, send: impl AsyncFnOnce(&ApimClient) -> Result<()>) -> Option<String> {
    let f = fixture(slot);
    f.runtime.block_on(async {
        let before = f.server.received_requests().await.unwrap().len();
        let result = send(&f.client).await;
        let requests = f.server.received_requests().await.unwrap();
        match result {
            Ok(()) => {
                assert_eq!(requests.len(), before + 1);
                Some(requests.last().unwrap().url.path().to_owned())
            }
            Err(e) => {
                assert!(e.is_invalid_argument(), "unexpected error: {e}");
                assert_eq!(requests.len(), before, "a refused request must not be sent");
                None
            }
        }
    })
}

fn decode(segment: &str) -> String {
    percent_decode_str(segment)
        .decode_utf8()
        .expect("valid UTF-8")
        .into_owned()
}

/// An encoded segment holds only unreserved characters and `%XX` escapes.
fn is_encoded_segment(segment: &str) -> bool {
    let bytes = segment.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len()
                && bytes[i + 1].is_ascii_hexdigit()
                && bytes[i + 2].is_ascii_hexdigit() =>
            {
                i += 3;
            }
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => i += 1,
            _ => return false,
        }
    }
    true
}

fn any_string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9 /?#%.&=+;:@~_()-]{0,12}",
        Just(String::from(".")),
        Just(String::from("..")),
        Just(String::from("%2e%2e")),
        Just(String::from("../..")),
        Just(String::from("a/../b")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn a_user_declared_segment_round_trips(value in any_string()) {
        let path = received_path(0, async |c: &ApimClient| c.get_thing(&value).await);
        let must_refuse = value.is_empty() || value == "." || value == "..";
        prop_assert_eq!(path.is_none(), must_refuse);
        if let Some(path) = path {
            let segments: Vec<&str> = path.split('/').collect();
            prop_assert_eq!(segments.len(), 6, "{}", path);
            prop_assert_eq!(&segments[..3], &["", "subscriptions", common::SUBSCRIPTION]);
            prop_assert_eq!(segments[3], "things");
            prop_assert_eq!(segments[5], "sub");
            prop_assert!(is_encoded_segment(segments[4]), "{}", segments[4]);
            prop_assert_eq!(decode(segments[4]), value);
        }
    }

    #[test]
    fn backend_reconnect_segments_round_trip_or_are_refused(
        rg in any_string(), service in any_string(), backend in any_string(),
    ) {
        let path = received_path(1, async |c: &ApimClient| c.backend_reconnect(&rg, &service, &backend, None).await);
        let valid = rules::RESOURCE_GROUP_NAME.check(&rg).is_ok()
            && rules::SERVICE_NAME.check(&service).is_ok()
            && rules::BACKEND_ID.check(&backend).is_ok();
        prop_assert_eq!(path.is_some(), valid);
        if let Some(path) = path {
            let segments: Vec<&str> = path.split('/').collect();
            prop_assert_eq!(segments.len(), 12, "{}", path);
            prop_assert!(segments[1..].iter().all(|s| is_encoded_segment(s)));
            prop_assert_eq!(decode(segments[4]), rg);
            prop_assert_eq!(decode(segments[8]), service);
            prop_assert_eq!(segments[9], "backends");
            prop_assert_eq!(decode(segments[10]), backend);
            prop_assert_eq!(segments[11], "reconnect");
        }
    }
}

/// `apim_client` with sending replaced by keeping the built URL, so the expansion's path
/// building can be checked for many more values than a server could answer in a test.
mod url_only {
    pub(super) use apim_client::ApimClient;

    thread_local! {
        pub static LAST_URL: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
    }

    pub(super) mod __private {
        pub(crate) use apim_client::__private::{Method, Operation, RequestBuilder, rules};

        pub(crate) async fn send_empty(request: RequestBuilder<'_>) -> apim_client::Result<()> {
            let built = apim_client::__private::build_http_request(request).await?;
            super::LAST_URL.with(|url| *url.borrow_mut() = Some(built.url().to_string()));
            Ok(())
        }
    }
}

trait ThingUrl {
    #[apim_operation(GET, "/subscriptions/<subscription_id>/things/<name>/sub", crate = url_only)]
    async fn thing_url(&self, name: &str) -> Result<()>;
}

impl ThingUrl for ApimClient {}

/// The URL the expansion builds for `value`, or `None` when it refuses the value.
fn built_url(client: &ApimClient, value: &str) -> Option<String> {
    use futures_util::FutureExt;
    url_only::LAST_URL.with(|url| url.borrow_mut().take());
    let result = client
        .thing_url(value)
        .now_or_never()
        .expect("building a request never waits");
    match result {
        Ok(()) => url_only::LAST_URL.with(|url| url.borrow_mut().take()),
        Err(e) => {
            assert!(e.is_invalid_argument(), "{e}");
            None
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100_000, ..ProptestConfig::default() })]

    /// 100,000 values: the URL parses back to exactly one segment that decodes to the value.
    #[test]
    fn any_value_is_exactly_one_segment(value in any_string()) {
        static CLIENT: OnceLock<ApimClient> = OnceLock::new();
        let client = CLIENT.get_or_init(|| common::client("https://management.azure.com"));
        let url = built_url(client, &value);
        prop_assert_eq!(url.is_none(), value.is_empty() || value == "." || value == "..");
        if let Some(url) = url {
            let parsed = reqwest::Url::parse(&url).unwrap();
            prop_assert_eq!(parsed.host_str(), Some("management.azure.com"));
            prop_assert_eq!(parsed.query(), Some("api-version=2024-05-01"));
            let segments: Vec<&str> = parsed.path_segments().unwrap().collect();
            prop_assert_eq!(segments.len(), 5, "{}", url);
            prop_assert_eq!(&segments[..3], &["subscriptions", common::SUBSCRIPTION, "things"]);
            prop_assert_eq!(segments[4], "sub");
            prop_assert!(is_encoded_segment(segments[3]), "{}", segments[3]);
            prop_assert_eq!(decode(segments[3]), value);
        }
    }
}
