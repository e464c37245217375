//! Every GET and list answer has the fields and shape of the REST description's example
//! response for that operation, over every GET operation with an example
//! (`codegen/description/examples-index.json`, the official examples beside it).
//!
//! For each example: the resources of its answer are seeded (by their `id`, with their
//! `properties`) into an emulator started empty, the operation is called with the example's
//! parameters, and the answer must have every field of the example's answer, recursively,
//! with the same JSON type (a list's items matched by name). Fields the emulator withholds on
//! purpose (secrets, as APIM's description says) and `nextLink` (present only when there is a
//! next page) are the only exceptions. What does not match yet is listed, each with its
//! reason, in `example_shapes.gaps`: the test fails on any difference from that list, in
//! either direction, so a new gap fails and a fixed one must be struck off.

use std::collections::BTreeSet;

use apim_emulator::{Emulator, EmulatorOptions};
use serde_json::Value;

use crate::common::{STEP, bounded, send};
use crate::example_sources;

fn repo_file(relative: &str) -> String {
    let path = format!("{}/../{relative}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Fields the emulator withholds on purpose: the secrets only actions give.
const WITHHELD: &[&str] = &[
    "primaryKey",
    "secondaryKey",
    "clientSecret",
    "resourceOwnerUsername",
    "resourceOwnerPassword",
    "validationKey",
    "nextLink",
];

/// The differences between the `expected` shape and `actual`, at `at`.
fn shape(expected: &Value, actual: &Value, at: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Null, _) => {}
        (Value::Object(want), Value::Object(got)) => {
            for (key, value) in want {
                if WITHHELD.contains(&key.as_str()) {
                    continue;
                }
                match got.get(key) {
                    Some(found) => shape(value, found, &format!("{at}.{key}"), out),
                    None => out.push(format!("{at}.{key}: missing")),
                }
            }
        }
        (Value::Array(want), Value::Array(got)) => {
            if want.is_empty() {
                return;
            }
            if got.is_empty() {
                out.push(format!("{at}[]: empty, the example has {}", want.len()));
                return;
            }
            for item in want.iter().take(3) {
                let named = item.get("name").and_then(Value::as_str);
                let found = named
                    .and_then(|name| {
                        got.iter().find(|g| {
                            g.get("name")
                                .and_then(Value::as_str)
                                .is_some_and(|n| n.eq_ignore_ascii_case(name))
                        })
                    })
                    .unwrap_or(&got[0]);
                shape(item, found, &format!("{at}[]"), out);
                if named.is_none() {
                    break;
                }
            }
        }
        (Value::Number(_), Value::Number(_))
        | (Value::String(_), Value::String(_))
        | (Value::Bool(_), Value::Bool(_)) => {}
        (want, got) => out.push(format!(
            "{at}: {} in the example, {} in the answer",
            kind(want),
            kind(got)
        )),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `template` with each `{name}` replaced by the example's parameter, percent-encoded.
fn fill(template: &str, parameters: &Value) -> Option<String> {
    // A template such as ApiExport_Get's ends in a query (`/apis/{apiId}?export=true`),
    // whose parameters the example lists with the others.
    let template = template.split('?').next().unwrap_or(template);
    let mut path = String::new();
    for segment in template.split('/').skip(1) {
        path.push('/');
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => {
                let value = match parameters.get(name)? {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                path.push_str(&encode(&value));
            }
            None => path.push_str(segment),
        }
    }
    Some(path)
}

pub(crate) fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The example's query parameters: its scalar parameters that are not in the path.
fn query(template: &str, parameters: &Value) -> String {
    let Value::Object(parameters) = parameters else {
        return String::new();
    };
    parameters
        .iter()
        .filter(|(name, _)| {
            !template.contains(&format!("{{{name}}}"))
                && *name != "api-version"
                && !name.eq_ignore_ascii_case("if-match")
        })
        .filter_map(|(name, value)| {
            let value = match value {
                Value::String(text) => text.clone(),
                Value::Number(_) | Value::Bool(_) => value.to_string(),
                _ => return None,
            };
            Some(format!("&{}={}", encode(name), encode(&value)))
        })
        .collect()
}

/// Seeds the resources an example answer shows, where the request reads them: the service
/// of the path, then the answer at the path itself, or each item of a list under the
/// path by its name (what a computed view reads is seeded by [`example_sources`]). Where
/// the emulator stores no such path (a computed list, a singleton named differently) the
/// item's own `id` is seeded instead; one it does not store either (an example's typo)
/// seeds nothing, and the comparison then shows what is missing.
fn seed(emulator: &Emulator, template: &str, request_path: &str, body: &Value) {
    let service_path = example_sources::service_of(request_path);
    if let Some(service) = &service_path {
        let _ = emulator.put_json(service, serde_json::json!({}));
    }
    // The resource the request is under (the API whose revisions a list reads) exists, as
    // it must in APIM; seeding creates whatever parents it lacks.
    // A single resource of a view (a user's subscription) is under its owner, one up more.
    let mut parent = request_path;
    for _ in 0..2 {
        let Some((up, _)) = parent.rsplit_once('/') else {
            break;
        };
        parent = up;
        if emulator.get_json(parent).is_some()
            || emulator.put_json(parent, serde_json::json!({})).is_ok()
        {
            break;
        }
    }
    let items: Vec<(String, &Value)> = match body.get("value") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                let name = item.get("name").and_then(Value::as_str).unwrap_or_default();
                (format!("{request_path}/{}", encode(name)), item)
            })
            .collect(),
        _ => vec![(request_path.to_string(), body)],
    };
    for (path, item) in items {
        // APIM keeps an issue under its API (`apis/{a}/issues/{i}`); the service's `issues`
        // is a view of them, so the issue is seeded where the view reads it.
        let path = match (
            path.rsplit_once("/issues/"),
            item["properties"].get("apiId").and_then(Value::as_str),
        ) {
            (Some((_, name)), Some(api)) if !path.contains("/apis/") => {
                format!("{api}/issues/{name}")
            }
            _ => path,
        };
        // A user's or product's subscriptions are a view of the service's, by `ownerId` or
        // `scope`: the subscription is seeded in the service, where APIM keeps it.
        let path = match (&service_path, path.rsplit_once("/subscriptions/")) {
            (Some(service), Some((owner, name)))
                if owner.contains("/users/") || owner.contains("/products/") =>
            {
                format!("{service}/subscriptions/{name}")
            }
            _ => path,
        };
        if item.get("properties").is_none() {
            // A read of the resource with a query that answers something else (ApiExport_Get's
            // export result) needs the resource: it exists, with nothing the answer shows.
            if template.contains('?') {
                let _ = emulator.put_json(&path, serde_json::json!({}));
            }
            continue;
        }
        // A list across resource groups (services, gateways of a subscription) is read from
        // where each item's id says it is, not under the request path.
        let across_groups =
            !request_path.contains("/resourceGroups/") && body.get("value").is_some();
        if across_groups
            && let Some(id) = item.get("id").and_then(Value::as_str)
            && emulator.put_resource(id, item.clone()).is_ok()
        {
            continue;
        }
        if emulator.put_resource(&path, item.clone()).is_err()
            && let Some(id) = item.get("id").and_then(Value::as_str)
        {
            let _ = emulator.put_resource(id, item.clone());
        }
    }
}

