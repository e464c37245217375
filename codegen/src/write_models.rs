//! Writes `apim-client/src/models/generated/`: one file per area and a `mod.rs` that
//! documents the rules and re-exports every area.

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::areas::{self, Gate};
use crate::models_plan::{Constructor, Enum, Field, Plan, Struct, Type};

/// The rules, written once: the generated `mod.rs` doc.
const MODULE_DOC: &str = "\
//! The models of the whole 2024-05-01 API, generated from the SDK's model classes.
//!
//! Not generated: the backend family, written by hand from `shared/spec/` (see the parent
//! module), and the list pages (`*Collection` and the like), which [`crate::Page`] reads.
//!
//! Rules, the same in every model:
//! - Files are the cargo features' areas (`codegen/src/areas.rs`): a model sits in the
//!   file of the one area whose operation groups use it (through fields too) and is
//!   compiled with that area's feature (and `workspaces` if only workspace-scoped groups
//!   use it); a model several areas use sits in `shared.rs`, compiled when any of them is
//!   on. A model no operation reaches is not generated: it would only be picked by mistake.
//! - Structs nest as the wire does: fields under `properties` sit in a
//!   `<Model>Properties` struct (the SDK's own model of that name when it has exactly those
//!   fields), held as `properties: Option<_>`. The ARM envelope's `type` is
//!   `resource_type`; other keyword names are raw identifiers (`r#type`).
//! - Field names are the SDK's, in snake case; wire names are exact (each field's is
//!   spelled out in its `from_wire` and `to_wire`).
//! - Optional and read-only fields are `Option`; an absent field stays absent when written
//!   back. Required, writable fields are plain values (a nested `properties` struct the SDK
//!   flattened takes the required flags of the SDK models of its shape, e.g. an API's
//!   `path`), and a `new(required..)` constructor takes them, those of `properties` too
//!   (`ApiCreateOrUpdateParameter::new(path)`). Structs derive `Default` unless a required
//!   field has no default (an enum or a date-time).
//! - Structs are plain, `Clone + PartialEq`: users write them as struct literals with
//!   `..Default::default()`. Those a request body reaches also have a builder-style setter
//!   per writable field taking `impl Into<_>` (lists and maps: any iterator of what
//!   converts into their items), and a resource one per writable field of its
//!   `properties`, set there as the Python SDK's flattened models do:
//!   `ApiCreateOrUpdateParameter::new(\"echo\").display_name(\"Echo\")`. A `properties`
//!   struct reached only that way has no setters of its own (a second spelling of the
//!   same, and generic setters still cost compile time: about 0.25 G instructions for the
//!   `apis` area's).
//! - Enums are open: values this crate does not know are kept in `Other(String)`.
//! - Responses are read leniently: a required field the service omits, or sends as `null`,
//!   reads as its default (`\"\"`, `0`, `false`, empty); `null` items of lists and values of
//!   maps are left out; a number written as a string (`\"statusCode\": \"200\"`) reads as the
//!   number; unknown fields are ignored. A model reads itself from serde_json's `Value`
//!   tree with the shared readers of `models/wire.rs` (a generated `#[inline] from_wire`
//!   and a one-line `Deserialize`): the rules cost no code per field, and models still
//!   nest in users' own derived types. They write themselves the same way, through the
//!   shared writers of `models/write.rs` (a generated `#[inline] to_wire` listing the
//!   members in declaration order, `None` left out, and a one-line `Serialize`).
//! - Durations are [`std::time::Duration`] (ISO 8601 on the wire). Date-times are
//!   [`OffsetDateTime`](crate::OffsetDateTime), RFC 3339 on the wire (see
//!   [`crate::datetime`]: a date-time the service writes without an offset is read as UTC).
//! - `Debug` prints `<redacted>` for secrets: every field holding text whose name or
//!   description speaks of a key, secret, password, token, signature, SAS, credential,
//!   connection string or encoded certificate (gateway and subscription keys, client
//!   secrets, SSO and SAS links, a logger's `credentials`), a few the words miss (the
//!   `value` of named values, login links, an authorization's `parameters`), and not the
//!   few that only name one (`tokenEndpoint`, `secretIdentifier`); the rule and its lists
//!   are `codegen/src/secrets.rs`. A secret map shows its names, each value
//!   `<redacted>`; a secret list is redacted whole. Serialization is unchanged.
";

