//! Compile cost of `#[apim_operation]`: CPU seconds of a clean debug build of a generated
//! crate declaring 200 operations, against the same crate with none, dependencies already
//! built. The difference divided by 200 is the cost per operation.
//!
//! ```text
//! cargo bench --bench compile_cost            # 200 operations, 3 rounds, median
//! APIM_COMPILE_OPS=600 cargo bench --bench compile_cost
//! ```
//!
//! The crates are written under `target/compile-bench/` and built with `--offline` against
//! the workspace's own `Cargo.lock`, so the run needs no network.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const ROUNDS: usize = 3;

fn main() {
    let ops: usize = std::env::var("APIM_COMPILE_OPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = workspace.join("target/compile-bench");
    let target = root.join("target");
    let baseline = write_crate(&workspace, &root.join("ops-0"), 0);
    let declared = write_crate(&workspace, &root.join(format!("ops-{ops}")), ops);

    // Dependencies (apim-client, serde, reqwest, ...) once, outside the measurement.
    build(&baseline, &target);
    build(&declared, &target);

    let measure = |dir: &Path, name: &str| {
        let mut rounds: Vec<(Duration, Duration)> = (0..ROUNDS)
            .map(|_| {
                clean(dir, &target, name);
                let cpu_before = children_cpu();
                let started = Instant::now();
                build(dir, &target);
                (children_cpu() - cpu_before, started.elapsed())
            })
            .collect();
        rounds.sort();
        rounds[ROUNDS / 2]
    };
    let (cpu0, wall0) = measure(&baseline, "ops-0");
    let (cpu_n, wall_n) = measure(&declared, &format!("ops-{ops}"));
    let per_op = cpu_n.saturating_sub(cpu0).as_secs_f64() * 1e3 / ops as f64;
    println!("clean debug build of the crate alone, dependencies built, median of {ROUNDS}:");
    println!(
        "  0 operations:   {:6.2} s CPU, {:6.2} s wall",
        cpu0.as_secs_f64(),
        wall0.as_secs_f64()
    );
    println!(
        "  {ops} operations: {:6.2} s CPU, {:6.2} s wall",
        cpu_n.as_secs_f64(),
        wall_n.as_secs_f64()
    );
    println!(
        "  per operation: {per_op:.2} ms CPU (goal: <= 5 ms; the generated azure_mgmt_apimanagement crate: ~52 ms)"
    );
}

/// A crate declaring `ops` operations of five shapes (JSON, body and response, header,
/// empty, list), like a user's extension trait, and calling each once.
fn write_crate(workspace: &Path, dir: &Path, ops: usize) -> PathBuf {
    std::fs::create_dir_all(dir.join("src")).expect("bench crate dir");
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .expect("crate name");
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\napim-client = {{ path = {client:?} }}\nserde_json = \"1\"\n\n[workspace]\n",
        client = workspace.join("apim-client")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("manifest");
    std::fs::copy(workspace.join("Cargo.lock"), dir.join("Cargo.lock")).expect("lock file");
    let mut source = String::from(
        "#![allow(dead_code)]\nuse apim_client::{apim_operation, ApimClient, Pager, Response, Result};\nuse serde_json::Value;\n\npub trait Ops {\n",
    );
    const BASE: &str = "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>";
    for i in 0..ops {
        let declaration = match i % 5 {
            0 => format!(
                "    #[apim_operation(GET, \"{BASE}/things{i}/<thing_id>\", status = [200])]\n    async fn get{i}(&self, resource_group_name: &str, service_name: &str, thing_id: &str) -> Result<Value>;\n"
            ),
            1 => format!(
                "    #[apim_operation(PUT, \"{BASE}/things{i}/<thing_id>\", status = [200, 201])]\n    async fn put{i}(&self, resource_group_name: &str, service_name: &str, thing_id: &str, #[body] body: &Value, #[header(\"If-Match\")] if_match: Option<&str>) -> Result<Response<Value>>;\n"
            ),
            2 => format!(
                "    #[apim_operation(DELETE, \"{BASE}/things{i}/<thing_id>\", status = [200, 204])]\n    async fn delete{i}(&self, resource_group_name: &str, service_name: &str, thing_id: &str, #[header(\"If-Match\")] if_match: &str) -> Result<()>;\n"
            ),
            3 => format!(
                "    #[apim_operation(POST, \"{BASE}/things{i}/<thing_id>/reconnect\", status = [202])]\n    async fn post{i}(&self, resource_group_name: &str, service_name: &str, thing_id: &str, #[body] body: Option<&Value>) -> Result<()>;\n"
            ),
            _ => format!(
                "    #[apim_operation(GET, \"{BASE}/things{i}\", status = [200])]\n    fn list{i}(&self, resource_group_name: &str, service_name: &str, #[query(\"$filter\")] filter: Option<&str>, #[query(\"$top\")] top: Option<u32>) -> Pager<Value>;\n"
            ),
        };
        source.push_str(&declaration);
    }
    // Calling every operation makes rustc generate code for it, as a real user crate does.
    source.push_str("}\n\nimpl Ops for ApimClient {}\n");
    for i in 0..ops {
        let call = match i % 5 {
            0 => format!(
                "pub async fn call{i}(c: &ApimClient) -> Result<()> {{ c.get{i}(\"rg\", \"svc\", \"t\").await?; Ok(()) }}\n"
            ),
            1 => format!(
                "pub async fn call{i}(c: &ApimClient, v: &Value) -> Result<()> {{ c.put{i}(\"rg\", \"svc\", \"t\", v, None).await?; Ok(()) }}\n"
            ),
            2 => format!(
                "pub async fn call{i}(c: &ApimClient) -> Result<()> {{ c.delete{i}(\"rg\", \"svc\", \"t\", \"*\").await?; Ok(()) }}\n"
            ),
            3 => format!(
                "pub async fn call{i}(c: &ApimClient) -> Result<()> {{ c.post{i}(\"rg\", \"svc\", \"t\", None).await?; Ok(()) }}\n"
            ),
            _ => format!(
                "pub async fn call{i}(c: &ApimClient) -> Result<()> {{ c.list{i}(\"rg\", \"svc\", None, Some(10)).collect_all().await?; Ok(()) }}\n"
            ),
        };
        source.push_str(&call);
    }

    std::fs::write(dir.join("src/lib.rs"), source).expect("source");
    dir.to_owned()
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn build(dir: &Path, target: &Path) {
    let status = cargo()
        .args(["build", "--offline", "--quiet"])
        .env("CARGO_TARGET_DIR", target)
        .current_dir(dir)
        .status()
        .expect("cargo build");
    assert!(status.success(), "building {} failed", dir.display());
}

fn clean(dir: &Path, target: &Path, name: &str) {
    let status = cargo()
        .args(["clean", "--offline", "--quiet", "-p", name])
        .env("CARGO_TARGET_DIR", target)
        .current_dir(dir)
        .status()
        .expect("cargo clean");
    assert!(status.success());
}

/// User plus system CPU time of finished child processes (cargo and rustc).
fn children_cpu() -> Duration {
    // SAFETY: getrusage only writes into the struct we pass.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}
