//! Writes the Rust client's conformance scenario (`tests/it/scenario/generated.rs`): the
//! same plan as `conformance/plan.py`, derived from the same description and the same
//! bodies (`conformance/bodies.json`), as calls of the shipped group handles.
//!
//! For every group that can create and read a resource under the service: its parents
//! (the groups that own its path's prefixes, and those its bodies name) are created first,
//! then create, get, entity tag, list, update and delete, each a step the test records.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use serde_json::Value;

use crate::description::{self, Description};
use crate::model::{Argument, Group, Returns, Role};

const SERVICE_SEGMENT: &str = "/service/{serviceName}";
const SCOPE: [&str; 3] = ["subscription_id", "resource_group_name", "service_name"];

/// One group's plan, as `plan.py` makes it.
struct Plan<'a> {
    attribute: &'a str,
    segments: Vec<&'a str>,
    /// Groups owning the path's parents, in path order.
    parents: Vec<String>,
    /// `None` for a built-in resource (`_built_in` in the bodies), only read.
    create: Option<Op<'a>>,
    /// The get (`get_by_name` for a private endpoint connection); a link's create.
    resource: Op<'a>,
    /// Has a get; a link (`products/{p}/apis/{a}`) has only its existence check.
    readable: bool,
    entity_tag: Option<Op<'a>>,
    list: Option<Op<'a>>,
    update: Option<Op<'a>>,
    delete: Option<Op<'a>>,
    create_body: Value,
    update_body: Value,
    /// The own path value, when `bodies.json` fixes it.
    name: Option<String>,
    /// The enum values of the own path parameter, if it is an enum.
    enum_values: Vec<String>,
    max_length: Option<usize>,
}

/// An operation of a group, in both forms: the description's and the declaration's.
#[derive(Clone, Copy)]
struct Op<'a> {
    attribute: &'a str,
    raw: &'a description::Operation,
    declared: &'a crate::model::Operation,
    /// The enums the shipped declarations type their arguments with (`&TemplateName`).
    typed_enums: &'a BTreeSet<String>,
}

impl Op<'_> {
    fn path_params(&self) -> Vec<&str> {
        self.raw
            .request
            .path_params
            .iter()
            .map(|p| p.name.as_str())
            .filter(|name| !SCOPE.contains(name))
            .collect()
    }

    fn declares_etag(&self) -> bool {
        self.raw.responses.values().any(|answer| {
            answer
                .headers
                .iter()
                .any(|header| header.eq_ignore_ascii_case("etag"))
        })
    }
}

/// `/apis/{apiId}/x` -> `/apis/{}/x`.
fn normalized(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if !inside => out.push(c.to_ascii_lowercase()),
            _ => {}
        }
    }
    out
}

fn relative(path: &str) -> Option<&str> {
    path.split_once(SERVICE_SEGMENT).map(|(_, rest)| rest)
}

