//! Writes the shipped API, `apim-client/src/apis/generated/`: per group a file with its
//! trait of typed `#[apim_operation]` declarations, and a `mod.rs` with the handles
//! (`operation_groups!`) and the list of traits the prelude re-exports.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::areas::Gate;
use crate::description::Description;
use crate::model::{Argument, Group, Operation, Returns, Role};
use crate::models_plan::Plan;
use crate::write_models::doc;

/// The SDK names of hand-written models that the crate ships under another name.
const RENAMED: &[(&str, &str)] = &[("BackendReconnectContract", "BackendReconnectRequest")];

/// Turns SDK model names into Rust types, collecting the `crate::models` names a file uses.
pub(crate) struct Types<'a> {
    plan: &'a Plan,
    description: &'a Description,
    used: BTreeSet<String>,
    /// Every group's request bodies: the models users write.
    bodies: BTreeSet<String>,
}

impl<'a> Types<'a> {
    pub(crate) fn new(plan: &'a Plan, description: &'a Description) -> Self {
        Types {
            plan,
            description,
            used: BTreeSet::new(),
            bodies: BTreeSet::new(),
        }
    }

    /// The models taken as request bodies, once every group is written.
    pub(crate) fn into_bodies(self) -> BTreeSet<String> {
        self.bodies
    }

    /// `BackendContract`, `[X]` -> `Vec<X>`, `{object}` -> a map of JSON values.
    fn model(&mut self, sdk: &str) -> Result<String, String> {
        if sdk == "object" {
            return Ok("serde_json::Value".to_owned());
        }
        if let Some(inner) = sdk.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            return Ok(format!("Vec<{}>", self.model(inner)?));
        }
        if let Some(inner) = sdk.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            let value = self.model(inner)?;
            return Ok(format!("std::collections::BTreeMap<String, {value}>"));
        }
        let name = RENAMED
            .iter()
            .find(|(from, _)| *from == sdk)
            .map_or(sdk, |(_, to)| to);
        let known = self.plan.structs.contains_key(name)
            || self.plan.enums.contains_key(name)
            || crate::hand_written::reason(sdk).is_some();
        if !known {
            // A list page answered whole (the SDK does not page it): `Page<T>` reads it.
            return match self.page_item(sdk) {
                Ok(item) => Ok(format!("crate::Page<{item}>")),
                Err(_) => Err(format!(
                    "model `{sdk}` is neither generated nor hand-written"
                )),
            };
        }
        self.used.insert(name.to_owned());
        Ok(name.to_owned())
    }

    /// A page model's item: the `[X]` its `value` holds.
    fn page_item(&mut self, page: &str) -> Result<String, String> {
        let page_model = self
            .description
            .models
            .iter()
            .find(|model| model.name == page)
            .ok_or_else(|| format!("no page model `{page}`"))?;
        let value = page_model
            .attributes
            .iter()
            .find(|attribute| attribute.wire_path == ["value"])
            .ok_or_else(|| format!("page model `{page}` has no `value`"))?;
        let item = value
            .sdk_type
            .strip_prefix('[')
            .and_then(|s| s.strip_suffix(']'))
            .ok_or_else(|| format!("`{page}.value` is not a list"))?;
        self.model(item)
    }
}

/// `named_value.rs`: the group's trait and its operations' options, and the models it
/// names.
pub(crate) fn group_file(
    header: &str,
    group: &Group,
    gate: Gate,
    types: &mut Types<'_>,
) -> Result<(String, BTreeSet<String>), String> {
    let mut body = String::new();
    let accessor = match &group.attribute {
        Some(attribute) => format!("[`ApimClient::{attribute}`](crate::ApimClient::{attribute})"),
        None => "the client itself".to_owned(),
    };
    let _ = writeln!(
        body,
        "/// The `{}_*` operations, reached through {accessor}.\n///\n/// Compiled with {}.\n\
         #[cfg_attr(docsrs, doc(cfg({})))]\npub trait {} {{",
        group_stem(group),
        gate.features_text(),
        gate.predicate(),
        group.trait_name
    );
    for (i, operation) in group.operations.iter().enumerate() {
        if i > 0 {
            body.push('\n');
        }
        write_operation(&mut body, operation, types)?;
    }
    body.push_str("}\n");
    for operation in &group.operations {
        write_options(&mut body, group, operation, gate, types)?;
    }

    let mut out = String::new();
    out.push_str(header);
    let _ = writeln!(out, "\n//! The `{}_*` operations.\n", group_stem(group));
    // `&self` and the options count as arguments too.
    let long = group
        .operations
        .iter()
        .any(|op| op.positional().count() + usize::from(op.options_name().is_some()) + 1 > 7);
    if long {
        out.push_str(
            "// Arguments follow the SDK's methods one for one (DESIGN.md §4), sometimes more\n\
             // than clippy's seven.\n#![allow(clippy::too_many_arguments)]\n\n",
        );
    }
    let used = std::mem::take(&mut types.used);
    if !used.is_empty() {
        let names: Vec<_> = used.iter().map(String::as_str).collect();
        let _ = writeln!(out, "use crate::models::{{{}}};", names.join(", "));
    }
    let runtime: Vec<_> = [
        ("OperationOptions", body.contains("OperationOptions)]")),
        ("Pager", body.contains("Pager<")),
        ("Poller", body.contains("Poller<")),
        ("Response", body.contains("Response<")),
        ("Result", body.contains("Result<")),
    ]
    .into_iter()
    .filter_map(|(name, used)| used.then_some(name))
    .chain(["apim_operation"])
    .collect();
    let _ = writeln!(out, "use crate::{{{}}};\n", runtime.join(", "));
    out.push_str(&body);
    Ok((out, used))
}

