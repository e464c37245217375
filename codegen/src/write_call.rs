//! Writes the call of a shipped method through its handle, as a user would write it:
//! `client.api().list_by_service("rg1", "svc", Some(ApiListByServiceOptions { .. }))`.
//! The generated tests share it (the wire test against the SDK's oracle, the official
//! examples test); each says where the argument values come from ([`Values`]) and what
//! it does with the call's result.

use serde_json::Value;

use crate::model::{Argument, Group, Operation, Role};
use crate::models_plan::Plan;

/// Where a call's argument values come from.
pub(crate) trait Values {
    /// The value of a path, query or header argument, as JSON (a string, a number or a
    /// boolean); `None` where the source has none for it.
    fn value(&mut self, op: &Operation, argument: &Argument) -> Result<Option<Value>, String>;

    /// The request body as a Rust expression of the body's model (without the `&`);
    /// `None` leaves an optional body out.
    fn body(&mut self, op: &Operation, argument: &Argument) -> Result<Option<String>, String>;
}

/// `receiver.method(arguments..)`, not awaited: the receiver is the group's handle on a
/// `client` in scope (`client.api()`), or the client itself for its own operations.
pub(crate) fn call(
    plan: &Plan,
    group: &Group,
    op: &Operation,
    values: &mut dyn Values,
) -> Result<String, String> {
    let mut arguments = Vec::new();
    for argument in op.positional() {
        arguments.push(positional(plan, op, argument, values)?);
    }
    if let Some(name) = op.options_name() {
        arguments.push(options(op, &name, values)?);
    }
    let receiver = match &group.attribute {
        Some(attribute) => format!("client.{attribute}()"),
        None => "client".to_owned(),
    };
    Ok(format!("{receiver}.{}({})", op.name, arguments.join(", ")))
}

/// A positional argument as Rust source: a value (an enum-typed one converted), or the
/// body; `Some(..)` where the argument is optional.
fn positional(
    plan: &Plan,
    op: &Operation,
    argument: &Argument,
    values: &mut dyn Values,
) -> Result<String, String> {
    let value = match &argument.role {
        Role::Body => values.body(op, argument)?.map(|body| format!("&{body}")),
        _ => {
            let value = values
                .value(op, argument)?
                .ok_or_else(|| format!("{}: no value for `{}`", op.operation_id, argument.name))?;
            let literal = literal(op, argument, &value)?;
            Some(if typed_enum(plan, argument) {
                format!("&{literal}.into()")
            } else {
                literal
            })
        }
    };
    Ok(match (value, argument.optional) {
        (Some(value), true) => format!("Some({value})"),
        (Some(value), false) => value,
        (None, true) => "None".to_owned(),
        (None, false) => {
            return Err(format!(
                "{}: no value for the required `{}`",
                op.operation_id, argument.name
            ));
        }
    })
}

/// `Some(XOptions { field: Some(..), .. })` with every value the source has; `None` if
/// it has none.
fn options(op: &Operation, name: &str, values: &mut dyn Values) -> Result<String, String> {
    let mut fields = Vec::new();
    let mut missing = false;
    for argument in op.options() {
        match values.value(op, argument)? {
            Some(value) => {
                let literal = literal(op, argument, &value)?;
                let owned = if argument.sdk_type == "int" || argument.sdk_type == "bool" {
                    literal
                } else {
                    format!("{literal}.into()")
                };
                fields.push(format!("{}: Some({owned})", argument.name));
            }
            None => missing = true,
        }
    }
    if fields.is_empty() {
        return Ok("None".to_owned());
    }
    if missing {
        fields.push("..Default::default()".to_owned());
    }
    Ok(format!("Some({name} {{ {} }})", fields.join(", ")))
}

/// A value as a Rust literal of the argument's type: a string literal, or an integer or
/// boolean (also from text that spells one, as examples sometimes write them).
fn literal(op: &Operation, argument: &Argument, value: &Value) -> Result<String, String> {
    let unexpected = || {
        format!(
            "{}: unexpected value {value} for `{}` ({})",
            op.operation_id, argument.name, argument.sdk_type
        )
    };
    Ok(match (argument.sdk_type.as_str(), value) {
        ("int", Value::Number(number)) if number.is_i64() => number.to_string(),
        ("int", Value::String(text)) => text.parse::<i64>().map_err(|_| unexpected())?.to_string(),
        ("bool", Value::Bool(flag)) => flag.to_string(),
        ("bool", Value::String(text)) => {
            text.parse::<bool>().map_err(|_| unexpected())?.to_string()
        }
        ("int" | "bool", _) => return Err(unexpected()),
        (_, Value::String(text)) => format!("{text:?}"),
        (_, Value::Number(number)) => format!("{:?}", number.to_string()),
        (_, Value::Bool(flag)) => format!("{:?}", flag.to_string()),
        _ => return Err(unexpected()),
    })
}

/// Whether the shipped method takes the argument as one of the API's enums.
fn typed_enum(plan: &Plan, argument: &Argument) -> bool {
    argument
        .enum_name
        .as_ref()
        .is_some_and(|name| plan.enums.contains_key(name))
}