pub(crate) fn file(
    header: &str,
    description: &Description,
    groups: &[Group],
    bodies: &Value,
    typed_enums: &BTreeSet<String>,
) -> Result<String, String> {
    let plans = plans(description, groups, bodies, typed_enums)?;
    let by_name: BTreeMap<&str, &Plan<'_>> = plans.iter().map(|p| (p.attribute, p)).collect();
    let mut out = String::new();
    out.push_str(header);
    out.push_str(
        "\n//! The Rust client's run of the conformance scenario (`conformance/plan.py`): for \
         every group\n//! that can create and read a resource, its parents first, then create, \
         get, entity tag,\n//! list, update and delete through the shipped group handles, \
         with the bodies of\n//! `conformance/bodies.json` as typed models.\n\n\
         #![allow(clippy::too_many_lines)]\n\n\
         use apim_client::models::*;\n\
         use apim_client::prelude::*;\n\n\
         use super::{RG, SVC, Run, body, check, wanted};\n",
    );
    let _ = writeln!(
        out,
        "\n/// The groups the scenario covers, in the order it runs them.\npub(super) const GROUPS: &[&str] = &[{}];",
        plans
            .iter()
            .map(|p| format!("{:?}", p.attribute))
            .collect::<Vec<_>>()
            .join(", ")
    );
    out.push_str("\n/// Every group's life cycle, parents first.\npub(super) async fn all(run: &mut Run) {\n");
    for plan in &plans {
        let _ = writeln!(out, "{}(run).await;", plan.attribute);
    }
    out.push_str("}\n");

    // Parent creation, one arm per group that is some group's prerequisite.
    let mut needed: Vec<String> = Vec::new();
    for plan in &plans {
        for parent in prerequisites(plan, &by_name)? {
            if !needed.contains(&parent) {
                needed.push(parent);
            }
        }
    }
    out.push_str(
        "\n/// Creates `group`'s parent instance (`parent-*`) once; its own prerequisites \
         come first in every\n/// list this is called with.\n\
         pub(super) async fn create_parent(run: &mut Run, group: &'static str) {\n\
         if !run.begin_parent(group) { return; }\n\
         let client = run.client.clone();\n\
         match group {\n",
    );
    for attribute in &needed {
        let plan = by_name[attribute.as_str()];
        let args = values(plan, true, &by_name)?;
        let _ = writeln!(
            out,
            "{attribute:?} => {{ run.step(\"parents\", \"{attribute}.create\", async {{ {} }}).await; }}",
            create_call(plan, &args, &by_name)?
        );
    }
    out.push_str("_ => unreachable!(\"not a parent: {group}\"),\n}\n}\n");

    out.push_str(
        "\n/// The name of `group`'s parent instance.\n\
         pub(super) fn parent_name(group: &str) -> &'static str {\nmatch group {\n",
    );
    for attribute in &needed {
        let plan = by_name[attribute.as_str()];
        let _ = writeln!(
            out,
            "{attribute:?} => {:?},",
            own_value(plan, true, &by_name)
        );
    }
    out.push_str("_ => unreachable!(\"not a parent: {group}\"),\n}\n}\n");

    out.push_str(
        "\n/// Deletes `group`'s parent instance, where the group can delete.\n\
         pub(super) async fn delete_parent(run: &mut Run, group: &'static str) {\n\
         let client = run.client.clone();\n\
         match group {\n",
    );
    for attribute in &needed {
        let plan = by_name[attribute.as_str()];
        let args = values(plan, true, &by_name)?;
        if plan.delete.is_some() {
            let _ = writeln!(
                out,
                "{attribute:?} => {{ run.step(\"parents\", \"{attribute}.delete\", async {{ {} }}).await; }}",
                delete_call(plan, &args)?
            );
        }
    }
    out.push_str("_ => {}\n}\n}\n");

    for plan in &plans {
        write_life_cycle(&mut out, plan, &by_name)?;
    }
    Ok(out)
}