pub(crate) fn module_file(header: &str, plan: &Plan) -> String {
    let mut out = format!("{header}{MODULE_DOC}\n");
    for area in plan.areas.keys() {
        out.push_str(&module_cfg(plan, area));
        writeln!(out, "mod {area};").unwrap();
    }
    out.push_str("#[cfg(test)]\nmod tests;\n\n");
    for area in plan.areas.keys() {
        out.push_str(&module_cfg(plan, area));
        writeln!(out, "pub use {area}::*;").unwrap();
    }
    out.push_str(
        "
/// Stands for a secret in `Debug` output.
// Unused when no feature compiles a model with a secret.
#[allow(dead_code)]
struct Redacted;

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(\"<redacted>\")
    }
}

/// A secret map in `Debug` output: its names (which parameters are set is useful in a
/// log), each value `<redacted>`.
#[allow(dead_code)]
struct RedactedValues<'a, V>(&'a std::collections::BTreeMap<String, V>);

impl<V> std::fmt::Debug for RedactedValues<'_, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(self.0.keys().map(|name| (name, Redacted)))
            .finish()
    }
}
",
    );
    out
}

/// A file is compiled when one of its items is: the union of their gates (none if one of
/// them is always compiled, or if together they cover every area).
fn module_cfg(plan: &Plan, file: &str) -> String {
    let contents = &plan.areas[file];
    let mut gates = BTreeSet::new();
    for name in contents.structs.iter().chain(&contents.enums) {
        match plan.cfg.get(name) {
            Some(item) => gates.extend(item.iter().copied()),
            None => return String::new(),
        }
    }
    match areas::reduce(&gates) {
        Some(gates) => format!("#[cfg({})]\n", areas::predicate(&gates)),
        None => String::new(),
    }
}

pub(crate) fn area_file(header: &str, plan: &Plan, area: &str) -> String {
    let contents = &plan.areas[area];
    let structs: Vec<&Struct> = contents.structs.iter().map(|n| &plan.structs[n]).collect();
    let enums: Vec<&Enum> = contents.enums.iter().map(|n| &plan.enums[n]).collect();

    let mut out = if area == areas::SHARED {
        format!(
            "{header}//! Models that several feature areas use, each compiled when one of \
             them is on.\n\n"
        )
    } else {
        format!(
            "{header}//! Models of the `{}` feature area.\n\n",
            area.replace('_', "-")
        )
    };
    out.push_str(&imports(&structs, &enums));
    for planned in &enums {
        out.push('\n');
        out.push_str(&enumeration(planned, plan.cfg.get(&planned.name)));
    }
    for planned in &structs {
        out.push('\n');
        out.push_str(&structure(plan, planned, plan.cfg.get(&planned.name)));
    }
    out
}

/// Items are gated one by one, so an import may serve none of those compiled: the models
/// come in through one glob, and unused imports are allowed.
fn imports(structs: &[&Struct], enums: &[&Enum]) -> String {
    let fields = || structs.iter().flat_map(|s| &s.fields);
    let mut uses = vec!["#![allow(unused_imports)]\n".to_owned()];
    if fields().any(|f| contains(&f.ty, &|t| matches!(t, Type::Map(_)))) {
        uses.push("use std::collections::BTreeMap;".to_owned());
    }
    if structs.iter().any(|s| s.has_secret()) {
        uses.push("use std::fmt;".to_owned());
    }
    if fields().any(|f| f.ty == Type::Duration) {
        uses.push("use std::time::Duration;".to_owned());
    }
    if fields().any(|f| f.ty == Type::DateTime) {
        uses.push("use crate::OffsetDateTime;".to_owned());
    }
    if !structs.is_empty() {
        uses.push("use serde::{Deserialize, Serialize};".to_owned());
    }
    let mut names = BTreeSet::new();
    for field in fields() {
        field.ty.names(&mut names);
    }
    if !names.is_empty() {
        uses.push("use crate::models::*;".to_owned());
    }
    if structs.iter().any(|s| s.has_secret()) {
        uses.push("use super::{Redacted, RedactedValues};".to_owned());
    }
    if !enums.is_empty() {
        uses.push("use crate::models::open_enum::open_enum;".to_owned());
    }
    let mut out = uses.join("\n");
    out.push('\n');
    out
}

