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
use std::time::Duration;

const ROUNDS: usize = 3;

fn main() {
    let ops: usize = std::env::var("APIM_COMPILE_OPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = workspace.join("target/compile-bench");
    let target = root.join("target");
    // (declared operations, calling functions): an empty crate; the operations alone; a
    // user crate calling each operation once; the same calls spread over five operations,
    // which is the callers' own cost.
    let crates = [(0, 0), (ops, 0), (ops, ops), (5, ops)];
    let dirs: Vec<PathBuf> = crates
        .iter()
        .map(|&(declared, callers)| write_crate(&workspace, &root, declared, callers))
        .collect();
    // Dependencies (apim-client, serde, reqwest, ...) once, outside the measurement.
    for dir in &dirs {
        build(dir, &target);
    }
    let cpu: Vec<Duration> = dirs
        .iter()
        .map(|dir| {
            let name = dir.file_name().and_then(|n| n.to_str()).expect("name");
            let mut rounds: Vec<Duration> = (0..ROUNDS)
                .map(|_| {
                    clean(dir, &target, name);
                    let before = children_cpu();
                    build(dir, &target);
                    children_cpu() - before
                })
                .collect();
            rounds.sort();
            rounds[ROUNDS / 2]
        })
        .collect();
    let ms_per =
        |a: Duration, b: Duration, n: usize| a.saturating_sub(b).as_secs_f64() * 1e3 / n as f64;
    println!("clean debug build of each crate alone, dependencies built, CPU, median of {ROUNDS}:");
    for (&(declared, callers), time) in crates.iter().zip(&cpu) {
        println!(
            "  {declared:>4} operations, {callers:>4} calling functions: {:6.2} s",
            time.as_secs_f64()
        );
    }
    println!(
        "  per operation, declared only:        {:5.2} ms  (goal <= 5 ms; azure_mgmt_apimanagement: ~52 ms)",
        ms_per(cpu[1], cpu[0], ops)
    );
    println!(
        "  per operation, declared and called:  {:5.2} ms  (beyond the callers' own cost)",
        ms_per(cpu[2], cpu[3], ops - 5)
    );
    println!(
        "  callers' own cost, per calling fn:   {:5.2} ms  (an async fn awaiting one call)",
        ms_per(cpu[3], cpu[0], ops)
    );
}

/// A crate declaring `ops` operations of five shapes (JSON, body and response, header,
/// empty, list), like a user's extension trait, and `callers` async functions, the `i`-th
/// calling operation `i % ops` once.
fn write_crate(workspace: &Path, root: &Path, ops: usize, callers: usize) -> PathBuf {
    let dir = root.join(format!("ops-{ops}-calls-{callers}"));
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
    for caller in 0..callers {
        let i = caller % ops.max(1);
        let call = match i % 5 {
            0 => format!(
                "pub async fn call{caller}(c: &ApimClient) -> Result<()> {{ c.get{i}(\"rg\", \"svc\", \"t\").await?; Ok(()) }}\n"
            ),
            1 => format!(
                "pub async fn call{caller}(c: &ApimClient, v: &Value) -> Result<()> {{ c.put{i}(\"rg\", \"svc\", \"t\", v, None).await?; Ok(()) }}\n"
            ),
            2 => format!(
                "pub async fn call{caller}(c: &ApimClient) -> Result<()> {{ c.delete{i}(\"rg\", \"svc\", \"t\", \"*\").await?; Ok(()) }}\n"
            ),
            3 => format!(
                "pub async fn call{caller}(c: &ApimClient) -> Result<()> {{ c.post{i}(\"rg\", \"svc\", \"t\", None).await?; Ok(()) }}\n"
            ),
            _ => format!(
                "pub async fn call{caller}(c: &ApimClient) -> Result<()> {{ c.list{i}(\"rg\", \"svc\", None, Some(10)).collect_all().await?; Ok(()) }}\n"
            ),
        };
        source.push_str(&call);
    }

    std::fs::write(dir.join("src/lib.rs"), source).expect("source");
    dir
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
// getrusage has no safe wrapper in the crates this benchmark uses.
#[allow(unsafe_code)]
fn children_cpu() -> Duration {
    // SAFETY: getrusage only writes into the struct we pass.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}
