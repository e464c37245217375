//! Tokens never appear in logs, at any level, from any crate. In a test binary of its
//! own: a subscriber set for one test sees only its thread, and tests in the same process
//! would race for the callsites' cached interest.

#[path = "it/common.rs"]
mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use apim_client::apis::BackendReconnectApi;
use common::TOKEN;
use wiremock::{MockServer, ResponseTemplate};

/// Collects everything logged, at every level, by every crate.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn tokens_never_appear_in_logs_debug_or_errors() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    common::answer_then(
        &server,
        ResponseTemplate::new(429).insert_header("retry-after", "0"),
        1,
        ResponseTemplate::new(401),
    )
    .await;
    let client = common::client(&server.uri());
    let err = client
        .backend_reconnect("rg1", "apimService1", "proxybackend", None)
        .await
        .unwrap_err();

    let logged = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logged.contains("answered") && logged.contains("retrying"),
        "the client logs at debug: {logged}"
    );
    for text in [
        logged,
        format!("{err}"),
        format!("{err:?}"),
        format!("{client:?}"),
    ] {
        assert!(!text.contains(TOKEN), "token leaked: {text}");
    }
}