/// The gate of an item, or nothing.
fn cfg(gates: Option<&BTreeSet<Gate>>) -> String {
    gates.map(areas::attributes).unwrap_or_default()
}

fn contains(ty: &Type, wanted: &dyn Fn(&Type) -> bool) -> bool {
    wanted(ty)
        || match ty {
            Type::List(inner) | Type::Map(inner) => contains(inner, wanted),
            _ => false,
        }
}

fn enumeration(planned: &Enum, gates: Option<&BTreeSet<Gate>>) -> String {
    // `cfg` on the invocation (it covers the impls too), `doc(cfg)` on the enum.
    let mut out = String::new();
    if let Some(gates) = gates {
        writeln!(out, "#[cfg({})]", areas::predicate(gates)).unwrap();
    }
    out.push_str("open_enum! {\n");
    out.push_str(&doc(
        &planned.doc,
        &format!("The `{}` values.", planned.name),
    ));
    if let Some(gates) = gates {
        writeln!(
            out,
            "#[cfg_attr(docsrs, doc(cfg({})))]",
            areas::predicate(gates)
        )
        .unwrap();
    }
    writeln!(out, "pub enum {} {{", planned.name).unwrap();
    for (variant, wire, text) in &planned.variants {
        out.push_str(&doc(text, ""));
        writeln!(out, "{variant} => {wire:?},").unwrap();
    }
    out.push_str("}\n}\n");
    out
}

fn structure(plan: &Plan, planned: &Struct, gates: Option<&BTreeSet<Gate>>) -> String {
    let mut out = doc(&planned.doc, &format!("The `{}` model.", planned.name));
    out.push_str(&cfg(gates));
    let mut derives = vec![];
    if !planned.has_secret() {
        derives.push("Debug");
    }
    derives.push("Clone");
    if planned.default {
        derives.push("Default");
    }
    // `Deserialize` and `Serialize` are written out below: one line each over the shared
    // readers of `crate::models::wire` and writers of `crate::models::write`, not derives.
    derives.push("PartialEq");
    writeln!(out, "#[derive({})]", derives.join(", ")).unwrap();
    writeln!(out, "pub struct {} {{", planned.name).unwrap();
    for field in &planned.fields {
        out.push_str(&doc(&field.doc, ""));
        writeln!(out, "pub {}: {},", field.rust_name, field_type(field)).unwrap();
    }
    out.push_str("}\n");
    let impl_cfg = gates
        .map(|gates| format!("#[cfg({})]\n", areas::predicate(gates)))
        .unwrap_or_default();
    if let Some(constructor) = planned.constructor(plan) {
        out.push('\n');
        out.push_str(&impl_cfg);
        out.push_str(&write_constructor(planned, &constructor));
    }
    if planned.setters {
        out.push('\n');
        out.push_str(&impl_cfg);
        out.push_str(&setters(plan, planned));
    }
    if planned.has_secret() {
        out.push('\n');
        out.push_str(&impl_cfg);
        out.push_str(&redacting_debug(planned));
    }
    out.push('\n');
    out.push_str(&impl_cfg);
    out.push_str(&from_wire(planned));
    out.push_str(&impl_cfg);
    writeln!(
        out,
        "impl<'de> Deserialize<'de> for {} {{\n    \
         fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {{\n        \
         crate::models::wire::deserialize(d)\n    }}\n}}",
        planned.name
    )
    .unwrap();
    out.push_str(&impl_cfg);
    out.push_str(&to_wire(planned));
    out.push_str(&impl_cfg);
    writeln!(
        out,
        "impl Serialize for {} {{\n    \
         fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {{\n        \
         crate::models::write::serialize(self, s)\n    }}\n}}",
        planned.name
    )
    .unwrap();
    out
}