#[tokio::test]
async fn get_and_list_answers_have_the_shape_of_the_description_examples() {
    let index: Value = serde_json::from_str(&repo_file("codegen/description/examples-index.json"))
        .expect("the index is JSON");
    let http = reqwest::Client::builder()
        .timeout(STEP)
        .build()
        .expect("client builds");
    let mut found = BTreeSet::new();
    let mut checked = 0;
    let operations = index["operations"].as_object().expect("operations");
    for (operation_id, operation) in operations {
        if operation["method"] != "GET" {
            continue;
        }
        let template = operation["path"].as_str().unwrap_or_default();
        let Some(examples) = operation["examples"].as_object() else {
            continue;
        };
        for file in examples.values().filter_map(Value::as_str) {
            let path = format!("codegen/description/examples/{file}");
            if !std::path::Path::new(&format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))).exists()
            {
                continue;
            }
            let example: Value = serde_json::from_str(&repo_file(&path)).expect("JSON");
            let Some(expected) = example["responses"]["200"].get("body") else {
                continue;
            };
            let parameters = &example["parameters"];
            let Some(request_path) = fill(template, parameters) else {
                found.insert(format!(
                    "{operation_id} {file}: a path parameter has no value"
                ));
                continue;
            };
            let emulator = bounded(Emulator::start_with(EmulatorOptions::empty()))
                .await
                .expect("emulator starts");
            seed(&emulator, template, &request_path, expected);
            example_sources::seed(&emulator, operation_id, &request_path, expected);
            let url = format!(
                "{}{request_path}?api-version=2024-05-01{}",
                emulator.endpoint(),
                query(template, parameters)
            );
            let answer = send(http.get(url).bearer_auth(emulator.token())).await;
            checked += 1;
            if answer.status != 200 {
                found.insert(format!("{operation_id} {file}: HTTP {}", answer.status));
                continue;
            }
            let mut differences = Vec::new();
            shape(expected, &answer.json(), "", &mut differences);
            for difference in differences {
                found.insert(format!("{operation_id} {file}: {difference}"));
            }
            emulator.shutdown().await;
        }
    }
    assert!(checked >= 230, "only {checked} examples checked");
    let known: BTreeSet<String> = repo_file("apim-emulator/tests/emulator/example_shapes.gaps")
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            line.split(" # ")
                .next()
                .unwrap_or(line)
                .trim_end()
                .to_string()
        })
        .collect();
    let new: Vec<&String> = found.difference(&known).collect();
    let fixed: Vec<&String> = known.difference(&found).collect();
    if std::env::var_os("EXAMPLE_SHAPES_WRITE").is_some() {
        let text: String = found.iter().map(|line| format!("{line}\n")).collect();
        std::fs::write(
            format!(
                "{}/tests/emulator/example_shapes.gaps.new",
                env!("CARGO_MANIFEST_DIR")
            ),
            text,
        )
        .expect("writes");
    }
    println!(
        "example shapes: {checked} examples checked, {} known gaps",
        known.len()
    );
    assert!(
        new.is_empty() && fixed.is_empty(),
        "{} new differences from the examples:\n{}\n{} known gaps now fixed (strike them off):\n{}",
        new.len(),
        new.iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        fixed.len(),
        fixed
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    );
}
