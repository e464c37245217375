//! 100 long-running creates against the emulator, default options on both sides: the
//! emulator as `Emulator::start()` starts it, the client as `ApimClient::local` makes it.
//!
//! ```sh
//! cargo bench --bench emulator_lro                  # release
//! APIM_BENCH_N=1000 cargo bench --bench emulator_lro
//! ```
//!
//! Prints the wall time of N named-value creates awaited one after the other (each a PUT,
//! its polls and the final GET), and the same N run 16 at a time. Not a test: nothing asserts
//! on time; the figure is recorded in BENCHMARKS.md.

use std::time::{Duration, Instant};

use apim_client::ApimClient;
use apim_client::models::{NamedValueCreateContract, NamedValueCreateContractProperties};
use apim_client::prelude::*;
use apim_emulator::{DEFAULT_RESOURCE_GROUP, DEFAULT_SERVICE_NAME, Emulator};

fn body(name: &str) -> NamedValueCreateContract {
    let mut properties = NamedValueCreateContractProperties::new(name);
    properties.value = Some("v".into());
    NamedValueCreateContract {
        properties: Some(properties),
        ..Default::default()
    }
}

async fn create(client: &ApimClient, name: &str) -> Duration {
    let started = Instant::now();
    let created = client
        .named_value()
        .create_or_update(
            DEFAULT_RESOURCE_GROUP,
            DEFAULT_SERVICE_NAME,
            name,
            &body(name),
            None,
        )
        .await
        .expect("the create succeeds");
    assert_eq!(created.status(), 200);
    started.elapsed()
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::var("APIM_BENCH_N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100);
    let emulator = Emulator::start().await?;
    let client = ApimClient::local(emulator.endpoint(), emulator.token())?;

    let started = Instant::now();
    let mut slowest = Duration::ZERO;
    for i in 0..n {
        slowest = slowest.max(create(&client, &format!("seq{i}")).await);
    }
    let sequential = started.elapsed();
    let polls = emulator
        .requests()
        .iter()
        .filter(|r| r.path.contains("/operationResults/") || r.path.contains("/operationStatuses/"))
        .count();

    let started = Instant::now();
    let names: Vec<String> = (0..n).map(|i| format!("par{i}")).collect();
    for chunk in names.chunks(16) {
        let mut creates = tokio::task::JoinSet::new();
        for name in chunk {
            let (client, name) = (client.clone(), name.clone());
            creates.spawn(async move { create(&client, &name).await });
        }
        while let Some(done) = creates.join_next().await {
            done?;
        }
    }
    let concurrent = started.elapsed();

    println!(
        "emulator_lro: {n} long-running creates, default options: one after the other {:.3} s \
         ({:.2} ms each, slowest {:.2} ms, {polls} polls); 16 at a time {:.3} s",
        sequential.as_secs_f64(),
        sequential.as_secs_f64() * 1000.0 / n as f64,
        slowest.as_secs_f64() * 1000.0,
        concurrent.as_secs_f64(),
    );
    emulator.shutdown().await;
    Ok(())
}
