//! Writes the wire test's data: for each operation, the answer the recording server gives,
//! the call with the oracle's sample arguments, and what the SDK sent for them.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::allow_list::KNOWN_DISAGREEMENTS;
use crate::description::{OracleOperation, Sample};
use crate::model::{Argument, Group, Operation, Returns, Role};

pub(crate) fn file(
    header: &str,
    groups: &[Group],
    oracle: &BTreeMap<&str, &OracleOperation>,
) -> Result<String, String> {
    let mut out = String::new();
    out.push_str(header);
    out.push_str(
        "\n//! One case per operation: the answer to give, the call with the oracle's samples, \
         and the request\n//! the SDK built for the same samples.\n\n\
         use super::generated::*;\n\
         use super::{Answer, Case, Sent, body, finished, first_page, response};\n",
    );
    write_allow_list(&mut out);
    out.push_str("\npub(super) const CASES: &[Case] = &[\n");
    for group in groups {
        for op in &group.operations {
            let sample = oracle
                .get(op.operation_id.as_str())
                .ok_or_else(|| format!("{}: not in the oracle", op.operation_id))?;
            write_case(&mut out, &group.trait_name, op, sample)?;
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
    trait_name: &str,
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
        (204, _) => "",
        _ if op.method == "HEAD" => "",
        (_, Returns::Paged) => r#"{"value":[]}"#,
        _ => "{}",
    };
    let arguments = op
        .arguments
        .iter()
        .map(|argument| call_argument(&op.operation_id, argument, &oracle.arguments))
        .collect::<Result<Vec<_>, String>>()?;
    let wrapper = match op.returns {
        Returns::Plain { .. } => "response",
        Returns::Paged => "first_page",
        Returns::LongRunning { .. } => "finished",
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
         call: |client| {wrapper}({trait_name}::{}(client{})) }},",
        op.operation_id,
        sent.method,
        sent.path,
        sent.query,
        op.name,
        arguments
            .iter()
            .map(|a| format!(", {a}"))
            .collect::<String>(),
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

/// The argument as Rust source: the oracle's sample, or the shared JSON body.
fn call_argument(
    operation_id: &str,
    argument: &Argument,
    samples: &[Sample],
) -> Result<String, String> {
    let value = if matches!(argument.role, Role::Body) {
        "body()".to_owned()
    } else {
        let sample = samples
            .iter()
            .find(|sample| sample.name == argument.name)
            .ok_or_else(|| format!("{operation_id}: no sample for `{}`", argument.name))?;
        match &sample.value {
            serde_json::Value::String(text) => format!("{text:?}"),
            serde_json::Value::Number(number) => number.to_string(),
            serde_json::Value::Bool(flag) => flag.to_string(),
            other => return Err(format!("{operation_id}: unexpected sample {other}")),
        }
    };
    Ok(if argument.optional {
        format!("Some({value})")
    } else {
        value
    })
}