/// Lists the struct's members for writing, in declaration order: an optional one only
/// when it is `Some`, a required one always.
fn to_wire(planned: &Struct) -> String {
    let mut out = format!(
        "impl crate::models::write::ToWire for {} {{\n    \
         #[inline]\n    \
         fn to_wire(&self) -> crate::models::write::Written<'_> {{\n",
        planned.name
    );
    writeln!(
        out,
        "        let mut members = crate::models::write::Members::with_capacity({});",
        planned.fields.len()
    )
    .unwrap();
    for field in &planned.fields {
        let write = if field.optional {
            "optional"
        } else {
            "required"
        };
        writeln!(
            out,
            "        members.{write}({:?}, &self.{});",
            field.wire_name, field.rust_name
        )
        .unwrap();
    }
    out.push_str("        members.finish()\n    }\n}\n");
    out
}

/// Reads the struct out of a JSON tree: each field by the rule its kind has (optional,
/// required with a default, required). A struct with a default reads every field without
/// `?` (see `Object::finish`); one without reads its fields that have none with `?`.
fn from_wire(planned: &Struct) -> String {
    let mut out = format!(
        "impl crate::models::wire::FromWire for {} {{\n    \
         #[inline]\n    \
         fn from_wire(value: serde_json::Value) -> crate::models::wire::WireResult<Self> {{\n",
        planned.name
    );
    if planned.fields.is_empty() {
        out.push_str(
            "        crate::models::wire::Object::new(value)?;\n        Ok(Self {})\n    }\n}\n",
        );
        return out;
    }
    out.push_str("        let mut object = crate::models::wire::Object::new(value)?;\n");
    out.push_str("        let read = Self {\n");
    for field in &planned.fields {
        let read = if field.optional {
            "optional"
        } else if reads_as_default(&field.ty) {
            "or_default"
        } else if planned.default {
            "required"
        } else {
            "required_or_fail"
        };
        let tail = if read == "required_or_fail" { "?" } else { "" };
        writeln!(
            out,
            "            {}: object.{read}({:?}){tail},",
            field.rust_name, field.wire_name
        )
        .unwrap();
    }
    out.push_str("        };\n        object.finish(read)\n    }\n}\n");
    out
}

/// A required field whose type has a default it reads as when a response omits it.
fn reads_as_default(ty: &Type) -> bool {
    matches!(
        ty,
        Type::String
            | Type::I64
            | Type::F64
            | Type::Bool
            | Type::Json
            | Type::List(_)
            | Type::Map(_)
    )
}

fn field_type(field: &Field) -> String {
    let ty = rust_type(&field.ty);
    if field.optional {
        format!("Option<{ty}>")
    } else {
        ty
    }
}

fn rust_type(ty: &Type) -> String {
    match ty {
        Type::String => "String".to_owned(),
        Type::DateTime => "OffsetDateTime".to_owned(),
        Type::I64 => "i64".to_owned(),
        Type::F64 => "f64".to_owned(),
        Type::Bool => "bool".to_owned(),
        Type::Json => "serde_json::Value".to_owned(),
        Type::Duration => "Duration".to_owned(),
        Type::Enum(name) | Type::Model(name) => name.clone(),
        Type::List(inner) => format!("Vec<{}>", rust_type(inner)),
        Type::Map(inner) => format!("BTreeMap<String, {}>", rust_type(inner)),
    }
}

