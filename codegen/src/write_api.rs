//! Writes the declarations: one trait per group, one `#[apim_operation]` per operation,
//! in the shape of the hand-written `apim-client/src/apis/backend.rs`.

use std::fmt::Write;

use crate::model::{Argument, Group, Operation, Returns, Role, Type};

pub(crate) fn file(header: &str, groups: &[Group]) -> String {
    let mut out = String::new();
    out.push_str(header);
    out.push_str(
        "\n//! Every operation of the 2024-05-01 API, declared from the description, with \
         JSON values for models:\n//! the declarations the wire test in `cases.rs` calls.\n\n\
         // Arguments follow the SDK's methods one for one (DESIGN.md §4), often more than\n\
         // clippy's seven.\n\
         #![allow(clippy::too_many_arguments)]\n\n\
         use apim_client::{ApimClient, Pager, Poller, Response, Result, apim_operation};\n",
    );
    for group in groups {
        write_group(&mut out, group);
    }
    out
}

fn write_group(out: &mut String, group: &Group) {
    let _ = writeln!(out, "\npub(crate) trait {} {{", group.trait_name);
    for (i, operation) in group.operations.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        write_operation(out, operation);
    }
    let _ = writeln!(out, "}}\n\nimpl {} for ApimClient {{}}", group.trait_name);
}

fn write_operation(out: &mut String, op: &Operation) {
    write_docs(out, op);
    out.push_str(&declaration_head(op));
    for argument in &op.arguments {
        let _ = write!(out, ", {}", declared_argument(argument));
    }
    let _ = writeln!(out, ") -> {};", return_type(&op.returns));
}

/// The attribute and the signature up to `&self`, the same for the shipped traits and the
/// wire test's: `#[apim_operation(METHOD, "template", status = [..], ..)]` and
/// `async fn name(&self` (a plain `fn` for a `Pager` or a `Poller`).
pub(crate) fn declaration_head(op: &Operation) -> String {
    let mut out = String::new();
    let status = op
        .status
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let mut options = format!("status = [{status}]");
    if let Some(accept) = &op.accept {
        let _ = write!(options, ", accept = \"{accept}\"");
    }
    if let Returns::LongRunning {
        final_state: Some(final_state),
        ..
    } = &op.returns
    {
        let _ = write!(options, ", final_state = \"{final_state}\"");
    }
    let _ = writeln!(
        out,
        "#[apim_operation({}, \"{}\", {options})]",
        op.method, op.template
    );
    let asyncness = match op.returns {
        Returns::Plain { .. } => "async ",
        Returns::Paged | Returns::LongRunning { .. } => "",
    };
    let _ = write!(out, "{asyncness}fn {}(&self", op.name);
    out
}

fn write_docs(out: &mut String, op: &Operation) {
    let summary = op.summary.trim();
    if summary.is_empty() {
        let _ = writeln!(out, "/// `{}`.", op.operation_id);
    } else {
        let _ = writeln!(out, "/// `{}`: {}", op.operation_id, doc_line(summary));
    }
    for argument in &op.arguments {
        if let Some(default) = &argument.python_default {
            let _ = writeln!(
                out,
                "///\n/// The SDK sends `{}` = `{default}` when it is not given; `None` here sends nothing.",
                argument.name
            );
        }
    }
}

/// A summary as one doc line: line breaks would end the comment.
fn doc_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn declared_argument(argument: &Argument) -> String {
    let ty = match argument.ty {
        Type::Str => "&str",
        Type::I64 => "i64",
        Type::Bool => "bool",
        Type::Json => "&serde_json::Value",
    };
    let ty = if argument.optional {
        format!("Option<{ty}>")
    } else {
        ty.to_owned()
    };
    let role = match &argument.role {
        Role::Path => String::new(),
        Role::Query(wire_name) => format!("#[query(\"{wire_name}\")] "),
        Role::Header(wire_name) => format!("#[header(\"{wire_name}\")] "),
        Role::Body => "#[body] ".to_owned(),
    };
    format!("{role}{}: {ty}", argument.name)
}

fn return_type(returns: &Returns) -> &'static str {
    match returns {
        Returns::Plain { model: true } => "Result<Response<serde_json::Value>>",
        Returns::Plain { model: false } => "Result<Response<()>>",
        Returns::Paged => "Pager<serde_json::Value>",
        Returns::LongRunning { model: true, .. } => "Poller<serde_json::Value>",
        Returns::LongRunning { model: false, .. } => "Poller<()>",
    }
}