/// `NamedValueOperations` -> `NamedValue`; the mixin -> `ApiManagementClient`.
fn group_stem(group: &Group) -> &str {
    group
        .class
        .trim_end_matches("OperationsMixin")
        .trim_end_matches("Operations")
}

fn write_operation(out: &mut String, op: &Operation, types: &mut Types<'_>) -> Result<(), String> {
    write_docs(out, op);
    out.push_str(&declaration_head(op));
    for argument in op.positional() {
        let _ = write!(out, ", {}", declared_argument(op, argument, types)?);
    }
    if let Some(options) = op.options_name() {
        let _ = write!(out, ", #[options] options: Option<{options}>");
    }
    let _ = writeln!(out, ") -> {};", return_type(op, types)?);
    Ok(())
}

/// The attribute and the signature up to `&self`:
/// `#[apim_operation(METHOD, "template", operation_id = "..", status = [..], ..)]` and
/// `async fn name(&self` (a plain `fn` for a `Pager` or a `Poller`).
pub(crate) fn declaration_head(op: &Operation) -> String {
    let mut out = String::new();
    let status = op
        .status
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let mut options = format!(
        "operation_id = \"{}\", status = [{status}]",
        op.operation_id
    );
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

/// The operation's doc: what it does, its request and answers, its arguments.
fn write_docs(out: &mut String, op: &Operation) {
    let summary = format!("`{}`: {}", op.operation_id, op.summary.trim());
    out.push_str(&doc(&summary, &format!("`{}`.", op.operation_id)));
    let codes = op
        .status
        .iter()
        .map(|code| format!("`{code}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let _ = writeln!(
        out,
        "///\n/// `{} {}`, answered {codes}.",
        op.method, op.path
    );
    let behaviour = match &op.returns {
        Returns::Paged => {
            "Paged: the [`Pager`](crate::Pager) yields the items of every page, following \
             `nextLink`."
                .to_owned()
        }
        Returns::LongRunning { final_state, .. } => {
            let from = match final_state.as_deref() {
                Some("location") => " (the final resource is read from `Location`)",
                Some("azure-async-operation") => {
                    " (the final result is the status resource's, from `Azure-AsyncOperation`)"
                }
                Some("original-uri") => " (the final resource is read from the request's URL)",
                _ => "",
            };
            format!(
                "Long-running: awaiting the [`Poller`](crate::Poller) polls to the end and \
                 gives the final answer's [`Response`](crate::Response){from}; it also streams \
                 the statuses and has a resume token."
            )
        }
        Returns::Plain { .. } => String::new(),
    };
    if !behaviour.is_empty() {
        // Written as is: `doc` would escape the links.
        let _ = writeln!(out, "///\n/// {behaviour}");
    }
    if !op.arguments.is_empty() {
        out.push_str("///\n");
    }
    for argument in op.positional() {
        out.push_str(&doc(
            &format!("- `{}`: {}", argument.name, argument_doc(argument)),
            "",
        ));
    }
    if let Some(options) = op.options_name() {
        let names: Vec<String> = op.options().map(|a| format!("`{}`", a.name)).collect();
        let _ = writeln!(
            out,
            "/// - `options`: [`{options}`](crate::models::{options}), the optional {}; `None` \
             sends none.",
            names.join(", ")
        );
    }
}

/// The SDK's `$filter` tables (`| Field | Usage | Supported operators | Supported
/// functions |</br>|---|</br>| name | filter | ge, le | contains |</br>`), which rustdoc
/// cannot render inside a list item, as one line per field:
/// `name` (filter: ge, le; functions: contains).
fn odata_fields(text: &str) -> String {
    let (before, table) = text.split_at(text.find('|').unwrap_or(text.len()));
    let rows = table.split("</br>").filter_map(|row| {
        let row = row.trim();
        row.starts_with('|').then(|| {
            row.trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect::<Vec<_>>()
        })
    });
    let fields: Vec<String> = rows
        .filter(|cells| {
            let first = cells.first().copied().unwrap_or_default();
            !first.is_empty() && first != "Field" && !first.chars().all(|c| c == '-')
        })
        .map(|cells| {
            let part = |i: usize| cells.get(i).copied().filter(|c| !c.is_empty());
            let mut text = format!("`{}` ({}", cells[0], part(1).unwrap_or("filter"));
            if let Some(operators) = part(2) {
                let _ = write!(text, ": {operators}");
            }
            if let Some(functions) = part(3) {
                let _ = write!(text, "; functions: {functions}");
            }
            text.push(')');
            text
        })
        .collect();
    if fields.is_empty() {
        return text.replace("</br>", " ");
    }
    let before = before.trim();
    let space = if before.is_empty() { "" } else { " " };
    format!("{before}{space}{}.", fields.join("; "))
}

/// The docstring's text without the SDK's own bookkeeping: "Required." is the type's to
/// say, the `IO[bytes]` alternative does not exist here, and a `None` default is `None`.
fn argument_doc(argument: &Argument) -> String {
    let mut text = argument.doc.trim().to_owned();
    for noise in [" Required.", " Default value is None."] {
        if let Some(stripped) = text.strip_suffix(noise) {
            text = stripped.to_owned();
        }
    }
    if let Some(at) = text.find(" Is either a ") {
        text.truncate(at);
    }
    if text.contains("</br>") {
        text = odata_fields(&text);
    }
    if let Some(default) = &argument.python_default {
        let _ = write!(
            text,
            " The SDK sends `{default}` when it is not given; `None` here sends nothing."
        );
    }
    text
}

fn declared_argument(
    op: &Operation,
    argument: &Argument,
    types: &mut Types<'_>,
) -> Result<String, String> {
    let ty = match &argument.role {
        Role::Body => {
            let model = argument
                .body_model
                .as_deref()
                .ok_or_else(|| format!("{}: a body without a model", op.operation_id))?;
            let name = types.model(model)?;
            types.bodies.insert(name.clone());
            format!("&{name}")
        }
        _ => value_type(argument, types, Owned::No)?,
    };
    let ty = if argument.optional {
        format!("Option<{ty}>")
    } else {
        ty
    };
    let role = match &argument.role {
        Role::Path => String::new(),
        Role::Query(wire_name) => format!("#[query(\"{wire_name}\")] "),
        Role::Header(wire_name) => format!("#[header(\"{wire_name}\")] "),
        Role::Body => "#[body] ".to_owned(),
    };
    Ok(format!("{role}{}: {ty}", argument.name))
}

/// The options struct of an operation with optional query parameters or headers, after
/// the trait.
fn write_options(
    out: &mut String,
    group: &Group,
    op: &Operation,
    gate: Gate,
    types: &mut Types<'_>,
) -> Result<(), String> {
    let Some(name) = op.options_name() else {
        return Ok(());
    };
    let _ = writeln!(
        out,
        "\n/// The options of [`{trait_name}::{method}`](crate::apis::{trait_name}::{method}) \
         (`{id}`): its optional query parameters and headers. A field left `None` is not sent.\n\
         #[cfg_attr(docsrs, doc(cfg({predicate})))]\n\
         #[derive(Debug, Clone, Default, OperationOptions)]\npub struct {name} {{",
        trait_name = group.trait_name,
        method = op.name,
        id = op.operation_id,
        predicate = gate.predicate(),
    );
    for argument in op.options() {
        out.push_str(&doc(&argument_doc(argument), ""));
        let role = match &argument.role {
            Role::Query(wire_name) => format!("#[query(\"{wire_name}\")]"),
            Role::Header(wire_name) => format!("#[header(\"{wire_name}\")]"),
            Role::Path | Role::Body => {
                return Err(format!(
                    "{}: `{}` is not a query parameter or header",
                    op.operation_id, argument.name
                ));
            }
        };
        let _ = writeln!(
            out,
            "{role}\npub {}: Option<{}>,",
            argument.name,
            value_type(argument, types, Owned::Yes)?
        );
    }
    out.push_str("}\n");
    Ok(())
}

/// Whether a value type is borrowed (an argument) or owned (an options field).
#[derive(Clone, Copy, PartialEq)]
enum Owned {
    Yes,
    No,
}

/// The Rust type of a path, query or header value.
fn value_type(argument: &Argument, types: &mut Types<'_>, owned: Owned) -> Result<String, String> {
    let by_ref = |ty: String| match owned {
        Owned::Yes => ty,
        Owned::No => format!("&{ty}"),
    };
    Ok(match (&argument.role, argument.sdk_type.as_str()) {
        (Role::Query(wire), "int") if wire == "$top" || wire == "$skip" => "u32".to_owned(),
        (_, "int") => "i64".to_owned(),
        (_, "bool") => "bool".to_owned(),
        // Durations and date-times travel as the text the service reads (ISO 8601).
        _ => match &argument.enum_name {
            Some(name) if types.plan.enums.contains_key(name) => by_ref(types.model(name)?),
            _ if owned == Owned::Yes => "String".to_owned(),
            _ => "&str".to_owned(),
        },
    })
}

fn return_type(op: &Operation, types: &mut Types<'_>) -> Result<String, String> {
    let models = &op.models;
    Ok(match &op.returns {
        Returns::Plain { .. } => match &models.response {
            // HEAD answers carry no body, whatever the SDK declares.
            Some(model) if op.method != "HEAD" => {
                format!("Result<Response<{}>>", types.model(model)?)
            }
            _ => "Result<Response<()>>".to_owned(),
        },
        Returns::Paged => {
            let page = models
                .page
                .as_deref()
                .ok_or_else(|| format!("{}: paged without a page model", op.operation_id))?;
            format!("Pager<{}>", types.page_item(page)?)
        }
        Returns::LongRunning { .. } => match &models.final_model {
            // A delete may end without the resource (a 204, a gone `Location`), as the
            // SDK's `None`.
            Some(model) if op.method == "DELETE" => {
                format!("Poller<Option<{}>>", types.model(model)?)
            }
            Some(model) => format!("Poller<{}>", types.model(model)?),
            None => "Poller<()>".to_owned(),
        },
    })
}

/// `mod.rs`: the group modules, their traits and options, the handles, the prelude's list,
/// each gated by its group's feature area, and for every gate the trait that a handle's
/// accessor asks for while its feature is off.
pub(crate) fn module_file(
    header: &str,
    groups: &[Group],
    gates: &BTreeMap<String, Gate>,
) -> String {
    let gate = |group: &Group| gates[&module_name(group)];
    let mut out = String::new();
    out.push_str(header);
    out.push_str(
        "\n//! Every operation group of the 2024-05-01 API: one module per group, named after \
         the\n//! Python client attribute, and the handles that reach them. Each is compiled with \
         its\n//! feature area (`codegen/src/areas.rs`).\n\n\
         #[allow(unused_imports)]\nuse super::FeatureOff;\n\n",
    );
    for group in groups {
        let _ = writeln!(
            out,
            "#[cfg({})]\nmod {};",
            gate(group).predicate(),
            module_name(group)
        );
    }
    out.push('\n');
    for group in groups {
        let _ = writeln!(
            out,
            "#[cfg({})]\npub use {}::{};",
            gate(group).predicate(),
            module_name(group),
            group.trait_name
        );
    }
    out.push_str("\n/// Every group's trait, for [`crate::prelude`].\npub(crate) mod traits {\n");
    for group in groups {
        let _ = writeln!(
            out,
            "#[cfg({})]\npub use super::{};",
            gate(group).predicate(),
            group.trait_name
        );
    }
    out.push_str("}\n\n");
    out.push_str(
        "/// Every operation's options struct, for [`crate::models`].\npub(crate) mod options {\n",
    );
    for group in groups {
        let names: Vec<String> = group
            .operations
            .iter()
            .filter_map(Operation::options_name)
            .collect();
        if !names.is_empty() {
            let _ = writeln!(
                out,
                "#[cfg({})]\npub use super::{}::{{{}}};",
                gate(group).predicate(),
                module_name(group),
                names.join(", ")
            );
        }
    }
    out.push_str("}\n\n");
    let mut off: BTreeSet<Gate> = BTreeSet::new();
    out.push_str("operation_groups! {\n");
    for group in groups {
        if let Some(attribute) = &group.attribute {
            let gate = gate(group);
            off.insert(gate);
            let operations: Vec<String> = group
                .operations
                .iter()
                .map(|op| {
                    format!(
                        "[`{name}`]({trait_name}::{name})",
                        name = op.name,
                        trait_name = group.trait_name
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "({}) {attribute} => {}: {}, \"{}\", \"{}\", \"{}\";",
                gate.predicate(),
                group.class,
                group.trait_name,
                group_stem(group),
                gate.features_text(),
                operations.join(", ")
            );
        }
    }
    out.push_str("}\n");
    out.push_str(
        "\n// While a group's feature is off its accessor is still there, hidden, asking for a \
         trait\n// nothing implements: calling it is a compile error that names the feature \
         to turn on\n// (instead of \"no method named `api`\"). The higher-ranked bound is only \
         checked where\n// it is called.\nimpl crate::ApimClient {\n",
    );
    for group in groups {
        if let Some(attribute) = &group.attribute {
            let gate = gate(group);
            let _ = writeln!(
                out,
                "#[cfg(not({}))]\n#[doc(hidden)]\n#[inline]\npub fn {attribute}(&self) -> FeatureOff where for<'a> &'a Self: feature_off::{} {{ FeatureOff }}",
                gate.predicate(),
                off_trait(gate)
            );
        }
    }
    out.push_str("}\n");
    // In a module of their own: `#[diagnostic::on_unimplemented]` does not resolve where a
    // module named `diagnostic` (the `Diagnostic_*` group) is in scope.
    out.push_str(
        "\n/// The traits the accessors of groups whose feature is off ask for.\n\
         #[doc(hidden)]\npub mod feature_off {\n",
    );
    for gate in off {
        let features = match gate {
            Gate::Area(area) => vec![area],
            Gate::InWorkspace(area) => vec![crate::areas::WORKSPACES, area],
        };
        let list = features
            .iter()
            .map(|f| format!("\\\"{f}\\\""))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            out,
            "\n/// Implemented by nothing: a handle's accessor asks for it while {text} is off, so \
             calling it says which feature to turn on.\n\
             #[cfg(not({predicate}))]\n#[doc(hidden)]\n\
             #[diagnostic::on_unimplemented(message = \"this operation group is compiled only with {text} of apim-client\", \
             label = \"needs {text}\", \
             note = \"turn it on in Cargo.toml: `apim-client = {{{{ version = \\\"0.1\\\", features = [{list}] }}}}` (or `full`)\")]\n\
             pub trait {name} {{}}",
            text = gate.features_text(),
            predicate = gate.predicate(),
            name = off_trait(gate),
        );
    }
    out.push_str("}\n");
    for group in groups.iter().filter(|group| group.attribute.is_none()) {
        let _ = writeln!(
            out,
            "\n// The client's own operations (the SDK's mixin) have no handle.\n\
             #[cfg({})]\nimpl {} for crate::ApimClient {{}}",
            gate(group).predicate(),
            group.trait_name
        );
    }
    out
}

/// The trait an accessor needs while `gate` is off: `ApisFeatureOff`,
/// `WorkspacesAndApisFeaturesOff`.
fn off_trait(gate: Gate) -> String {
    let pascal = |area: &str| crate::models_plan::pascal_case(&area.replace('-', "_"));
    match gate {
        Gate::Area(area) => format!("{}FeatureOff", pascal(area)),
        Gate::InWorkspace(area) => format!(
            "{}And{}FeaturesOff",
            pascal(crate::areas::WORKSPACES),
            pascal(area)
        ),
    }
}

/// The file of a group: its attribute; the mixin's, its class in snake case.
pub(crate) fn module_name(group: &Group) -> String {
    match &group.attribute {
        Some(attribute) => attribute.clone(),
        None => crate::models_plan::snake_case(group_stem(group)),
    }
}

#[cfg(test)]
mod tests {
    use super::odata_fields;

    #[test]
    fn filter_tables_read_as_one_line_per_field() {
        let sdk = "| Field | Usage | Supported operators | Supported functions |</br>|-------------|-------------|-------------|-------------|</br>| name | filter | ge, le | contains |</br>| url | orderBy | | |</br>";
        assert_eq!(
            odata_fields(sdk),
            "`name` (filter: ge, le; functions: contains); `url` (orderBy)."
        );
        assert_eq!(odata_fields("a</br>b"), "a b");
    }
}