/// `new(required..)`: the struct's own required fields, and its `properties` struct's,
/// which it builds with that struct's `new`.
fn write_constructor(planned: &Struct, constructor: &Constructor<'_>) -> String {
    let mut out = format!("impl {} {{\n", planned.name);
    let names: Vec<String> = constructor
        .arguments()
        .map(|f| format!("`{}`", f.rust_name.trim_start_matches("r#")))
        .collect();
    writeln!(
        out,
        "/// A `{}` with its required fields ({}); the others unset.",
        planned.name,
        names.join(", ")
    )
    .unwrap();
    if names.len() > 7 {
        out.push_str("#[allow(clippy::too_many_arguments)]\n");
    }
    let arguments: Vec<String> = constructor
        .arguments()
        .map(|f| match f.ty {
            Type::String => format!("{}: impl Into<String>", f.rust_name),
            _ => format!("{}: {}", f.rust_name, rust_type(&f.ty)),
        })
        .collect();
    writeln!(out, "pub fn new({}) -> Self {{", arguments.join(", ")).unwrap();
    writeln!(out, "{} {{", planned.name).unwrap();
    for field in &planned.fields {
        let flattened = constructor
            .properties
            .filter(|(properties, _)| properties.rust_name == field.rust_name);
        let value = match (flattened, &field.ty, field.optional) {
            (Some((_, nested)), _, _) => {
                let names: Vec<&str> = nested.required().map(|f| f.rust_name.as_str()).collect();
                format!("Some({}::new({}))", nested.name, names.join(", "))
            }
            (None, _, true) => "None".to_owned(),
            (None, Type::String, false) => format!("{}.into()", field.rust_name),
            (None, _, false) => field.rust_name.clone(),
        };
        if value == field.rust_name {
            writeln!(out, "{},", field.rust_name).unwrap();
        } else {
            writeln!(out, "{}: {value},", field.rust_name).unwrap();
        }
    }
    out.push_str("}\n}\n}\n");
    out
}

/// Builder-style setters for a struct users write: one per writable field, and on a
/// resource one per writable field of its `properties` (set there, as the Python SDK's
/// flattened models do), so a request body is one expression. Generic (`impl Into<_>`), so
/// none is compiled to machine code until it is called; each is still parsed, type-checked
/// and written to the crate's metadata, so they go only where they save users code.
fn setters(plan: &Plan, planned: &Struct) -> String {
    let mut out = String::new();
    // `is_current(self, ..)` and the like read as predicates to clippy: they are setters.
    out.push_str("#[allow(clippy::wrong_self_convention, clippy::should_implement_trait)]\n");
    writeln!(out, "impl {} {{", planned.name).unwrap();
    for field in planned.fields.iter().filter(|f| !f.readonly) {
        out.push_str(&doc(&field.doc, ""));
        out.push_str(&setter(field, &format!("self.{}", field.rust_name)));
    }
    let properties = planned.fields.iter().find_map(|field| match &field.ty {
        Type::Model(name) if field.wire_name == "properties" => plan
            .structs
            .get(name)
            .filter(|nested| nested.default)
            .map(|nested| (field, nested)),
        _ => None,
    });
    if let Some((field, nested)) = properties {
        let own = |name: &str| planned.fields.iter().any(|f| f.rust_name == name);
        for inner in nested
            .fields
            .iter()
            .filter(|f| !f.readonly && !own(&f.rust_name))
        {
            let text = format!("In `properties`: {}", inner.doc);
            out.push_str(&doc(&text, ""));
            let place = format!(
                "crate::models::set::properties(&mut self.{}).{}",
                field.rust_name, inner.rust_name
            );
            out.push_str(&setter(inner, &place));
        }
    }
    out.push_str("}\n");
    out
}

/// `pub fn name(mut self, value: impl Into<T>) -> Self { place = Some(value.into()); self }`,
/// lists and maps taking any iterator of what converts into their items.
fn setter(field: &Field, place: &str) -> String {
    let (argument, value) = match &field.ty {
        Type::List(item) => (
            format!("impl IntoIterator<Item = impl Into<{}>>", rust_type(item)),
            "crate::models::set::list(value)".to_owned(),
        ),
        Type::Map(item) => (
            format!(
                "impl IntoIterator<Item = (impl Into<String>, impl Into<{}>)>",
                rust_type(item)
            ),
            "crate::models::set::map(value)".to_owned(),
        ),
        other => (
            format!("impl Into<{}>", rust_type(other)),
            "value.into()".to_owned(),
        ),
    };
    let value = if field.optional {
        format!("Some({value})")
    } else {
        value
    };
    format!(
        "pub fn {name}(mut self, value: {argument}) -> Self {{\n{place} = {value};\nself\n}}\n",
        name = field.rust_name
    )
}

