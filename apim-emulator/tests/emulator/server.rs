//! Binding, lifecycle, the token, and the binary.

use std::io::{BufRead, BufReader};
use std::net::Ipv4Addr;
use std::process::{Command, Stdio};
use std::time::Duration;

use apim_emulator::Emulator;
use reqwest::Method;

use crate::common::{Harness, STEP, backend, bounded, send};

#[tokio::test]
async fn binds_only_loopback_on_an_ephemeral_port() {
    let h = Harness::new().await;
    let addr = h.emulator.addr();
    assert_eq!(addr.ip(), Ipv4Addr::LOCALHOST);
    assert_ne!(addr.port(), 0);
    assert_eq!(
        h.emulator.endpoint(),
        format!("http://127.0.0.1:{}", addr.port())
    );
    h.get(&backend("b1"))
        .await
        .arm_error(404, "ResourceNotFound");
}

#[tokio::test]
async fn start_on_port_uses_that_port_and_reports_a_taken_one() {
    let first = bounded(Emulator::start()).await.unwrap();
    let taken = first.addr().port();
    let error = bounded(Emulator::start_on_port(taken))
        .await
        .expect_err("the port is in use");
    assert_eq!(error.kind(), std::io::ErrorKind::AddrInUse);
    first.shutdown().await;
    // The port is free again once the first one has shut down.
    let second = bounded(Emulator::start_on_port(taken))
        .await
        .expect("port reusable after shutdown");
    assert_eq!(second.addr().port(), taken);
    assert_eq!(second.addr().ip(), Ipv4Addr::LOCALHOST);
}

#[tokio::test]
async fn tokens_are_random_per_instance() {
    let (a, b) = (
        bounded(Emulator::start()).await.unwrap(),
        bounded(Emulator::start()).await.unwrap(),
    );
    for token in [a.token(), b.token()] {
        let hex = token.strip_prefix("emulator-").expect("prefix");
        assert_eq!(hex.len(), 32);
        assert!(hex.chars().all(|c| c.is_ascii_hexdigit()));
    }
    assert_ne!(a.token(), b.token());
}

#[tokio::test]
async fn shutdown_and_drop_stop_serving() {
    let h = Harness::new().await;
    let url = h.url(&backend("b1"), "");
    let token = h.emulator.token().to_string();
    assert_eq!(h.get(&backend("b1")).await.status, 404);
    bounded(h.emulator.shutdown()).await;
    // A fresh client, so no pooled connection hides the closed listener.
    let client = reqwest::Client::builder().timeout(STEP).build().unwrap();
    let result = bounded(client.get(&url).bearer_auth(&token).send()).await;
    assert!(
        result
            .expect_err("nothing listens after shutdown")
            .is_connect()
    );

    let dropped = bounded(Emulator::start()).await.unwrap();
    let url = format!("{}/x?api-version=2024-05-01", dropped.endpoint());
    drop(dropped);
    // Dropping aborts the server task; give the runtime a moment to run the abort.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let result = bounded(client.get(&url).send()).await;
    assert!(result.expect_err("nothing listens after drop").is_connect());
}

#[tokio::test]
async fn shutdown_closes_open_connections() {
    let h = Harness::new().await;
    h.put_backend("b1", "https://a/").await;
    let request = h.request(Method::GET, &backend("b1"));
    h.emulator
        .inject(apim_emulator::Fault::Delay(Duration::from_secs(60)), 1);
    let pending = tokio::spawn(request.send());
    tokio::time::sleep(Duration::from_millis(200)).await;
    bounded(h.emulator.shutdown()).await;
    let result = bounded(pending).await.expect("task completes");
    assert!(
        result.is_err(),
        "an in-flight request fails rather than hangs: {result:?}"
    );
}

/// Kills the child process it holds when dropped, so a failing test leaves nothing running.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `apim-emulator --port 0` prints its endpoint and token and serves requests.
#[tokio::test]
async fn binary_prints_endpoint_and_token_and_serves() {
    let mut child = KillOnDrop(
        Command::new(env!("CARGO_BIN_EXE_apim-emulator"))
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("binary starts"),
    );
    let stdout = child.0.stdout.take().unwrap();
    let lines = tokio::task::spawn_blocking(move || {
        BufReader::new(stdout)
            .lines()
            .take(2)
            .collect::<Result<Vec<_>, _>>()
            .expect("stdout reads")
    });
    let lines = bounded(lines).await.expect("reader thread");
    assert_eq!(lines.len(), 2, "{lines:?}");
    let endpoint = lines[0].strip_prefix("endpoint: ").expect("endpoint line");
    let token = lines[1].strip_prefix("token: ").expect("token line");
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{endpoint}");
    let client = reqwest::Client::builder().timeout(STEP).build().unwrap();
    let resp = send(
        client
            .get(format!(
                "{endpoint}{}?api-version=2024-05-01",
                backend("b1")
            ))
            .bearer_auth(token),
    )
    .await;
    resp.arm_error(404, "ResourceNotFound");
    drop(child);
}

#[test]
fn binary_rejects_bad_arguments() {
    for args in [&["--port", "notaport"][..], &["--bogus"], &["--port"]] {
        let output = Command::new(env!("CARGO_BIN_EXE_apim-emulator"))
            .args(args)
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("usage"),
            "{args:?}"
        );
    }
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync + 'static>() {}
    check::<Emulator>();
    check::<apim_emulator::RecordedRequest>();
    check::<apim_emulator::Reconnect>();
    check::<apim_emulator::Fault>();
}
