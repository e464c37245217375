//! `cargo run -p apim-codegen`: reads the checked-in description of the 2024-05-01 API
//! and its oracle (`codegen/description/`) and writes the shipped operations
//! (`apim-client/src/apis/generated/`), the wire test's cases against the oracle
//! (`tests/it/oracle/cases.rs`, calling the shipped methods), the models
//! of the whole API (`apim-client/src/models/generated/`), and the Rust client's run of the
//! conformance scenario (`tests/it/scenario/generated.rs`, with `conformance/bodies.json`),
//! formatted.
//! CI runs it and fails when the committed files differ from what it writes.

mod allow_list;
mod areas;
mod description;
mod hand_written;
mod model;
mod models_plan;
mod secrets;
mod write_apis;
mod write_call;
mod write_cases;
mod write_coverage;
mod write_examples;
mod write_model_tests;
mod write_models;
mod write_rules;
mod write_scenario;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use description::{Description, Oracle};

const DESCRIPTION: &str = "codegen/description/apim-2024-05-01.json";
const ORACLE: &str = "codegen/description/oracle-2024-05-01.json";
const OUTPUT_DIR: &str = "tests/it/oracle";
const MODELS_DIR: &str = "apim-client/src/models/generated";
const APIS_DIR: &str = "apim-client/src/apis/generated";
const COVERAGE: &str = "COVERAGE.md";
const RULES: &str = "apim-wire/src/rules/generated.rs";
const BODIES: &str = "conformance/bodies.json";
const SCENARIO: &str = "tests/it/scenario/generated.rs";
const CLIENT_MANIFEST: &str = "apim-client/Cargo.toml";
const README: &str = "README.md";
const EXAMPLES_INDEX: &str = "codegen/description/examples-index.json";
const EXAMPLES_DIR: &str = "codegen/description/examples";
const EXAMPLES_CASES: &str = "tests/it/examples/cases.rs";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("apim-codegen: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let root = workspace_root();
    let description: Description = description::read(&root.join(DESCRIPTION))?;
    let oracle: Oracle = description::read(&root.join(ORACLE))?;
    let groups = model::groups(&description)?;
    check_counts(&description, &groups)?;

    let by_id: BTreeMap<&str, _> = oracle
        .operations
        .iter()
        .map(|op| (op.operation_id.as_str(), op))
        .collect();
    let mut plan = models_plan::plan(&description)?;
    // The groups first: the models they name decide each model's feature gate and file.
    let modules: Vec<String> = groups.iter().map(write_apis::module_name).collect();
    let gates = areas::gates(&modules)?;
    let (group_files, bodies) = group_files(&description, &plan, &groups, &gates)?;
    models_plan::mark_setters(&mut plan, &bodies);
    let uses = group_files
        .iter()
        .map(|(module, _, used)| (module.clone(), used.clone()))
        .collect();
    areas::file_models(&mut plan, &uses, &gates);
    write_models(&root, &plan)?;
    let cases = write_cases::file(
        &header(&format!("{DESCRIPTION} and {ORACLE}")),
        &write_cases::Sources {
            groups: &groups,
            oracle: &by_id,
            plan: &plan,
            description: &description,
        },
    )?;
    write_formatted(&root.join(OUTPUT_DIR).join("cases.rs"), &cases)?;
    write_formatted(
        &root.join(EXAMPLES_CASES),
        &write_examples::file(
            &header(&format!("{EXAMPLES_INDEX} and {EXAMPLES_DIR}/")),
            &root,
            EXAMPLES_INDEX,
            EXAMPLES_DIR,
            &groups,
            &plan,
        )?,
    )?;
    write_apis(&root, &group_files, &groups, &gates)?;
    write_features(&root, &groups, &gates)?;
    write_formatted(
        &root.join(RULES),
        &write_rules::file(&header(DESCRIPTION), &description)?,
    )?;
    let bodies: serde_json::Value = description::read(&root.join(BODIES))?;
    write_formatted(
        &root.join(SCENARIO),
        &write_scenario::file(
            &header(&format!("{DESCRIPTION} and {BODIES}")),
            &description,
            &groups,
            &bodies,
            &plan.enums.keys().cloned().collect(),
        )?,
    )?;
    std::fs::write(
        root.join(COVERAGE),
        write_coverage::file(DESCRIPTION, &groups, &gates),
    )
    .map_err(|e| format!("writing {COVERAGE}: {e}"))
}

/// Per group: its module name, its file's text and the models it names.
type GroupFile = (String, String, BTreeSet<String>);

/// Every group's file, and the models the groups take as request bodies.
fn group_files(
    description: &Description,
    plan: &models_plan::Plan,
    groups: &[model::Group],
    gates: &BTreeMap<String, areas::Gate>,
) -> Result<(Vec<GroupFile>, BTreeSet<String>), String> {
    let header = header(DESCRIPTION);
    let mut types = write_apis::Types::new(plan, description);
    let files = groups
        .iter()
        .map(|group| {
            let name = write_apis::module_name(group);
            let (text, used) = write_apis::group_file(&header, group, gates[&name], &mut types)?;
            Ok((name, text, used))
        })
        .collect::<Result<_, String>>()?;
    Ok((files, types.into_bodies()))
}