/// `Debug` by hand: destructured, so a new field cannot be forgotten, and secrets shown
/// only as `<redacted>`.
fn redacting_debug(planned: &Struct) -> String {
    let mut out = format!("impl fmt::Debug for {} {{\n", planned.name);
    out.push_str("fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {\n");
    // A required secret is never read: bound to `_` so it is not an unused variable.
    let names: Vec<String> = planned
        .fields
        .iter()
        .map(|f| match (f.secret, f.optional, &f.ty) {
            (true, false, Type::Map(_)) => f.rust_name.clone(),
            (true, false, _) => format!("{}: _", f.rust_name),
            _ => f.rust_name.clone(),
        })
        .collect();
    writeln!(out, "let Self {{ {} }} = self;", names.join(", ")).unwrap();
    writeln!(out, "f.debug_struct({:?})", planned.name).unwrap();
    for field in &planned.fields {
        let label = field.rust_name.trim_start_matches("r#");
        let name = &field.rust_name;
        let value = match (field.secret, field.optional, &field.ty) {
            (false, _, _) => name.clone(),
            (true, true, Type::Map(_)) => format!("&{name}.as_ref().map(RedactedValues)"),
            (true, false, Type::Map(_)) => format!("&RedactedValues({name})"),
            (true, true, _) => format!("&{name}.as_ref().map(|_| Redacted)"),
            (true, false, _) => "&Redacted".to_owned(),
        };
        writeln!(out, ".field({label:?}, {value})").unwrap();
    }
    out.push_str(".finish()\n}\n}\n");
    out
}

/// A doc comment: the description on one paragraph, markdown-escaped so rustdoc reads no
/// links, HTML or code blocks into it; `fallback` when it is empty.
pub(crate) fn doc(text: &str, fallback: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = if text.is_empty() { fallback } else { &text };
    let escaped = text
        .split(' ')
        .map(escape_word)
        .collect::<Vec<_>>()
        .join(" ")
        .replace("```", "``");
    let mut out = String::new();
    let mut line = String::new();
    for word in escaped.split(' ') {
        if !line.is_empty() && line.len() + word.len() > 88 && !starts_markup(word) {
            writeln!(out, "/// {line}").unwrap();
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    writeln!(out, "/// {line}").unwrap();
    out
}

/// One word of a description, safe in a doc comment: a URL as code (rustdoc warns on a
/// bare one), anything else with `[`, `]`, `<` and `>` escaped.
fn escape_word(word: &str) -> String {
    if !word.contains('`')
        && let Some(at) = word.find("http://").or_else(|| word.find("https://"))
    {
        // Punctuation around the URL, e.g. `(http://..).`, stays outside the code span.
        let (before, url) = word.split_at(at);
        let end = url.trim_end_matches(['.', ',', ')', ';']).len();
        let (url, after) = url.split_at(end);
        return format!("{before}`{url}`{after}");
    }
    // Markup characters are escaped outside code spans (the description's own backticks).
    let mut escaped = String::with_capacity(word.len());
    let mut in_code = false;
    for c in word.chars() {
        if c == '`' {
            in_code = !in_code;
        } else if !in_code && matches!(c, '[' | ']' | '<' | '>') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Whether a line starting with `word` would read as a list item or heading.
fn starts_markup(word: &str) -> bool {
    matches!(word, "-" | "*" | "+")
        || word.starts_with('#')
        || word.starts_with('=')
        || (word.ends_with(['.', ')'])
            && word[..word.len() - 1].chars().all(|c| c.is_ascii_digit()))
}
