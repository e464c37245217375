//! A bulk job against ARM's throttling, as the emulator models it with its buckets scaled
//! down so a run takes seconds: 64 concurrent tasks doing 1,000 writes (backend creates),
//! then 2,000 reads (backend gets), with buckets of 20 tokens refilled at 100 a second.
//!
//! ```sh
//! cargo bench --bench throttling        # after `bash conformance/run.sh` once, for the Python SDK's venv
//! ```
//!
//! Three runs, each on a fresh emulator: apim without pacing (it retries 429s after the
//! server's `Retry-After`, as the Azure SDKs do), apim with pacing sized like the buckets,
//! and the official Python SDK (`benches/throttling.py`: 64 threads, its default retry
//! policy). Each prints the wall time, the 429s the emulator answered, the 429s surfaced to
//! the caller as errors, and the wall time over the buckets' theoretical minimum (the
//! time the refill takes to pay for every request past the first full bucket, per kind).
//! Not a test: nothing asserts on time; the figures are recorded in BENCHMARKS.md §4.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use apim_client::models::{BackendContract, BackendContractProperties, BackendProtocol};
use apim_client::prelude::*;
use apim_client::{ApimClient, ApimClientOptions, PacingOptions, StaticTokenCredential};
use apim_emulator::{
    DEFAULT_RESOURCE_GROUP as RG, DEFAULT_SERVICE_NAME as SERVICE, DEFAULT_SUBSCRIPTION_ID,
    Emulator, EmulatorOptions, ThrottleOptions,
};

const TASKS: usize = 64;
const WRITES: usize = 1_000;
const READS: usize = 2_000;
const CAPACITY: u32 = 20;
const PER_SECOND: f64 = 100.0;

/// What one run gives.
struct Outcome {
    wall: Duration,
    answered_429: u64,
    surfaced_429: usize,
    other_errors: usize,
}

fn minimum() -> Duration {
    let past_the_bucket = |n: usize| n.saturating_sub(CAPACITY as usize) as f64 / PER_SECOND;
    Duration::from_secs_f64(past_the_bucket(WRITES) + past_the_bucket(READS))
}

async fn emulator() -> Result<Emulator, Box<dyn std::error::Error>> {
    Ok(Emulator::start_with(EmulatorOptions {
        throttle: Some(ThrottleOptions::uniform(CAPACITY, PER_SECOND)),
        ..EmulatorOptions::default()
    })
    .await?)
}

fn backend(n: usize) -> BackendContract {
    BackendContract::new(BackendContractProperties::single(
        format!("https://backend{n}.example/api"),
        BackendProtocol::Http,
    ))
}

/// `count` calls of `call(i)` for i in 0..count, by `TASKS` tasks taking the next index.
async fn phase<F, Fut>(count: usize, call: F) -> Vec<apim_client::Error>
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = apim_client::Result<()>> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..TASKS {
        let (next, call) = (next.clone(), call.clone());
        tasks.spawn(async move {
            let mut errors = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count {
                    return errors;
                }
                errors.extend(call(i).await.err());
            }
        });
    }
    let mut errors = Vec::new();
    while let Some(done) = tasks.join_next().await {
        errors.extend(done.expect("a task ends"));
    }
    errors
}

async fn apim(pacing: PacingOptions) -> Result<Outcome, Box<dyn std::error::Error>> {
    let emulator = emulator().await?;
    let options = ApimClientOptions {
        endpoint: emulator.endpoint().to_owned(),
        allow_http_loopback: true,
        pacing,
        ..ApimClientOptions::default()
    };
    let credential = Arc::new(StaticTokenCredential::new(emulator.token()));
    let client = ApimClient::new(DEFAULT_SUBSCRIPTION_ID, credential, Some(options))?;
    let started = Instant::now();
    let writer = client.clone();
    let mut errors = phase(WRITES, move |i| {
        let client = writer.clone();
        async move {
            let id = format!("b{i}");
            client
                .backend()
                .create_or_update(RG, SERVICE, &id, &backend(i), None)
                .await
                .map(drop)
        }
    })
    .await;
    let reader = client.clone();
    errors.extend(
        phase(READS, move |i| {
            let client = reader.clone();
            async move {
                let id = format!("b{}", i % WRITES);
                client.backend().get(RG, SERVICE, &id).await.map(drop)
            }
        })
        .await,
    );
    let wall = started.elapsed();
    let surfaced_429 = errors.iter().filter(|e| e.is_throttled()).count();
    Ok(Outcome {
        wall,
        answered_429: emulator.throttled_requests(),
        surfaced_429,
        other_errors: errors.len() - surfaced_429,
    })
}

/// The Python SDK's venv that `conformance/run.sh` builds, if it is there.
fn python() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or(root.join("target"), PathBuf::from);
    let venv =
        std::env::var_os("CONFORMANCE_VENV").map_or(target.join("conformance-venv"), PathBuf::from);
    let python = venv.join("bin/python");
    python.exists().then_some(python)
}

async fn python_sdk(python: PathBuf) -> Result<Outcome, Box<dyn std::error::Error>> {
    let emulator = emulator().await?;
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/throttling.py");
    let output = tokio::process::Command::new(python)
        .arg(script)
        .args([
            "--endpoint",
            emulator.endpoint(),
            "--token",
            emulator.token(),
        ])
        .args(["--tasks", &TASKS.to_string()])
        .args([
            "--writes",
            &WRITES.to_string(),
            "--reads",
            &READS.to_string(),
        ])
        .output()
        .await?;
    if !output.status.success() {
        return Err(format!(
            "benches/throttling.py failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    // One line: `wall_s surfaced_429 other_errors`.
    let text = String::from_utf8(output.stdout)?;
    let fields: Vec<&str> = text.split_whitespace().collect();
    let [wall, surfaced, other] = fields[..] else {
        return Err(format!("unexpected output of benches/throttling.py: {text:?}").into());
    };
    Ok(Outcome {
        wall: Duration::from_secs_f64(wall.parse()?),
        answered_429: emulator.throttled_requests(),
        surfaced_429: surfaced.parse()?,
        other_errors: other.parse()?,
    })
}

fn print(name: &str, outcome: &Outcome) {
    let requests = (WRITES + READS) as f64;
    println!(
        "| {name:<28} | {:>8.2} s | {:>6} ({:.2} %) | {:>8} | {:>6} | {:>6.3}× |",
        outcome.wall.as_secs_f64(),
        outcome.answered_429,
        outcome.answered_429 as f64 * 100.0 / requests,
        outcome.surfaced_429,
        outcome.other_errors,
        outcome.wall.as_secs_f64() / minimum().as_secs_f64(),
    );
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!(
        "{TASKS} tasks, {WRITES} writes then {READS} reads; buckets of {CAPACITY} refilled at {PER_SECOND}/s; theoretical minimum {:.1} s",
        minimum().as_secs_f64()
    );
    println!(
        "| run                          | wall       | 429s answered   | surfaced | other  | ÷ min   |"
    );
    println!(
        "| ---------------------------- | ---------- | --------------- | -------- | ------ | ------- |"
    );
    print("apim, no pacing", &apim(PacingOptions::off()).await?);
    print(
        "apim, pacing",
        &apim(PacingOptions::uniform(CAPACITY, PER_SECOND)).await?,
    );
    match python() {
        Some(python) => print("Python SDK (64 threads)", &python_sdk(python).await?),
        None => println!("| Python SDK: skipped, no venv: run `bash conformance/run.sh` once |"),
    }
    Ok(())
}