/// `apim-client/src/apis/generated/`, rewritten whole like the models.
fn write_apis(
    root: &Path,
    files: &[GroupFile],
    groups: &[model::Group],
    gates: &BTreeMap<String, areas::Gate>,
) -> Result<(), String> {
    let dir = root.join(APIS_DIR);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("clearing {}: {e}", dir.display()))?;
    }
    for (name, text, _) in files {
        write_formatted(&dir.join(format!("{name}.rs")), text)?;
    }
    // Last: rustfmt follows its `mod` items, which must exist by then.
    write_formatted(
        &dir.join("mod.rs"),
        &write_apis::module_file(&header(DESCRIPTION), groups, gates),
    )
}

/// The generated blocks of apim-client's `[features]` and of the README's feature table.
fn write_features(
    root: &Path,
    groups: &[model::Group],
    gates: &BTreeMap<String, areas::Gate>,
) -> Result<(), String> {
    let blocks = [
        (
            CLIENT_MANIFEST,
            areas::FEATURES_BEGIN,
            areas::FEATURES_END,
            areas::cargo_features(),
        ),
        (
            README,
            areas::README_BEGIN,
            areas::README_END,
            areas::readme_table(groups, gates),
        ),
    ];
    for (file, begin, end, block) in blocks {
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).map_err(|e| format!("reading {file}: {e}"))?;
        let updated = areas::replace_block(&text, begin, end, &block, file)?;
        if updated != text {
            std::fs::write(&path, updated).map_err(|e| format!("writing {file}: {e}"))?;
        }
    }
    Ok(())
}

/// `apim-client/src/models/generated/`, rewritten whole so a model that disappears from
/// the description leaves no stale file behind.
fn write_models(root: &Path, plan: &models_plan::Plan) -> Result<(), String> {
    println!(
        "apim-codegen: models: {} structs ({} SDK models, {} with setters), {} enums in {} files; {} skipped ({} that no operation reaches)",
        plan.structs.len(),
        plan.structs.values().filter(|s| s.is_model).count(),
        plan.structs.values().filter(|s| s.setters).count(),
        plan.enums.len(),
        plan.areas.len(),
        plan.skipped.len(),
        plan.skipped
            .iter()
            .filter(|(_, reason)| reason.starts_with("no operation"))
            .count(),
    );
    let header = header(DESCRIPTION);
    let dir = root.join(MODELS_DIR);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("clearing {}: {e}", dir.display()))?;
    }
    for area in plan.areas.keys() {
        let text = write_models::area_file(&header, plan, area);
        write_formatted(&dir.join(format!("{area}.rs")), &text)?;
    }
    write_formatted(
        &dir.join("tests.rs"),
        &write_model_tests::file(&header, plan)?,
    )?;
    // Last: rustfmt follows its `mod` items, which must exist by then.
    write_formatted(
        &dir.join("mod.rs"),
        &write_models::module_file(&header, plan),
    )
}

/// The crate sits in `codegen/` of the workspace; paths are written relative to the root.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen/ has a parent")
        .to_path_buf()
}

fn header(input: &str) -> String {
    format!("// generated by apim-codegen from {input} — do not edit\n")
}

/// Prints what was seen and fails if it is not what the description says it holds.
fn check_counts(description: &Description, groups: &[model::Group]) -> Result<(), String> {
    let mut seen = BTreeMap::new();
    for op in groups.iter().flat_map(|g| &g.operations) {
        *seen.entry(op.returns.kind()).or_insert(0_usize) += 1;
    }
    let total: usize = seen.values().sum();
    println!(
        "apim-codegen: {} groups, {total} operations: {seen:?}",
        groups.len()
    );
    let counts = &description.counts;
    let expected = [
        ("plain", counts.plain),
        ("paged", counts.paged),
        ("long-running", counts.long_running),
    ];
    for (kind, count) in expected {
        let got = seen.get(kind).copied().unwrap_or(0);
        if got != count {
            return Err(format!(
                "{got} {kind} operations, the description says {count}"
            ));
        }
    }
    if total != counts.operations {
        return Err(format!(
            "{total} operations, the description says {}",
            counts.operations
        ));
    }
    Ok(())
}

/// Writes `text` formatted by `rustfmt` (the edition the workspace uses), so the output
/// is what `cargo fmt` would leave and the no-drift check compares like with like.
fn write_formatted(path: &Path, text: &str) -> Result<(), String> {
    std::fs::create_dir_all(path.parent().expect("a file in a directory"))
        .map_err(|e| format!("creating {}: {e}", path.display()))?;
    std::fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))?;
    let status = Command::new("rustfmt")
        .args(["--edition", "2024"])
        .arg(path)
        .status()
        .map_err(|e| format!("running rustfmt: {e}"))?;
    if !status.success() {
        return Err(format!("rustfmt failed on {}", path.display()));
    }
    Ok(())
}