fn plans<'a>(
    description: &'a Description,
    groups: &'a [Group],
    bodies: &Value,
    typed_enums: &'a BTreeSet<String>,
) -> Result<Vec<Plan<'a>>, String> {
    let enums: BTreeMap<&str, Vec<String>> = description
        .enums
        .iter()
        .map(|e| {
            (
                e.name.as_str(),
                e.values.iter().map(|v| v.value.clone()).collect(),
            )
        })
        .collect();
    // Each group's operations, both forms, by name.
    let mut ops: Vec<(&str, BTreeMap<&str, Op<'_>>)> = Vec::new();
    for (raw_group, group) in description.groups.iter().zip(groups) {
        let Some(attribute) = raw_group.attribute.as_deref() else {
            continue;
        };
        let map = raw_group
            .operations
            .iter()
            .zip(&group.operations)
            .map(|(raw, declared)| {
                (
                    raw.name.as_str(),
                    Op {
                        attribute,
                        raw,
                        declared,
                        typed_enums,
                    },
                )
            })
            .collect();
        ops.push((attribute, map));
    }
    let mut collections: BTreeMap<String, Op<'_>> = BTreeMap::new();
    let mut creatable: BTreeMap<String, &str> = BTreeMap::new();
    for (attribute, map) in &ops {
        for op in map.values() {
            let request = &op.raw.request;
            if let Some(rel) = relative(&request.path)
                && request.method == "GET"
                && (op.raw.paged.is_some() || op.raw.name.starts_with("list"))
            {
                collections.entry(normalized(rel)).or_insert(*op);
            }
        }
        if let (Some(get), true) = (
            map.get("get").or(map.get("get_by_name")),
            map.contains_key("create_or_update") || map.contains_key("create"),
        ) && let Some(rel) = relative(&get.raw.request.path)
        {
            creatable.insert(normalized(rel), attribute);
        }
    }
    let hand_written = bodies.get("_hand_written");
    let mut plans = Vec::new();
    for (attribute, map) in &ops {
        let get = map.get("get").or(map.get("get_by_name"));
        let create = map.get("create_or_update").or(map.get("create"));
        let built_in = bodies
            .get("_built_in")
            .is_some_and(|b| b.get(*attribute).is_some());
        let get = get.filter(|_| create.is_some() || built_in);
        let readable = get.is_some();
        if !readable && !map.contains_key("delete") {
            continue;
        }
        // A link has no get: its create's path names it.
        let Some(get) = get.or(create) else {
            continue;
        };
        let Some(rel) = relative(&get.raw.request.path) else {
            continue;
        };
        if rel.trim_matches('/').is_empty()
            || hand_written.is_some_and(|h| h.get(*attribute).is_some())
        {
            continue;
        }
        let segments: Vec<&str> = rel.trim_matches('/').split('/').collect();
        let mut parents = Vec::new();
        let mut complete = true;
        for (i, segment) in segments[..segments.len() - 1].iter().enumerate() {
            if segment.starts_with('{') {
                let prefix = normalized(&format!("/{}", segments[..=i].join("/")));
                match creatable.get(&prefix) {
                    Some(owner) => parents.push((*owner).to_owned()),
                    None => complete = false,
                }
            }
        }
        if !complete {
            continue;
        }
        let collection = normalized(&format!("/{}", segments[..segments.len() - 1].join("/")));
        let body = bodies.get(*attribute);
        let pick = |key: &str| body.and_then(|b| b.get(key)).cloned();
        let own = get.path_params().last().map(ToString::to_string);
        let own_parameter = get.raw.parameters.iter().find(|p| {
            Some(&p.name) == own.as_ref() && segments.last().is_some_and(|s| s.starts_with('{'))
        });
        let enum_values = own_parameter
            .and_then(|p| annotated_enum(&p.annotation))
            .and_then(|name| enums.get(name.as_str()).cloned())
            .unwrap_or_default();
        let max_length = get
            .raw
            .request
            .path_params
            .iter()
            .find(|p| Some(&p.name) == own.as_ref())
            .and_then(|p| p.constraints.max_length);
        plans.push(Plan {
            attribute,
            segments,
            parents,
            create: create.copied(),
            resource: *get,
            readable,
            entity_tag: map
                .get("get_entity_tag")
                .or(map.get("get_entity_state"))
                .or(map.get("check_entity_exists"))
                .copied(),
            list: collections.get(&collection).copied(),
            update: map.get("update").copied(),
            delete: map.get("delete").copied(),
            create_body: pick("create").unwrap_or_else(|| serde_json::json!({})),
            update_body: pick("update")
                .unwrap_or_else(|| serde_json::json!({"properties": {"description": "updated"}})),
            name: pick("name").and_then(|v| v.as_str().map(str::to_owned)),
            enum_values,
            max_length,
        });
    }
    // Parents first: by depth, then as the description lists them (a stable sort, as
    // Python's `sorted`).
    plans.sort_by_key(|plan| plan.parents.len());
    Ok(plans)
}

/// `Union[str, _models.PolicyIdName]` -> `PolicyIdName`.
fn annotated_enum(annotation: &str) -> Option<String> {
    let start = annotation.find("_models.")? + "_models.".len();
    Some(
        annotation[start..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect(),
    )
}

/// The `{<group>}` names in `text`.
fn references<'a>(text: &str, by_name: &BTreeMap<&str, &'a Plan<'a>>) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..end];
        if after[end..].starts_with('}')
            && by_name.contains_key(name)
            && !found.iter().any(|f| f == name)
        {
            found.push(name.to_owned());
        }
        rest = after;
    }
    found
}

/// The groups whose parent instances must exist before `plan`'s own steps, each after its
/// own prerequisites.
fn prerequisites(
    plan: &Plan<'_>,
    by_name: &BTreeMap<&str, &Plan<'_>>,
) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    add_prerequisites(plan, by_name, &mut out, 0)?;
    Ok(out)
}

