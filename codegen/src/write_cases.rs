//! Writes the wire test's data: for each operation, the answer the recording server gives
//! (a sample of the operation's typed model, so the typed method decodes it), the call of
//! the shipped method through its handle with the oracle's sample arguments (typed bodies
//! and options included), and what the SDK sent for them.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::{Value, json};

use crate::allow_list::KNOWN_DISAGREEMENTS;
use crate::description::{Description, OracleOperation, Sample};
use crate::model::{Argument, Group, Operation, Returns};
use crate::models_plan::{Plan, Type};
use crate::write_call::{self, Values};
use crate::write_model_tests::model_sample;

/// What the cases are written from.
pub(crate) struct Sources<'a> {
    pub(crate) groups: &'a [Group],
    pub(crate) oracle: &'a BTreeMap<&'a str, &'a OracleOperation>,
    pub(crate) plan: &'a Plan,
    pub(crate) description: &'a Description,
}

pub(crate) fn file(header: &str, sources: &Sources<'_>) -> Result<String, String> {
    let mut out = String::new();
    out.push_str(header);
    out.push_str(
        "\n//! One case per operation: the answer to give, the call of the shipped method with \
         the oracle's samples,\n//! and the request the SDK built for the same samples.\n\n\
         use apim_client::models::*;\n\
         use apim_client::prelude::*;\n\n\
         use super::{Answer, Case, Sent, first_page};\n",
    );
    write_allow_list(&mut out);
    out.push_str("\npub(super) const CASES: &[Case] = &[\n");
    for group in sources.groups {
        for op in &group.operations {
            let sample = sources
                .oracle
                .get(op.operation_id.as_str())
                .ok_or_else(|| format!("{}: not in the oracle", op.operation_id))?;
            write_case(&mut out, sources, group, op, sample)?;
        }
    }
    out.push_str("];\n");
    Ok(out)
}

fn write_allow_list(out: &mut String) {
    out.push_str(
        "\n/// The operations on which we knowingly differ from the SDK, with the reason (kept \
         in\n/// `codegen/src/allow_list.rs`); the test fails unless exactly these differ.\n\
         pub(super) const KNOWN_DISAGREEMENTS: &[(&str, &str)] = &[\n",
    );
    for (operation_id, reason) in KNOWN_DISAGREEMENTS {
        let _ = writeln!(out, "({operation_id:?}, {reason:?}),");
    }
    out.push_str("];\n");
}

fn write_case(
    out: &mut String,
    sources: &Sources<'_>,
    group: &Group,
    op: &Operation,
    oracle: &OracleOperation,
) -> Result<(), String> {
    let sent = &oracle.request;
    if sent.method != op.method {
        return Err(format!(
            "{}: the oracle sent {} for a {} operation",
            op.operation_id, sent.method, op.method
        ));
    }
    let status = answer_status(op);
    let answer_body = match (status, &op.returns) {
        // No body on 204, nor on HEAD's answer.
        (204, _) => String::new(),
        _ if op.method == "HEAD" => String::new(),
        (_, Returns::Paged) => r#"{"value":[]}"#.to_owned(),
        (_, Returns::Plain { .. }) => answer(sources, op.models.response.as_deref())?,
        (_, Returns::LongRunning { .. }) => answer(sources, op.models.final_model.as_deref())?,
    };
    let mut values = OracleValues {
        plan: sources.plan,
        samples: &oracle.arguments,
    };
    let call = write_call::call(sources.plan, group, op, &mut values)?;
    let call = match op.returns {
        Returns::Paged => format!("first_page({call}).await"),
        Returns::Plain { .. } | Returns::LongRunning { .. } => format!("{call}.await.map(drop)"),
    };
    let headers = sent
        .headers
        .iter()
        .map(|(name, value)| format!("({name:?}, {value:?})"))
        .collect::<Vec<_>>()
        .join(", ");
    let _ = writeln!(
        out,
        "Case {{ operation_id: {:?}, answer: Answer {{ status: {status}, body: {answer_body:?} }}, \
         sent: Sent {{ method: {:?}, path: {:?}, query: {:?}, headers: &[{headers}] }}, \
         call: |client| Box::pin(async move {{ {call} }}) }},",
        op.operation_id, sent.method, sent.path, sent.query,
    );
    Ok(())
}

/// A success code that needs no polling and no further request: 200 if the operation
/// accepts it, else 201, 204, then whatever comes first. A long-running operation that
/// answers one of these without a polling header is finished at once.
fn answer_status(op: &Operation) -> u16 {
    [200, 201, 204]
        .into_iter()
        .find(|code| op.status.contains(code))
        .unwrap_or(op.status[0])
}

