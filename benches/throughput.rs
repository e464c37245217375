//! Throughput of `backend_reconnect` through `ApimClient` against hand-written reqwest
//! sending the same request (same JSON, same headers, keep-alive, one client) to the same
//! loopback hyper server answering 202, in one run.
//!
//! ```text
//! cargo bench --bench throughput                 # N = 20,000 per point, 3 rounds
//! APIM_BENCH_N=2000 cargo bench --bench throughput
//! ```
//!
//! The server runs in a child process (this binary started with `APIM_BENCH_SERVER=1`), so
//! the CPU time measured here is the client's alone.
//!
//! With `APIM_BENCH_ONLY=apim` (or `raw`) it makes `APIM_BENCH_N` sequential calls of that
//! one client and nothing else: the mode `benches/instructions.sh` runs under callgrind,
//! which counts the client's instructions (the server is another process). Reported per point: requests per
//! second, p50 and p99 latency, client CPU µs per request, and apim's ratio to raw reqwest
//! (median of the rounds).

use std::convert::Infallible;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use apim_client::apis::BackendReconnectApi;
use apim_client::models::BackendReconnectRequest;
use apim_client::{ApimClient, ApimClientOptions, StaticTokenCredential};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde::Serialize;

const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";
const TOKEN: &str = "bench-token";
const CONCURRENCY: [usize; 2] = [1, 64];
const ROUNDS: usize = 3;

fn main() {
    if std::env::var_os("APIM_BENCH_SERVER").is_some() {
        return serve();
    }
    let n: usize = std::env::var("APIM_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let mut server = ServerProcess::start();
    let endpoint = server.endpoint.clone();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    if let Ok(only) = std::env::var("APIM_BENCH_ONLY") {
        let client = match only.as_str() {
            "apim" => Client::apim(&endpoint),
            "raw" => Client::raw(&endpoint),
            other => panic!("APIM_BENCH_ONLY is `apim` or `raw`, not `{other}`"),
        };
        runtime.block_on(async {
            for _ in 0..n {
                client.reconnect().await;
            }
        });
        return server.stop();
    }
    println!(
        "N = {n} per point, {ROUNDS} rounds, median; client on one thread, server in a child process"
    );
    println!(
        "{:<6} {:>4} {:>10} {:>9} {:>9} {:>12} {:>7}",
        "client", "c", "req/s", "p50 µs", "p99 µs", "CPU µs/req", "ratio"
    );
    for concurrency in CONCURRENCY {
        let raw = median(ROUNDS, || {
            run(&runtime, Client::raw(&endpoint), n, concurrency)
        });
        let apim = median(ROUNDS, || {
            run(&runtime, Client::apim(&endpoint), n, concurrency)
        });
        raw.print("raw", concurrency, None);
        apim.print("apim", concurrency, Some(apim.rps / raw.rps));
    }
    server.stop();
}

/// The two clients under test, sending the same request.
#[derive(Clone)]
enum Client {
    Raw { http: reqwest::Client, url: String },
    Apim(ApimClient),
}

/// The body as a hand-written client would model it.
#[derive(Serialize)]
struct ReconnectBody {
    properties: ReconnectProperties,
}

#[derive(Serialize)]
struct ReconnectProperties {
    after: &'static str,
}

impl Client {
    fn raw(endpoint: &str) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(20))
            .timeout(Duration::from_secs(60))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("bench/1.0")
            .build()
            .expect("reqwest client");
        let url = format!(
            "{endpoint}/subscriptions/{SUBSCRIPTION}/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1/backends/proxybackend/reconnect?api-version=2024-05-01"
        );
        Client::Raw { http, url }
    }

    fn apim(endpoint: &str) -> Self {
        let options = ApimClientOptions {
            endpoint: endpoint.to_owned(),
            allow_http_loopback: true,
            ..Default::default()
        };
        let client = ApimClient::new(
            SUBSCRIPTION,
            Arc::new(StaticTokenCredential::new(TOKEN)),
            Some(options),
        )
        .expect("apim client");
        Client::Apim(client)
    }

    async fn reconnect(&self) {
        match self {
            Client::Raw { http, url } => {
                let body = ReconnectBody {
                    properties: ReconnectProperties { after: "PT2M" },
                };
                let response = http
                    .post(url.as_str())
                    .header("authorization", concat!("Bearer ", "bench-token"))
                    .header("accept", "application/json")
                    .header("content-type", "application/json")
                    .header("x-ms-client-request-id", uuid::Uuid::new_v4().to_string())
                    .body(serde_json::to_vec(&body).expect("json"))
                    .send()
                    .await
                    .expect("raw request");
                assert_eq!(response.status().as_u16(), 202);
                response.bytes().await.expect("raw body");
            }
            Client::Apim(client) => {
                let body = BackendReconnectRequest::after(Duration::from_secs(120));
                client
                    .backend_reconnect("rg1", "apimService1", "proxybackend", Some(&body))
                    .await
                    .expect("apim request");
            }
        }
    }
}