fn add_prerequisites(
    plan: &Plan<'_>,
    by_name: &BTreeMap<&str, &Plan<'_>>,
    out: &mut Vec<String>,
    depth: usize,
) -> Result<(), String> {
    if depth > 16 {
        return Err(format!(
            "{}: its prerequisites form a cycle",
            plan.attribute
        ));
    }
    let mut direct = plan.parents.clone();
    let texts = [
        plan.create_body.to_string(),
        plan.update_body.to_string(),
        plan.name.clone().unwrap_or_default(),
    ];
    for text in &texts {
        direct.extend(references(text, by_name));
    }
    for name in direct {
        let parent = by_name
            .get(name.as_str())
            .ok_or_else(|| format!("{}: no plan for `{name}`", plan.attribute))?;
        add_prerequisites(parent, by_name, out, depth + 1)?;
        if !out.contains(&name) {
            out.push(name);
        }
    }
    Ok(())
}

/// The group's own path value, as `plan.py`'s `path_value`.
fn own_value(plan: &Plan<'_>, as_parent: bool, by_name: &BTreeMap<&str, &Plan<'_>>) -> String {
    let last = plan.segments.last().copied().unwrap_or_default();
    if !last.starts_with('{') {
        return last.to_owned();
    }
    if let Some(name) = &plan.name {
        return fill(name, by_name);
    }
    if !plan.enum_values.is_empty() {
        let i = usize::from(as_parent && plan.enum_values.len() > 1);
        return plan.enum_values[i].clone();
    }
    let mut name = format!(
        "{}-{}",
        if as_parent { "parent" } else { "conf" },
        plan.attribute.replace('_', "-")
    );
    if let Some(limit) = plan.max_length {
        name.truncate(limit);
        while name.ends_with('-') {
            name.pop();
        }
    }
    name
}

/// `{service_id}` and `{<group>}` filled in.
fn fill(text: &str, by_name: &BTreeMap<&str, &Plan<'_>>) -> String {
    let mut text = text.replace("{service_id}", SERVICE_ID);
    for name in references(&text, by_name) {
        let value = own_value(by_name[name.as_str()], true, by_name);
        text = text.replace(&format!("{{{name}}}"), &value);
    }
    text
}

const SERVICE_ID: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/conformance-rg/providers/Microsoft.ApiManagement/service/conformance-svc";

/// The path values after the service, by position: the parents' instances, then its own.
fn values(
    plan: &Plan<'_>,
    as_parent: bool,
    by_name: &BTreeMap<&str, &Plan<'_>>,
) -> Result<Vec<String>, String> {
    let mut values: Vec<String> = plan
        .parents
        .iter()
        .map(|parent| own_value(by_name[parent.as_str()], true, by_name))
        .collect();
    if plan.segments.last().is_some_and(|s| s.starts_with('{')) {
        values.push(own_value(plan, as_parent, by_name));
    }
    if values.len() != plan.resource.path_params().len() {
        return Err(format!("{}: path values {values:?}", plan.attribute));
    }
    Ok(values)
}

fn resource_name(plan: &Plan<'_>, values: &[String]) -> String {
    match plan.segments.last() {
        Some(last) if !last.starts_with('{') => (*last).to_owned(),
        _ => values.last().cloned().unwrap_or_default(),
    }
}

/// `text` as a raw string literal, so the JSON reads as it is sent.
fn raw(text: &str) -> String {
    if text.contains("\"#") {
        format!("{text:?}")
    } else {
        format!("r#\"{text}\"#")
    }
}

/// What to pass for an argument that is neither a path value nor the body.
enum Etag<'s> {
    /// No If-Match (create), or `*` where the method requires one.
    Create,
    /// `etag`, a `&str` in scope.
    Var(&'s str),
}

/// `c.group().method(RG, SVC, "a", ..)` with the arguments in the declaration's order.
fn call(
    op: &Op<'_>,
    values: &[String],
    body: Option<&str>,
    etag: &Etag<'_>,
) -> Result<String, String> {
    let mut path = values.iter();
    let mut arguments = Vec::new();
    for argument in op.declared.positional() {
        arguments.push(argument_text(op, argument, &mut path, body, etag)?);
    }
    if let Some(name) = op.declared.options_name() {
        // Only an ETag is ever set among the options: `Some(..)` when there is one.
        let mut set = Vec::new();
        for argument in op.declared.options() {
            let text = argument_text(op, argument, &mut path, body, etag)?;
            if text != "None" {
                set.push(format!("{}: {text}", argument.name));
            }
        }
        if set.len() < op.declared.options().count() {
            set.push("..Default::default()".to_owned());
        }
        arguments.push(match set.as_slice() {
            [only] if only.starts_with("..") => "None".to_owned(),
            _ => format!("Some({name} {{ {} }})", set.join(", ")),
        });
    }
    Ok(format!(
        "client.{}().{}({})",
        op.attribute,
        op.declared.name,
        arguments.join(", ")
    ))
}