/// The answer's body: a sample of the SDK model the typed method decodes (every field
/// set), `{}` where the method decodes nothing. A long-running operation answered at once
/// must say it succeeded, or the poller would wait for its `provisioningState`.
fn answer(sources: &Sources<'_>, model: Option<&str>) -> Result<String, String> {
    let Some(model) = model else {
        return Ok("{}".to_owned());
    };
    let mut sample = sdk_sample(sources, model)?;
    if let Some(state) = sample
        .get_mut("properties")
        .and_then(|properties| properties.get_mut("provisioningState"))
    {
        *state = json!("Succeeded");
    }
    Ok(sample.to_string())
}

/// A JSON sample of an SDK type as the method's return type reads it.
fn sdk_sample(sources: &Sources<'_>, sdk: &str) -> Result<Value, String> {
    if sdk == "object" || sdk.starts_with('{') {
        return Ok(json!({}));
    }
    if sdk.starts_with('[') {
        return Ok(json!([]));
    }
    if sources.plan.structs.contains_key(sdk) {
        return model_sample(sources.plan, sdk, &mut Vec::new(), false);
    }
    let is_page = sources.description.models.iter().any(|model| {
        model.name == sdk && model.attributes.iter().any(|a| a.wire_path == ["value"])
    });
    if is_page || crate::hand_written::reason(sdk).is_some() {
        // `Page<T>` reads an empty list; the hand-written models read `{}`.
        return Ok(if is_page {
            json!({"value": []})
        } else {
            json!({})
        });
    }
    Err(format!("no sample for the answer model `{sdk}`"))
}

/// The oracle's samples, and a body built from the model's `Default` or `new`.
struct OracleValues<'a> {
    plan: &'a Plan,
    samples: &'a [Sample],
}

impl Values for OracleValues<'_> {
    fn value(&mut self, _: &Operation, argument: &Argument) -> Result<Option<Value>, String> {
        Ok(self
            .samples
            .iter()
            .find(|sample| sample.name == argument.name)
            .map(|sample| sample.value.clone()))
    }

    fn body(&mut self, op: &Operation, argument: &Argument) -> Result<Option<String>, String> {
        body(self.plan, op, argument).map(Some)
    }
}

/// A value of the body's model, as Rust source: its `Default`, or its `new` with sample
/// values where it has required fields without a default. The wire test does not read the
/// body (the oracle records only its content type); the shipped method must take it.
fn body(plan: &Plan, op: &Operation, argument: &Argument) -> Result<String, String> {
    let model = argument
        .body_model
        .as_deref()
        .ok_or_else(|| format!("{}: a body without a model", op.operation_id))?;
    Ok(match plan.structs.get(model) {
        Some(planned) if !planned.default => constructed(plan, model)?,
        _ => "Default::default()".to_owned(),
    })
}

/// `Model::new(..)` with a sample for each required field.
fn constructed(plan: &Plan, name: &str) -> Result<String, String> {
    let planned = plan
        .structs
        .get(name)
        .ok_or_else(|| format!("no struct {name}"))?;
    if planned.default {
        return Ok(format!("{name}::default()"));
    }
    let arguments = planned
        .new_arguments(plan)
        .iter()
        .map(|(_, ty)| value_of(plan, ty))
        .collect::<Result<Vec<_>, String>>()?;
    Ok(format!("{name}::new({})", arguments.join(", ")))
}

/// A sample value of a required field's type, as Rust source.
fn value_of(plan: &Plan, ty: &Type) -> Result<String, String> {
    Ok(match ty {
        Type::String => "\"sample\"".to_owned(),
        Type::DateTime => "apim_client::OffsetDateTime::UNIX_EPOCH".to_owned(),
        Type::I64 => "1".to_owned(),
        Type::F64 => "1.0".to_owned(),
        Type::Bool => "true".to_owned(),
        Type::Json => "serde_json::Value::Null".to_owned(),
        Type::Duration => "std::time::Duration::from_secs(60)".to_owned(),
        Type::Enum(name) => {
            let first = plan.enums[name]
                .variants
                .first()
                .ok_or_else(|| format!("{name} has no variant"))?;
            format!("{name}::{}", first.0)
        }
        Type::Model(name) => constructed(plan, name)?,
        Type::List(_) => "Vec::new()".to_owned(),
        Type::Map(_) => "Default::default()".to_owned(),
    })
}
