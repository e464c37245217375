//! Compile cost of apim-client against the old generated crate, measured in the same run:
//! CPU seconds (user + system of cargo and rustc) of a debug build of
//!
//! - (a) `apim-client` alone, dependencies already built (whatever the checkout holds):
//!   the core (no feature), the default features, each area feature alone, and `full`
//!   (`APIM_FEATURE_ROWS="core apis workspaces,apis full"` picks rows);
//! - (b) `azure_mgmt_apimanagement` 0.21.0 alone (default features: the
//!   `package-preview-2023-09` tag), dependencies already built;
//! - (c) an empty user crate depending on apim-client, apim-client already built, so (a)
//!   is the library's own cost, not the cost of being depended upon.
//!
//! ```text
//! cargo bench --bench compile_vs_old          # 3 rounds, median
//! ```
//!
//! Two throw-away projects are written under `target/compile-vs-old/`, each with its own
//! target directory. The apim project builds `--offline` against the workspace's
//! `Cargo.lock`; the old one resolves against crates.io, so the first run downloads the old
//! crate and its dependencies (azure_core 0.21, ...). Its `Cargo.lock` is kept, so later
//! runs build the same versions. Rounds are interleaved, so a busy neighbour on the machine
//! slows both sides alike.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const ROUNDS: usize = 3;
const OLD_CRATE: &str = "azure_mgmt_apimanagement";
const OLD_VERSION: &str = "0.21.0";

/// One measured build: in `project`, clean `package` and build it alone.
struct Subject {
    label: String,
    project: PathBuf,
    package: &'static str,
    offline: bool,
    /// The apim-user project's dependency on apim-client for this row, if it matters.
    dependency: Option<String>,
}