fn argument_text<'v>(
    op: &Op<'_>,
    argument: &Argument,
    path: &mut impl Iterator<Item = &'v String>,
    body: Option<&str>,
    etag: &Etag<'_>,
) -> Result<String, String> {
    let some = |text: String| {
        if argument.optional {
            format!("Some({text})")
        } else {
            text
        }
    };
    Ok(match &argument.role {
        Role::Path => match argument.name.as_str() {
            "resource_group_name" => "RG".to_owned(),
            "service_name" => "SVC".to_owned(),
            _ => {
                let value = path.next().ok_or_else(|| {
                    format!("{}: no value for `{}`", op.raw.operation_id, argument.name)
                })?;
                let typed = argument
                    .enum_name
                    .as_ref()
                    .is_some_and(|name| op.typed_enums.contains(name));
                if typed {
                    format!("&{value:?}.into()")
                } else {
                    format!("{value:?}")
                }
            }
        },
        Role::Header(name) if name.eq_ignore_ascii_case("If-Match") => match etag {
            Etag::Create if argument.optional => "None".to_owned(),
            Etag::Create => "\"*\"".to_owned(),
            // An options field owns its value.
            Etag::Var(var) if argument.is_option() => format!("Some({var}.into())"),
            Etag::Var(var) => some((*var).to_owned()),
        },
        Role::Body => match body {
            Some(text) => some(format!("&body({})?", raw(text))),
            None if argument.optional => "None".to_owned(),
            None => {
                return Err(format!("{}: a body is required", op.raw.operation_id));
            }
        },
        _ if argument.optional => "None".to_owned(),
        _ => {
            return Err(format!(
                "{}: no value for the required `{}`",
                op.raw.operation_id, argument.name
            ));
        }
    })
}

/// Awaits the call as its return form, giving `Result<T>` for a model, or the response.
fn awaited(op: &Op<'_>, call: &str) -> String {
    match op.declared.returns {
        Returns::Plain { .. } => format!("{call}.await"),
        Returns::LongRunning { .. } => format!("{call}.await"),
        Returns::Paged => call.to_owned(),
    }
}

fn is_lro(op: &Op<'_>) -> bool {
    matches!(op.declared.returns, Returns::LongRunning { .. })
}

fn create_call(
    plan: &Plan<'_>,
    values: &[String],
    by_name: &BTreeMap<&str, &Plan<'_>>,
) -> Result<String, String> {
    let create = plan
        .create
        .as_ref()
        .ok_or_else(|| format!("{}: cannot be created", plan.attribute))?;
    let body = create
        .raw
        .body
        .as_ref()
        .map(|_| fill(&plan.create_body.to_string(), by_name));
    let call = awaited(
        create,
        &call(create, values, body.as_deref(), &Etag::Create)?,
    );
    let name = resource_name(plan, values);
    Ok(match create.declared.returns {
        Returns::LongRunning { .. } => format!("check::finished({call}, {name:?})"),
        Returns::Plain { model: false } => format!("check::succeeded({call})"),
        _ => format!("check::created({call}, {name:?})"),
    })
}

fn delete_call(plan: &Plan<'_>, values: &[String]) -> Result<String, String> {
    let delete = plan.delete.as_ref().expect("a delete");
    let takes_etag = delete
        .declared
        .arguments
        .iter()
        .any(|a| matches!(&a.role, Role::Header(h) if h.eq_ignore_ascii_case("If-Match")));
    let get = awaited(
        &plan.resource,
        &call(&plan.resource, values, None, &Etag::Create)?,
    );
    let mut text = String::new();
    if takes_etag {
        let _ = write!(
            text,
            "let etag = check::etag({get})?; let etag = etag.as_str(); "
        );
    }
    let deleting = awaited(delete, &call(delete, values, None, &Etag::Var("etag"))?);
    if is_lro(delete) {
        let _ = write!(text, "{deleting}.map_err(check::error)?; ");
    } else {
        let _ = write!(text, "check::deleted({deleting})?; ");
    }
    match (&plan.entity_tag, plan.readable) {
        (Some(head), false) => {
            let head = awaited(head, &call(head, values, None, &Etag::Create)?);
            let _ = write!(text, "check::absent({head})");
        }
        // An email template cannot be deleted: DELETE puts APIM's default back.
        _ if plan.attribute == "email_template" => {
            let _ = write!(text, "check::reset({get})");
        }
        _ => {
            let _ = write!(text, "check::gone({get})");
        }
    }
    Ok(text)
}

