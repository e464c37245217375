//! Defect 2 of issue 14: with `HTTP_PROXY` set in the environment, a plain-http loopback
//! endpoint must not go through the proxy, which would see the token in clear. In a test
//! binary of its own: it sets process environment variables, which every test in the
//! same process would see.

#[path = "it/common.rs"]
mod common;

use std::io::Read;
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use apim_client::{ApimClient, ApimClientOptions, StaticTokenCredential};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A "proxy" on 127.0.0.1 that records whether anyone connected and what they sent.
fn fake_proxy() -> (String, Arc<AtomicBool>, Arc<std::sync::Mutex<Vec<u8>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let reached = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (flag, bytes) = (reached.clone(), seen.clone());
    std::thread::spawn(move || {
        // Bounded: one connection at most, read for at most a second.
        if let Ok((mut stream, _)) = listener.accept() {
            flag.store(true, Ordering::SeqCst);
            stream
                .set_read_timeout(Some(Duration::from_secs(1)))
                .unwrap();
            let mut buffer = [0u8; 4096];
            if let Ok(n) = stream.read(&mut buffer) {
                bytes.lock().unwrap().extend_from_slice(&buffer[..n]);
            }
        }
    });
    (address, reached, seen)
}

#[test]
fn a_loopback_endpoint_never_goes_through_an_environment_proxy() {
    let (proxy, reached, seen) = fake_proxy();
    // Setting the environment is `unsafe` in edition 2024; here it is sound:
    // SAFETY: no other thread of this process reads the environment yet: this binary has
    // this one test, and the runtime below starts after.
    #[allow(unsafe_code)]
    unsafe {
        for name in ["NO_PROXY", "no_proxy"] {
            std::env::remove_var(name);
        }
        for name in ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "ALL_PROXY"] {
            std::env::set_var(name, &proxy);
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(202))
            .mount(&server)
            .await;
        let client = ApimClient::new(
            common::SUBSCRIPTION,
            Arc::new(StaticTokenCredential::new(common::TOKEN)),
            Some(ApimClientOptions {
                retry: apim_client::RetryOptions::none(),
                request_timeout: Duration::from_secs(5),
                ..common::options(&server.uri())
            }),
        )
        .unwrap();
        let outcome = common::reconnect(&client, "proxybackend", None).await;
        let leaked = String::from_utf8_lossy(&seen.lock().unwrap()).contains(common::TOKEN);
        assert!(!leaked, "the proxy saw the token");
        assert!(!reached.load(Ordering::SeqCst), "the proxy was used");
        outcome.unwrap();
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    });
}
