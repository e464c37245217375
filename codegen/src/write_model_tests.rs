//! Writes `apim-client/src/models/generated/tests.rs`: for every generated model, a sample
//! with every field set (nested models too, as deep as they go without repeating), read
//! into the model and written back unchanged. Secret samples contain `s3cret`, which the
//! model's `Debug` must not show.

use std::fmt::Write;

use serde_json::{Map, Value, json};

use crate::models_plan::{Plan, Type};

/// The marker in every secret sample; `Debug` output must never contain it.
const SECRET: &str = "s3cret";

pub(crate) fn file(header: &str, plan: &Plan) -> Result<String, String> {
    let mut out = format!(
        "{header}//! Round trips of every generated model: a sample with every field set reads \
         into the model and writes back unchanged, and `Debug` shows none of its secrets.\n\n\
         // Each test is compiled with its model; with no feature on, nothing uses these.\n\
         #![allow(dead_code, unused_imports)]\n\n\
         use super::*;\n\n\
         fn round_trip<T>(sample: &str)\n\
         where T: serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug {{\n\
         let wire: serde_json::Value = serde_json::from_str(sample).unwrap();\n\
         let model: T = serde_json::from_value(wire.clone()).unwrap();\n\
         assert_eq!(serde_json::to_value(&model).unwrap(), wire);\n\
         let debug = format!(\"{{model:?}}\");\n\
         assert!(!debug.contains({SECRET:?}), \"a secret in {{debug}}\");\n\
         }}\n"
    );
    for area in plan.areas.values() {
        for name in &area.structs {
            let planned = &plan.structs[name];
            if !planned.is_model {
                continue;
            }
            let sample = model_sample(plan, name, &mut Vec::new(), false)?;
            let test_name = crate::models_plan::snake_case(name);
            let cfg = plan
                .cfg
                .get(name)
                .map(|gates| format!("#[cfg({})]\n", crate::areas::predicate(gates)))
                .unwrap_or_default();
            writeln!(
                out,
                "\n#[test]\n{cfg}fn {test_name}() {{\nround_trip::<{name}>(r#\"{sample}\"#);\n}}"
            )
            .unwrap();
        }
    }
    Ok(out)
}

/// `stack` holds the models being sampled, so a recursive model (`ErrorDetail.details`)
/// ends in an empty list or map, or an absent optional field.
pub(crate) fn model_sample(
    plan: &Plan,
    name: &str,
    stack: &mut Vec<String>,
    secret: bool,
) -> Result<Value, String> {
    let Some(planned) = plan.structs.get(name) else {
        return hand_written_sample(name);
    };
    stack.push(name.to_owned());
    let mut object = Map::new();
    for field in &planned.fields {
        let recursive = recursion(&field.ty, stack);
        let value = match (&field.ty, recursive) {
            (Type::List(_), true) => json!([]),
            (Type::Map(_), true) => json!({}),
            (_, true) if field.optional => continue,
            (_, true) => {
                return Err(format!(
                    "{name}.{} is required and recursive",
                    field.wire_name
                ));
            }
            (ty, false) => sample(plan, ty, &field.wire_name, stack, secret || field.secret)?,
        };
        object.insert(field.wire_name.clone(), value);
    }
    stack.pop();
    Ok(Value::Object(object))
}

fn recursion(ty: &Type, stack: &[String]) -> bool {
    match ty {
        Type::Model(name) => stack.contains(name),
        Type::List(inner) | Type::Map(inner) => recursion(inner, stack),
        _ => false,
    }
}

fn sample(
    plan: &Plan,
    ty: &Type,
    wire_name: &str,
    stack: &mut Vec<String>,
    secret: bool,
) -> Result<Value, String> {
    Ok(match ty {
        Type::String if secret => json!(format!("{SECRET} {wire_name}")),
        Type::String => json!(format!("{wire_name} é/1")),
        Type::DateTime => json!("2024-05-01T12:34:56.789Z"),
        Type::I64 => json!(3),
        Type::F64 => json!(2.5),
        Type::Bool => json!(true),
        Type::Json => json!({"nested": [1, "two", null]}),
        Type::Duration => json!("PT5M"),
        Type::Enum(name) => json!(plan.enums[name].variants[0].1),
        Type::Model(name) => model_sample(plan, name, stack, secret)?,
        Type::List(inner) => json!([sample(plan, inner, wire_name, stack, secret)?]),
        Type::Map(inner) => json!({"key1": sample(plan, inner, wire_name, stack, secret)?}),
    })
}

/// No generated model refers to a hand-written one today; one that starts to gets a
/// sample here, written after its spec.
fn hand_written_sample(name: &str) -> Result<Value, String> {
    Err(format!("no sample for the hand-written {name}"))
}