fn main() {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = workspace.join("target/compile-vs-old");
    let client_path = workspace.join("apim-client");
    let dependency = |features: &str| match features {
        "default" => format!("apim-client = {{ path = {client_path:?} }}"),
        "core" => {
            format!("apim-client = {{ path = {client_path:?}, default-features = false }}")
        }
        // `workspaces,apis`: several features.
        areas => format!(
            "apim-client = {{ path = {client_path:?}, default-features = false, features = [{}] }}",
            areas
                .split(',')
                .map(|area| format!("{area:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let apim = write_project(
        &root.join("apim-user"),
        "apim-user",
        &dependency("default"),
        Some(&workspace.join("Cargo.lock")),
    );
    let old = write_project(
        &root.join("old-user"),
        "old-user",
        &format!("{OLD_CRATE} = \"={OLD_VERSION}\""),
        None,
    );
    let manifest = std::fs::read_to_string(client_path.join("Cargo.toml")).expect("manifest");
    let areas: Vec<String> = manifest
        .lines()
        .find_map(|line| line.strip_prefix("full = ["))
        .expect("a `full` feature")
        .trim_end_matches(']')
        .split(',')
        .map(|area| area.trim().trim_matches('"').to_owned())
        .collect();
    let rows: Vec<String> = match std::env::var("APIM_FEATURE_ROWS") {
        Ok(rows) => rows.split_whitespace().map(str::to_owned).collect(),
        Err(_) => ["core", "default"]
            .into_iter()
            .map(str::to_owned)
            .chain(areas)
            .chain(["full".to_owned()])
            .collect(),
    };
    let mut subjects: Vec<Subject> = rows
        .iter()
        .map(|row| Subject {
            label: format!("(a) apim-client {row}"),
            project: apim.clone(),
            package: "apim-client",
            offline: true,
            dependency: Some(dependency(row)),
        })
        .collect();
    subjects.extend([
        Subject {
            label: "(b) azure_mgmt_apimanagement 0.21.0".to_owned(),
            project: old.clone(),
            package: OLD_CRATE,
            offline: false,
            dependency: None,
        },
        Subject {
            label: "(c) empty crate using apim-client".to_owned(),
            project: apim.clone(),
            package: "apim-user",
            offline: true,
            dependency: Some(dependency("default")),
        },
        Subject {
            label: "    empty crate using the old crate".to_owned(),
            project: old.clone(),
            package: "old-user",
            offline: false,
            dependency: None,
        },
    ]);
    let old_row = rows.len();

    // The last commit that changed the measured sources, and the checkout's own.
    let commit = git(
        &workspace,
        &[
            "log",
            "-1",
            "--format=%H",
            "--",
            "apim-client",
            "apim-macros",
            "apim-wire",
        ],
    );
    let head = git(&workspace, &["rev-parse", "--short", "HEAD"]);
    let dirty = !git(
        &workspace,
        &[
            "status",
            "--porcelain",
            "--",
            "apim-client",
            "apim-macros",
            "apim-wire",
        ],
    )
    .is_empty();
    let client_src = workspace.join("apim-client/src");
    println!(
        "apim-client as of {commit} (checkout {head}){}: {} #[apim_operation] declarations, {} lines of Rust",
        if dirty {
            " (with uncommitted changes)"
        } else {
            ""
        },
        count_in_tree(&client_src, "#[apim_operation("),
        count_in_tree(&client_src, "\n"),
    );

    // Everything once, outside the measurement: dependencies, and the crates themselves.
    let setup = Instant::now();
    for project in [&apim, &old] {
        let offline = project == &apim;
        build(project, None, offline);
    }
    println!(
        "dependencies built ({:.0} s wall, not measured)",
        setup.elapsed().as_secs_f64()
    );

    let mut cpu = vec![Vec::new(); subjects.len()];
    let mut wall = vec![Vec::new(); subjects.len()];
    for round in 0..ROUNDS {
        for (i, subject) in subjects.iter().enumerate() {
            if let Some(dependency) = &subject.dependency {
                write_project(&subject.project, "apim-user", dependency, None);
                if subject.package != "apim-client" {
                    // apim-client with these features, built before the measurement.
                    build(&subject.project, None, subject.offline);
                }
            }
            clean(&subject.project, subject.package, subject.offline);
            let before = children_cpu();
            let start = Instant::now();
            build(&subject.project, Some(subject.package), subject.offline);
            wall[i].push(start.elapsed());
            cpu[i].push(children_cpu() - before);
        }
        eprintln!("round {} of {ROUNDS} done", round + 1);
    }
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let cpu: Vec<Duration> = cpu.into_iter().map(median).collect();
    let wall: Vec<Duration> = wall.into_iter().map(median).collect();

    println!(
        "debug build of each crate alone, dependencies built, CARGO_INCREMENTAL=0, median of {ROUNDS}:"
    );
    println!(
        "  {:<38} {:>8} {:>8} {:>10} {:>10}",
        "crate", "CPU s", "wall s", "ratio", "over core"
    );
    let baseline = cpu[old_row].as_secs_f64();
    let core = rows.iter().position(|row| row == "core").map(|i| cpu[i]);
    for ((subject, c), w) in subjects.iter().zip(&cpu).zip(&wall) {
        let over_core = match (core, subject.package) {
            (Some(core), "apim-client") => format!("{:+.2}", c.as_secs_f64() - core.as_secs_f64()),
            _ => String::new(),
        };
        println!(
            "  {:<38} {:>8.2} {:>8.2} {:>10.3} {:>10}",
            subject.label,
            c.as_secs_f64(),
            w.as_secs_f64(),
            c.as_secs_f64() / baseline,
            over_core
        );
    }
    println!(
        "  goal: apim-client with the core and any one area <= 0.25 of the old crate, \
         each area <= 2 s over the core"
    );
}

/// A library crate with one dependency and no code, in its own workspace.
fn write_project(dir: &Path, name: &str, dependency: &str, lock: Option<&Path>) -> PathBuf {
    std::fs::create_dir_all(dir.join("src")).expect("project dir");
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{dependency}\n\n[workspace]\n"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("manifest");
    std::fs::write(dir.join("src/lib.rs"), "//! Declares and calls nothing.\n").expect("source");
    if let Some(lock) = lock {
        std::fs::copy(lock, dir.join("Cargo.lock")).expect("lock file");
    }
    dir.to_path_buf()
}

fn cargo(project: &Path, offline: bool) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .current_dir(project)
        .env("CARGO_TARGET_DIR", project.join("target"))
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTC_WRAPPER")
        .env_remove("RUSTC_WORKSPACE_WRAPPER");
    if offline {
        command.arg("--offline");
    }
    command
}

/// A debug build of the project, or of one package of its graph alone.
fn build(project: &Path, package: Option<&str>, offline: bool) {
    let mut command = cargo(project, offline);
    command.args(["build", "--quiet"]);
    if let Some(package) = package {
        command.args(["-p", package]);
    }
    let status = command.status().expect("cargo build");
    assert!(status.success(), "building {} failed", project.display());
}

fn clean(project: &Path, package: &str, offline: bool) {
    let status = cargo(project, offline)
        .args(["clean", "--quiet", "-p", package])
        .status()
        .expect("cargo clean");
    assert!(status.success(), "cleaning {package} failed");
}

fn git(dir: &Path, args: &[&str]) -> String {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".into())
}

/// Occurrences of `needle` in the `.rs` files under `dir`.
fn count_in_tree(dir: &Path, needle: &str) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|entry| {
            let path = entry.path();
            if path.is_dir() {
                count_in_tree(&path, needle)
            } else if path.extension().is_some_and(|e| e == "rs") {
                std::fs::read_to_string(&path)
                    .map(|s| s.matches(needle).count())
                    .unwrap_or(0)
            } else {
                0
            }
        })
        .sum()
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