#[derive(Clone, Copy)]
struct Figures {
    rps: f64,
    p50_us: f64,
    p99_us: f64,
    cpu_us_per_request: f64,
}

impl Figures {
    fn print(&self, name: &str, concurrency: usize, ratio: Option<f64>) {
        let ratio = ratio
            .map(|r| format!("{r:.3}"))
            .unwrap_or_else(|| "1".into());
        println!(
            "{name:<6} {concurrency:>4} {:>10.0} {:>9.1} {:>9.1} {:>12.1} {ratio:>7}",
            self.rps, self.p50_us, self.p99_us, self.cpu_us_per_request
        );
    }
}

fn median(rounds: usize, mut round: impl FnMut() -> Figures) -> Figures {
    let mut results: Vec<Figures> = (0..rounds).map(|_| round()).collect();
    results.sort_by(|a, b| a.rps.total_cmp(&b.rps));
    results[rounds / 2]
}

fn run(runtime: &tokio::runtime::Runtime, client: Client, n: usize, concurrency: usize) -> Figures {
    runtime.block_on(async {
        // Warm up: open the connections and fill caches.
        let warm: Vec<_> = (0..concurrency)
            .map(|_| {
                let c = client.clone();
                tokio::spawn(async move { c.reconnect().await })
            })
            .collect();
        for w in warm {
            w.await.expect("warm-up");
        }
        let cpu_before = cpu_time();
        let started = Instant::now();
        let per_worker = n / concurrency;
        let workers: Vec<_> = (0..concurrency)
            .map(|_| {
                let client = client.clone();
                tokio::spawn(async move {
                    let mut latencies = Vec::with_capacity(per_worker);
                    for _ in 0..per_worker {
                        let t = Instant::now();
                        client.reconnect().await;
                        latencies.push(t.elapsed());
                    }
                    latencies
                })
            })
            .collect();
        let mut latencies = Vec::with_capacity(n);
        for worker in workers {
            latencies.extend(worker.await.expect("worker"));
        }
        let elapsed = started.elapsed();
        let cpu = cpu_time() - cpu_before;
        latencies.sort();
        let at = |q: f64| {
            latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)]
                .as_secs_f64()
                * 1e6
        };
        let done = latencies.len() as f64;
        Figures {
            rps: done / elapsed.as_secs_f64(),
            p50_us: at(0.50),
            p99_us: at(0.99),
            cpu_us_per_request: cpu.as_secs_f64() * 1e6 / done,
        }
    })
}

/// User plus system CPU time of this process (the client; the server is a child).
// getrusage has no safe wrapper in the crates this benchmark uses.
#[allow(unsafe_code)]
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes into the struct we pass.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// The loopback server in a child process: 202 with a request id, body read and dropped.
struct ServerProcess {
    child: Child,
    endpoint: String,
}

impl ServerProcess {
    fn start() -> Self {
        let mut child = Command::new(std::env::current_exe().expect("own path"))
            .env("APIM_BENCH_SERVER", "1")
            .stdout(Stdio::piped())
            .spawn()
            .expect("server process");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("server address");
        ServerProcess {
            child,
            endpoint: line.trim().to_owned(),
        }
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        println!("http://{}", listener.local_addr().expect("address"));
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let _ = stream.set_nodelay(true);
            tokio::spawn(async move {
                let service = service_fn(|request: hyper::Request<Incoming>| async move {
                    let _ = request.into_body().collect().await;
                    let response = hyper::Response::builder()
                        .status(202)
                        .header("x-ms-request-id", "00000000-0000-0000-0000-000000000001")
                        .body(Full::new(bytes::Bytes::new()))
                        .expect("response");
                    Ok::<_, Infallible>(response)
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
}