fn write_life_cycle(
    out: &mut String,
    plan: &Plan<'_>,
    by_name: &BTreeMap<&str, &Plan<'_>>,
) -> Result<(), String> {
    let attribute = plan.attribute;
    let values = values(plan, false, by_name)?;
    let name = resource_name(plan, &values);
    let _ = writeln!(
        out,
        "\nasync fn {attribute}(run: &mut Run) {{\nconst G: &str = {attribute:?};"
    );
    let prerequisites = prerequisites(plan, by_name)?;
    if !prerequisites.is_empty() {
        let _ = writeln!(
            out,
            "for parent in [{}] {{ create_parent(run, parent).await; }}",
            prerequisites
                .iter()
                .map(|p| format!("{p:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    out.push_str("let client = run.client.clone();\n");
    if let Some(create) = &plan.create {
        let _ = writeln!(
            out,
            "run.step(G, {:?}, async {{ {} }}).await;",
            create.declared.name,
            create_call(plan, &values, by_name)?
        );
    }
    let get = awaited(
        &plan.resource,
        &call(&plan.resource, &values, None, &Etag::Create)?,
    );
    if plan.readable {
        let (bind, flatten) = if plan.update.is_some() {
            ("let etag = ", ".flatten()")
        } else {
            ("", "")
        };
        let _ = writeln!(
            out,
            "{bind}run.step(G, {:?}, async {{ check::got({get}, {name:?}, {}) }}).await{flatten};",
            plan.resource.declared.name,
            plan.resource.declares_etag(),
        );
    }
    if let Some(head) = &plan.entity_tag {
        let _ = writeln!(
            out,
            "run.step(G, {:?}, async {{ check::entity_tag({}, {}, {}) }}).await;",
            head.declared.name,
            awaited(head, &call(head, &values, None, &Etag::Create)?),
            head.declared.status[0],
            head.declares_etag()
        );
    }
    if let Some(list) = &plan.list {
        let list_values = &values[..list.path_params().len()];
        let call = awaited(list, &call(list, list_values, None, &Etag::Create)?);
        let check = match list.declared.returns {
            Returns::Paged => "check::listed",
            _ => "check::listed_once",
        };
        let _ = writeln!(
            out,
            "run.step(G, \"{}.{}\", async {{ {check}({call}, {name:?}).await }}).await;",
            list.attribute, list.declared.name
        );
    }
    if let Some(update) = &plan.update {
        let body = fill(&plan.update_body.to_string(), by_name);
        let call = awaited(
            update,
            &call(update, &values, Some(&body), &Etag::Var("etag"))?,
        );
        // Plain or long-running, the call gives the answer's `Response`.
        let answer = match update.declared.returns {
            Returns::LongRunning { model: true, .. } | Returns::Plain { model: true } => {
                format!("check::updated_model({call}, &wanted)?;")
            }
            _ => format!("check::succeeded({call})?;"),
        };
        let _ = writeln!(
            out,
            "run.step(G, \"update\", async {{ let etag = etag.as_deref().ok_or(\"no ETag from get to update with\")?; \
             let wanted = wanted({})?; {answer} check::got_updated({get}, &wanted) }}).await;",
            raw(&body)
        );
    }
    if plan.delete.is_some() {
        let _ = writeln!(
            out,
            "run.step(G, \"delete\", async {{ {} }}).await;",
            delete_call(plan, &values)?
        );
    }
    out.push_str("}\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_match_by_path_shape_whatever_the_placeholder_names() {
        assert_eq!(
            normalized("/apis/{apiId}/diagnostics"),
            "/apis/{}/diagnostics"
        );
        assert_eq!(
            normalized("/Workspaces/{workspaceId}/APIs/{id}"),
            normalized("/workspaces/{w}/apis/{apiId}")
        );
    }

    #[test]
    fn urls_in_bodies_keep_their_own_braces() {
        // `{id}` in a URL template names no group: it stays as it is.
        let by_name = BTreeMap::new();
        assert_eq!(fill("/things/{id}", &by_name), "/things/{id}");
        assert_eq!(
            fill("{service_id}/loggers", &by_name),
            format!("{SERVICE_ID}/loggers")
        );
    }
}
