//! Writes the wire test's data: for each operation, the answer the recording server gives
//! (a sample of the operation's typed model, so the typed method decodes it), the call of
//! the shipped method through its handle with the oracle's sample arguments (typed bodies
//! and options included), and what the SDK sent for them.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::{Value, json};

use crate::allow_list::KNOWN_DISAGREEMENTS;
use crate::description::{Description, OracleOperation, Sample};
use crate::model::{Argument, Group, Operation, Returns, Role};
use crate::models_plan::{Plan, Type};
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
    let mut arguments = op
        .positional()
        .map(|argument| positional(sources, op, argument, &oracle.arguments))
        .collect::<Result<Vec<_>, String>>()?;
    if let Some(name) = op.options_name() {
        arguments.push(options(sources, op, &name, &oracle.arguments)?);
    }
    let receiver = match &group.attribute {
        Some(attribute) => format!("client.{attribute}()"),
        None => "client".to_owned(),
    };
    let call = format!("{receiver}.{}({})", op.name, arguments.join(", "));
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

/// A positional argument as Rust source: the oracle's sample, or a typed body.
fn positional(
    sources: &Sources<'_>,
    op: &Operation,
    argument: &Argument,
    samples: &[Sample],
) -> Result<String, String> {
    let value = match &argument.role {
        Role::Body => format!("&{}", body(sources, op, argument)?),
        _ => {
            let value = sample_value(op, argument, samples)?
                .ok_or_else(|| format!("{}: no sample for `{}`", op.operation_id, argument.name))?;
            if typed_enum(sources, argument) {
                format!("&{value}.into()")
            } else {
                value
            }
        }
    };
    Ok(if argument.optional {
        format!("Some({value})")
    } else {
        value
    })
}

/// `Some(XOptions { field: Some(..), .. })` with every sample the oracle has.
fn options(
    sources: &Sources<'_>,
    op: &Operation,
    name: &str,
    samples: &[Sample],
) -> Result<String, String> {
    let mut fields = Vec::new();
    let mut missing = false;
    for argument in op.options() {
        match sample_value(op, argument, samples)? {
            Some(value) => {
                let owned = if argument.sdk_type == "int" || argument.sdk_type == "bool" {
                    value
                } else {
                    format!("{value}.into()")
                };
                fields.push(format!("{}: Some({owned})", argument.name));
            }
            None => missing = true,
        }
    }
    if missing {
        fields.push("..Default::default()".to_owned());
    }
    let _ = sources;
    Ok(format!("Some({name} {{ {} }})", fields.join(", ")))
}

/// The oracle's sample for `argument` as a Rust literal, if it has one.
fn sample_value(
    op: &Operation,
    argument: &Argument,
    samples: &[Sample],
) -> Result<Option<String>, String> {
    let Some(sample) = samples.iter().find(|sample| sample.name == argument.name) else {
        return Ok(None);
    };
    Ok(Some(match &sample.value {
        Value::String(text) => format!("{text:?}"),
        Value::Number(number) => number.to_string(),
        Value::Bool(flag) => flag.to_string(),
        other => {
            return Err(format!(
                "{}: unexpected sample {other} for `{}`",
                op.operation_id, argument.name
            ));
        }
    }))
}

/// Whether the shipped method takes the argument as one of the API's enums.
fn typed_enum(sources: &Sources<'_>, argument: &Argument) -> bool {
    argument
        .enum_name
        .as_ref()
        .is_some_and(|name| sources.plan.enums.contains_key(name))
}

/// A value of the body's model, as Rust source: its `Default`, or its `new` with sample
/// values where it has required fields without a default. The wire test does not read the
/// body (the oracle records only its content type); the shipped method must take it.
fn body(sources: &Sources<'_>, op: &Operation, argument: &Argument) -> Result<String, String> {
    let model = argument
        .body_model
        .as_deref()
        .ok_or_else(|| format!("{}: a body without a model", op.operation_id))?;
    Ok(match sources.plan.structs.get(model) {
        Some(planned) if !planned.default => constructed(sources.plan, model)?,
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
