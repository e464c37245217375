//! Keeps `operations.rs` equal to what the description says. Run with
//! `APIM_EMULATOR_REGENERATE=1` to rewrite the file instead of failing, then review the diff.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::Value;

/// The description's three name patterns, as it spells them (`validate::Pattern`).
const SERVICE_NAME: &str = "^[a-zA-Z](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$";
const NO_RESERVED: &str = "^[^*#&+:<>?]+$";
const WORD: &str = r"(^[\w]+$)|(^[\w][\w\-]+[\w]$)";

const DESCRIPTION: &str = "../codegen/description/apim-2024-05-01.json";
const TABLE: &str = "src/description/operations.rs";

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The text `operations.rs` must have for this description.
fn render(description: &Value) -> String {
    let mut rows = String::new();
    let groups = description["groups"].as_array().expect("groups[]");
    for operation in groups
        .iter()
        .flat_map(|group| group["operations"].as_array().expect("operations[]"))
    {
        let request = &operation["request"];
        let path = request["path"].as_str().expect("request.path");
        for segment in path.split('/') {
            let placeholder = segment.starts_with('{') && segment.ends_with('}');
            assert!(
                placeholder || !segment.contains(['{', '}']),
                "{path}: a segment must be a whole placeholder or a literal"
            );
        }
        let codes: Vec<String> = operation["success_codes"]
            .as_array()
            .expect("success_codes[]")
            .iter()
            .map(|code| code.as_u64().expect("a status code").to_string())
            .collect();
        let body = match &operation["body"] {
            Value::Null => "Absent",
            body if body["required"] == Value::Bool(true) => "Required",
            _ => "Optional",
        };
        let required_query: Vec<String> = request["query"]
            .as_array()
            .expect("request.query[]")
            .iter()
            .filter(|parameter| parameter["required"] == Value::Bool(true))
            .map(|parameter| format!("{:?}", parameter["wire_name"].as_str().expect("wire_name")))
            .collect();
        let required_headers: Vec<String> = request["headers"]
            .as_array()
            .expect("request.headers[]")
            .iter()
            .filter(|parameter| parameter["required"] == Value::Bool(true))
            .map(|parameter| format!("{:?}", parameter["wire_name"].as_str().expect("wire_name")))
            .collect();
        // Names the description constrains, other than ARM's own (resource group, service
        // and gateway names, which `validate::names` checks as ARM does).
        let names: Vec<String> = request["path_params"]
            .as_array()
            .expect("request.path_params[]")
            .iter()
            .filter(|parameter| {
                !matches!(
                    parameter["wire_name"].as_str(),
                    Some("subscriptionId" | "resourceGroupName" | "serviceName")
                )
            })
            .filter_map(|parameter| {
                let constraints = parameter["constraints"].as_object()?;
                let length = |key: &str| constraints.get(key).and_then(Value::as_u64);
                let pattern = match constraints.get("pattern").and_then(Value::as_str) {
                    None => "Any",
                    Some(SERVICE_NAME) => "ServiceName",
                    Some(NO_RESERVED) => "NoReserved",
                    Some(WORD) => "Word",
                    Some(other) => panic!("a pattern validate.rs does not implement: {other}"),
                };
                Some(format!(
                    "({:?}, {}, {}, Pattern::{pattern})",
                    parameter["wire_name"].as_str().expect("wire_name"),
                    length("min_length").unwrap_or(1),
                    length("max_length").unwrap_or(u64::from(u16::MAX)),
                ))
            })
            .collect();
        writeln!(
            rows,
            "    op({:?}, {:?}, {:?}, &[{}], Body::{body}, &[{}], &[{}], {}, &[{}]),",
            operation["operation_id"].as_str().expect("operation_id"),
            request["method"].as_str().expect("request.method"),
            path,
            codes.join(", "),
            required_query.join(", "),
            required_headers.join(", "),
            !operation["long_running"].is_null(),
            names.join(", "),
        )
        .expect("writing to a String");
    }
    format!(
        "//! Generated from `codegen/description/apim-2024-05-01.json` by `regenerate.rs`; do not\n\
         //! edit. `APIM_EMULATOR_REGENERATE=1 cargo test -p apim-emulator --lib description`\n\
         //! rewrites it.\n\
         \n\
         use super::{{Body, Operation, Pattern, op}};\n\
         \n\
         /// Every operation, in the description's order.\n\
         #[rustfmt::skip]\n\
         pub(super) const OPERATIONS: &[Operation] = &[\n{rows}];\n"
    )
}

#[test]
fn the_checked_in_table_matches_the_description() {
    let dir = manifest_dir();
    let json = std::fs::read_to_string(dir.join(DESCRIPTION)).expect("the description");
    let description: Value = serde_json::from_str(&json).expect("description JSON");
    let expected = render(&description);
    let table = dir.join(TABLE);
    if std::env::var_os("APIM_EMULATOR_REGENERATE").is_some() {
        std::fs::write(&table, &expected).expect("writing the table");
        return;
    }
    let actual = std::fs::read_to_string(&table).unwrap_or_default();
    assert!(
        actual == expected,
        "{TABLE} is out of date with {DESCRIPTION}: run \
         `APIM_EMULATOR_REGENERATE=1 cargo test -p apim-emulator --lib description` and review the diff"
    );
}
