//! Writes the official examples test's cases (`tests/it/examples/cases.rs`): for each
//! example of `codegen/description/examples/` (x-ms-examples of the REST description), the
//! call of the shipped method through its handle with the example's parameters, the answer
//! the local server gives (chosen here: the example's success code), and what the request
//! must carry (the REST path template, the query parameters' wire names, the body's
//! parameter). The test reads the example files themselves at run time; only the calls are
//! generated. A read of a resource whose group also creates it at the same path gets a
//! second call: the create with the decoded read as its body (read-modify-write).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::model::{Argument, Group, Operation, Returns, Role};
use crate::models_plan::Plan;
use crate::write_call::{self, Values};

/// `description/examples-index.json`, the part the generator reads.
#[derive(Deserialize)]
struct Index {
    /// File name -> its record; `null` for the few the specs repository had no copy of.
    files: BTreeMap<String, Option<Value>>,
    operations: BTreeMap<String, IndexedOperation>,
}

#[derive(Deserialize)]
struct IndexedOperation {
    /// Example title -> file name (`null` where the specs repository had no copy).
    examples: BTreeMap<String, Option<String>>,
    method: String,
    path: String,
}

/// One example file: its parameters and answers.
#[derive(Deserialize)]
struct Example {
    parameters: serde_json::Map<String, Value>,
    responses: BTreeMap<String, Value>,
}

pub(crate) fn file(
    header: &str,
    root: &Path,
    index_path: &str,
    examples_dir: &str,
    groups: &[Group],
    plan: &Plan,
) -> Result<String, String> {
    let index: Index = crate::description::read(&root.join(index_path))?;
    let by_id: BTreeMap<String, (&Group, &Operation)> = groups
        .iter()
        .flat_map(|group| group.operations.iter().map(move |op| (group, op)))
        .map(|(group, op)| (op.operation_id.to_ascii_lowercase(), (group, op)))
        .collect();
    let mut incomplete = Vec::new();
    let mut out = String::new();
    out.push_str(header);
    out.push_str(
        "\n//! One case per official example: the shipped method's call with the example's \
         parameters, the\n//! success code to answer, and what the request must carry.\n\n\
         use apim_client::models::*;\n\
         use apim_client::prelude::*;\n\n\
         use super::{Case, decoded, items, typed};\n\n\
         pub(super) const CASES: &[Case] = &[\n",
    );
    for (rest_id, indexed) in &index.operations {
        let (group, op) = by_id
            .get(&rest_id.to_ascii_lowercase())
            .ok_or_else(|| format!("{rest_id}: an example for no shipped operation"))?;
        if !indexed.method.eq_ignore_ascii_case(&op.method)
            || indexed.path.split('?').next() != Some(op.path.as_str())
        {
            return Err(format!(
                "{rest_id}: the examples' {} {} is not the operation's {} {}",
                indexed.method, indexed.path, op.method, op.path
            ));
        }
        let present = indexed
            .examples
            .values()
            .flatten()
            .filter(|file| index.files.get(*file).is_some_and(Option::is_some));
        for file in present {
            let path = root.join(examples_dir).join(file);
            let example: Example = crate::description::read(&path)?;
            if let Some(missing) = missing_required(op, &example) {
                incomplete.push((file.clone(), missing));
                continue;
            }
            write_case(&mut out, plan, group, op, file, &example)
                .map_err(|e| format!("{file}: {e}"))?;
        }
    }
    out.push_str("];\n");
    out.push_str(
        "\n/// The examples that cannot be called as they are: they lack a parameter the \
         operation\n/// requires (the example's fault, counted as an exception).\n\
         pub(super) const INCOMPLETE: &[(&str, &str)] = &[\n",
    );
    for (file, reason) in &incomplete {
        let _ = writeln!(out, "({file:?}, {reason:?}),");
    }
    out.push_str("];\n");
    Ok(out)
}

fn write_case(
    out: &mut String,
    plan: &Plan,
    group: &Group,
    op: &Operation,
    file: &str,
    example: &Example,
) -> Result<(), String> {
    let status = answer_status(op, example)?;
    let body_key = body_key(op, example)?;
    let mut values = ExampleValues { example };
    let call = write_call::call(plan, group, op, &mut values)?;
    let call = awaited(op, &call);
    let query: Vec<String> = op
        .arguments
        .iter()
        .filter_map(|argument| match &argument.role {
            Role::Query(wire) => Some(format!("{wire:?}")),
            _ => None,
        })
        .collect();
    let rewrite = match rewrite(plan, group, op, example)? {
        Some((status, put)) => {
            format!("Some(({status}, |client, body| Box::pin(async move {{ {put} }})))")
        }
        None => "None".to_owned(),
    };
    let _ = writeln!(
        out,
        "Case {{ operation_id: {:?}, file: {file:?}, method: {:?}, path: {:?}, query: &[{}], \
         body: {body_key:?}, status: {status}, \
         call: |client, body| Box::pin(async move {{ let _ = &body; {call} }}), \
         rewrite: {rewrite} }},",
        op.operation_id,
        op.method,
        op.path,
        query.join(", "),
    );
    Ok(())
}

/// The call awaited to the decoded model as JSON: `decoded(..)` of a plain or long-running
/// answer, `items(..)` of a list's first page.
fn awaited(op: &Operation, call: &str) -> String {
    match op.returns {
        Returns::Paged => format!("items({call}).await"),
        Returns::Plain { .. } | Returns::LongRunning { .. } => format!("decoded({call}.await)"),
    }
}

/// The success code the server answers: the example's 200, else 201, 204, 202, else its
/// first code (which the client must then refuse: the test reports it).
fn answer_status(op: &Operation, example: &Example) -> Result<u16, String> {
    let codes: Vec<u16> = example
        .responses
        .keys()
        .filter_map(|code| code.parse().ok())
        .collect();
    [200, 201, 204, 202]
        .into_iter()
        .find(|code| codes.contains(code) && op.status.contains(code))
        .or_else(|| codes.first().copied())
        .ok_or_else(|| "no numbered response".to_owned())
}

/// The normalized form in which a Python name and a wire name meet: `if_match`,
/// `If-Match`; `filter`, `$filter`; `resource_group_name`, `resourceGroupName`.
fn normalized(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The example's parameter for `argument`, by its wire name.
fn parameter<'a>(example: &'a Example, argument: &Argument) -> Option<&'a Value> {
    let wire = match &argument.role {
        Role::Query(wire) | Role::Header(wire) => normalized(wire),
        Role::Path | Role::Body => normalized(&argument.name),
    };
    example
        .parameters
        .iter()
        .find(|(key, _)| normalized(key) == wire)
        .map(|(_, value)| value)
}

/// The example's parameter that is the request body: the one no other argument takes
/// (nor `api-version`, `subscriptionId`), if the operation has a body.
fn body_key(op: &Operation, example: &Example) -> Result<Option<String>, String> {
    if !op.arguments.iter().any(|a| matches!(a.role, Role::Body)) {
        return Ok(None);
    }
    let taken: Vec<String> = op
        .arguments
        .iter()
        .filter(|a| !matches!(a.role, Role::Body))
        .map(|a| match &a.role {
            Role::Query(wire) | Role::Header(wire) => normalized(wire),
            _ => normalized(&a.name),
        })
        .chain(["apiversion".to_owned(), "subscriptionid".to_owned()])
        .collect();
    let free: Vec<&String> = example
        .parameters
        .keys()
        .filter(|key| !taken.contains(&normalized(key)))
        .collect();
    // Some examples carry parameters the operation does not have (a `resourceGroupName`
    // for a subscription-wide check): a body is an object or a list.
    let structured: Vec<&String> = free
        .iter()
        .copied()
        .filter(|key| self_structured(&example.parameters[key.as_str()]))
        .collect();
    match (structured.as_slice(), free.as_slice()) {
        ([key], _) | ([], [key]) => Ok(Some((*key).clone())),
        ([], []) => Ok(None),
        (_, keys) => Err(format!("which parameter is the body: {keys:?}")),
    }
}

/// What the example lacks of what the operation requires, if anything.
fn missing_required(op: &Operation, example: &Example) -> Option<String> {
    let missing: Vec<String> = op
        .arguments
        .iter()
        .filter(|a| !a.optional && !matches!(a.role, Role::Body))
        .filter(|a| parameter(example, a).is_none())
        .map(|a| match &a.role {
            Role::Query(wire) | Role::Header(wire) => wire.clone(),
            _ => a.name.clone(),
        })
        .collect();
    let body_missing = op
        .arguments
        .iter()
        .any(|a| !a.optional && matches!(a.role, Role::Body))
        && !matches!(body_key(op, example), Ok(Some(_)));
    match (missing.is_empty(), body_missing) {
        (true, false) => None,
        _ => Some(format!(
            "{}: the example has no {}",
            op.operation_id,
            missing
                .into_iter()
                .chain(body_missing.then(|| "request body".to_owned()))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The example's values, and its body (read by the test into the method's body type).
struct ExampleValues<'a> {
    example: &'a Example,
}

impl Values for ExampleValues<'_> {
    fn value(&mut self, _: &Operation, argument: &Argument) -> Result<Option<Value>, String> {
        Ok(parameter(self.example, argument).cloned())
    }

    fn body(&mut self, op: &Operation, _: &Argument) -> Result<Option<String>, String> {
        Ok(body_key(op, self.example)?.map(|_| "typed(body)?".to_owned()))
    }
}

/// For a read (`get`) whose group creates the resource at the same path with a body:
/// the success code to answer and that create, with the example's path values and the
/// decoded read as its body.
fn rewrite(
    plan: &Plan,
    group: &Group,
    op: &Operation,
    example: &Example,
) -> Result<Option<(u16, String)>, String> {
    if op.name != "get" || op.method != "GET" {
        return Ok(None);
    }
    let Some(put) = group.operations.iter().find(|other| {
        other.name == "create_or_update" && other.method == "PUT" && other.path == op.path
    }) else {
        return Ok(None);
    };
    let mut values = RewriteValues { example };
    let call = write_call::call(plan, group, put, &mut values)?;
    let status = [200, 201]
        .into_iter()
        .find(|code| put.status.contains(code))
        .unwrap_or(put.status[0]);
    Ok(Some((status, awaited(put, &call))))
}

/// The read's path values, `*` for a required `If-Match`, no optional parameter, and the body the test hands over.
struct RewriteValues<'a> {
    example: &'a Example,
}

impl Values for RewriteValues<'_> {
    fn value(&mut self, _: &Operation, argument: &Argument) -> Result<Option<Value>, String> {
        Ok(match &argument.role {
            Role::Path => parameter(self.example, argument).cloned(),
            // A required `If-Match`: what a read-modify-write without the read's ETag sends.
            Role::Header(wire) if !argument.optional && wire.eq_ignore_ascii_case("if-match") => {
                Some(Value::String("*".to_owned()))
            }
            _ => None,
        })
    }

    fn body(&mut self, _: &Operation, _: &Argument) -> Result<Option<String>, String> {
        Ok(Some("typed(Some(body))?".to_owned()))
    }
}

fn self_structured(value: &Value) -> bool {
    value.is_object() || value.is_array()
}
