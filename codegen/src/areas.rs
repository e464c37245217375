//! The cargo features of apim-client: every operation group in one area, written once
//! here. The generator gates each group, and each model by the groups that reach it, and
//! writes the `[features]` of `apim-client/Cargo.toml` from this table.
//!
//! Workspace-scoped groups (`workspace_<group>`) are not listed: each belongs to the
//! area of `<group>` *and* needs `workspaces` (`workspace_api` is compiled with
//! `apis` and `workspaces` both on). `workspaces` alone brings the `Workspace` group and
//! the workspace links.

use std::collections::{BTreeMap, BTreeSet};

use std::fmt::Write;

use crate::model::Group;
use crate::models_plan::Plan;

pub(crate) struct AreaDef {
    /// The feature's name, kebab-case.
    pub(crate) name: &'static str,
    /// What it covers, for the README's table.
    pub(crate) summary: &'static str,
    /// The groups' modules (the SDK's client attribute; the mixin's class in snake case).
    pub(crate) groups: &'static [&'static str],
}

/// The feature that the workspace-scoped groups need besides their own area.
pub(crate) const WORKSPACES: &str = "workspaces";

/// The features on by default: the backend family, whose reconnect is the main job (DESIGN.md §4).
pub(crate) const DEFAULT: &[&str] = &["backends"];

pub(crate) const AREAS: &[AreaDef] = &[
    AreaDef {
        name: "service",
        summary: "the service itself: create, update, backup and restore, SKUs, deleted \
                  services, regions, caches, the status of long-running operations",
        groups: &[
            "api_management_operations",
            "api_management_service",
            "api_management_service_skus",
            "api_management_skus",
            "cache",
            "deleted_services",
            "operation_status",
            "operations_results",
            "region",
        ],
    },
    AreaDef {
        name: "networking",
        summary: "connectivity checks, network status, outbound network dependencies, \
                  private endpoint connections",
        groups: &[
            "api_management_client",
            "network_status",
            "outbound_network_dependencies_endpoints",
            "private_endpoint_connection",
        ],
    },
    AreaDef {
        name: "apis",
        summary: "APIs and their operations, policies, schemas, revisions, releases, version \
                  sets, products, exports",
        groups: &[
            "api",
            "api_export",
            "api_operation",
            "api_operation_policy",
            "api_policy",
            "api_product",
            "api_release",
            "api_revision",
            "api_schema",
            "api_version_set",
        ],
    },
    AreaDef {
        name: "graphql",
        summary: "GraphQL resolvers of APIs and their policies",
        groups: &["graph_ql_api_resolver", "graph_ql_api_resolver_policy"],
    },
    AreaDef {
        name: "products",
        summary: "products, their APIs, groups, policies and subscriptions",
        groups: &[
            "product",
            "product_api",
            "product_api_link",
            "product_group",
            "product_group_link",
            "product_policy",
            "product_subscriptions",
        ],
    },
    AreaDef {
        name: "subscriptions",
        summary: "subscriptions and their keys",
        groups: &["subscription"],
    },
    AreaDef {
        name: "users",
        summary: "users, groups and their members, identities, confirmation mails",
        groups: &[
            "group",
            "group_user",
            "user",
            "user_confirmation_password",
            "user_group",
            "user_identities",
            "user_subscription",
        ],
    },
    AreaDef {
        name: "backends",
        summary: "backends (the hand-written models of DESIGN.md §4)",
        groups: &["backend"],
    },
    AreaDef {
        name: "gateways",
        summary: "self-hosted gateways (hostnames, certificate authorities, APIs, keys) and \
                  API Management gateways with their config connections and SKUs",
        groups: &[
            "api_gateway",
            "api_gateway_config_connection",
            "api_management_gateway_skus",
            "gateway",
            "gateway_api",
            "gateway_certificate_authority",
            "gateway_hostname_configuration",
        ],
    },
    AreaDef {
        name: "portal",
        summary: "the developer portal: content, configuration, revisions, settings, sign-in \
                  and sign-up, delegation, documentation, email templates, notifications, \
                  API issues, API and product wikis",
        groups: &[
            "api_issue",
            "api_issue_attachment",
            "api_issue_comment",
            "api_wiki",
            "api_wikis",
            "content_item",
            "content_type",
            "delegation_settings",
            "documentation",
            "email_template",
            "issue",
            "notification",
            "notification_recipient_email",
            "notification_recipient_user",
            "portal_config",
            "portal_revision",
            "portal_settings",
            "product_wiki",
            "product_wikis",
            "sign_in_settings",
            "sign_up_settings",
        ],
    },
    AreaDef {
        name: "identity",
        summary: "authorization servers, identity providers, OpenID Connect providers, \
                  credential manager (authorization providers, authorizations, access \
                  policies, login links)",
        groups: &[
            "authorization",
            "authorization_access_policy",
            "authorization_login_links",
            "authorization_provider",
            "authorization_server",
            "identity_provider",
            "open_id_connect_provider",
        ],
    },
    AreaDef {
        name: "observability",
        summary: "loggers, diagnostics (the service's and the APIs'), reports",
        groups: &["api_diagnostic", "diagnostic", "logger", "reports"],
    },
    AreaDef {
        name: "named-values",
        summary: "named values and certificates",
        groups: &["certificate", "named_value"],
    },
    AreaDef {
        name: "tags",
        summary: "tags, their links to APIs, operations and products, API tag descriptions, \
                  and what is tagged",
        groups: &[
            "api_tag_description",
            "operation",
            "tag",
            "tag_api_link",
            "tag_operation_link",
            "tag_product_link",
            "tag_resource",
        ],
    },
    AreaDef {
        name: "policies",
        summary: "global policies, policy fragments, restrictions, descriptions, global \
                  schemas, quota counters",
        groups: &[
            "all_policies",
            "global_schema",
            "policy",
            "policy_description",
            "policy_fragment",
            "policy_restriction",
            "policy_restriction_validations",
            "quota_by_counter_keys",
            "quota_by_period_keys",
        ],
    },
    AreaDef {
        name: "tenant",
        summary: "tenant access (keys, Git), configuration (deploy, save, validate), settings",
        groups: &[
            "tenant_access",
            "tenant_access_git",
            "tenant_configuration",
            "tenant_settings",
        ],
    },
    AreaDef {
        name: WORKSPACES,
        summary: "workspaces and workspace links; with another area, that area's \
                  workspace-scoped groups",
        groups: &[
            "api_management_workspace_link",
            "api_management_workspace_links",
            "workspace",
        ],
    },
];

/// When a group (or a model) is compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Gate {
    /// `feature = "apis"`.
    Area(&'static str),
    /// `all(feature = "workspaces", feature = "apis")`: a workspace-scoped group.
    InWorkspace(&'static str),
}

impl Gate {
    /// The area whose file holds what this gate compiles.
    pub(crate) fn area(self) -> &'static str {
        match self {
            Gate::Area(area) | Gate::InWorkspace(area) => area,
        }
    }

    pub(crate) fn predicate(self) -> String {
        match self {
            Gate::Area(area) => format!("feature = \"{area}\""),
            Gate::InWorkspace(area) => {
                format!("all(feature = \"{WORKSPACES}\", feature = \"{area}\")")
            }
        }
    }

    /// "the `apis` feature", "the `workspaces` and `apis` features".
    pub(crate) fn features_text(self) -> String {
        match self {
            Gate::Area(area) => format!("the `{area}` feature"),
            Gate::InWorkspace(area) => format!("the `{WORKSPACES}` and `{area}` features"),
        }
    }
}

/// The gate of a group, by its module name.
pub(crate) fn gate(module: &str) -> Result<Gate, String> {
    if let Some(area) = area_of(module) {
        return Ok(Gate::Area(area));
    }
    if let Some(base) = module.strip_prefix("workspace_")
        && let Some(area) = area_of(base)
    {
        return Ok(Gate::InWorkspace(area));
    }
    Err(format!(
        "group `{module}` is in no area: add it to codegen/src/areas.rs"
    ))
}

fn area_of(module: &str) -> Option<&'static str> {
    AREAS
        .iter()
        .find(|area| area.groups.contains(&module))
        .map(|area| area.name)
}

/// The gates under which something is needed, reduced: `all(workspaces, apis)` goes when
/// `apis` or `workspaces` is there anyway; `None` when every area needs it (always
/// compiled, like the core).
pub(crate) fn reduce(gates: &BTreeSet<Gate>) -> Option<BTreeSet<Gate>> {
    let areas: BTreeSet<&str> = gates
        .iter()
        .filter_map(|gate| match gate {
            Gate::Area(area) => Some(*area),
            Gate::InWorkspace(_) => None,
        })
        .collect();
    if AREAS.iter().all(|area| areas.contains(area.name)) {
        return None;
    }
    Some(
        gates
            .iter()
            .copied()
            .filter(|gate| match gate {
                Gate::Area(_) => true,
                Gate::InWorkspace(area) => !areas.contains(area) && !areas.contains(WORKSPACES),
            })
            .collect(),
    )
}

/// `feature = "apis"` or `any(feature = "apis", ...)`.
pub(crate) fn predicate(gates: &BTreeSet<Gate>) -> String {
    let predicates: Vec<String> = gates.iter().map(|gate| gate.predicate()).collect();
    match predicates.as_slice() {
        [one] => one.clone(),
        _ => format!("any({})", predicates.join(", ")),
    }
}

/// `#[cfg(..)]` and its docs.rs twin, one per line.
pub(crate) fn attributes(gates: &BTreeSet<Gate>) -> String {
    let predicate = predicate(gates);
    format!("#[cfg({predicate})]\n#[cfg_attr(docsrs, doc(cfg({predicate})))]\n")
}

/// The file name of an area: `named-values` -> `named_values`.
pub(crate) fn module(area: &str) -> String {
    area.replace('-', "_")
}

/// The `[features]` table of apim-client, between the markers in its Cargo.toml.
pub(crate) fn cargo_features() -> String {
    let mut out = String::new();
    let quoted = |names: &mut dyn Iterator<Item = &str>| {
        names
            .map(|name| format!("\"{name}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    out.push_str(&format!(
        "default = [{}]\n",
        quoted(&mut DEFAULT.iter().copied())
    ));
    out.push_str(&format!(
        "full = [{}]\n",
        quoted(&mut AREAS.iter().map(|area| area.name))
    ));
    for area in AREAS {
        out.push_str(&format!("{} = []\n", area.name));
    }
    out
}

pub(crate) const FEATURES_BEGIN: &str =
    "# Written by apim-codegen from codegen/src/areas.rs: edit the table there.\n";
pub(crate) const FEATURES_END: &str = "# End of the generated features.\n";

/// Every group's gate, checked: every listed group exists, none is listed twice.
pub(crate) fn gates(modules: &[String]) -> Result<BTreeMap<String, Gate>, String> {
    let mut seen = BTreeSet::new();
    for area in AREAS {
        for group in area.groups {
            if !seen.insert(*group) {
                return Err(format!("group `{group}` is in two areas"));
            }
            if !modules.iter().any(|module| module == group) {
                return Err(format!("areas.rs lists `{group}`, which is no group"));
            }
        }
    }
    modules
        .iter()
        .map(|module| Ok((module.clone(), gate(module)?)))
        .collect()
}

/// Files the plan's models by the groups that reach them (`uses`: the models each group's
/// declarations name, by group module), through fields, lists and maps: a model only one
/// area reaches goes to that area's file, gated like it; one several areas reach to
/// `shared.rs`, gated by all of them; one no group reaches is not generated.
pub(crate) fn file_models(
    plan: &mut Plan,
    uses: &BTreeMap<String, BTreeSet<String>>,
    gates: &BTreeMap<String, Gate>,
) {
    let mut reached: BTreeMap<String, BTreeSet<Gate>> = BTreeMap::new();
    for (module, names) in uses {
        let gate = gates[module];
        let mut stack: Vec<String> = names.iter().cloned().collect();
        while let Some(name) = stack.pop() {
            if !reached.entry(name.clone()).or_default().insert(gate) {
                continue;
            }
            if let Some(planned) = plan.structs.get(&name) {
                let mut names = BTreeSet::new();
                for field in &planned.fields {
                    field.ty.names(&mut names);
                }
                stack.extend(names);
            }
        }
    }
    let old = std::mem::take(&mut plan.areas);
    for contents in old.into_values() {
        let items = contents
            .enums
            .into_iter()
            .map(|name| (name, true))
            .chain(contents.structs.into_iter().map(|name| (name, false)));
        for (name, is_enum) in items {
            let Some(gates) = reached.get(&name) else {
                // Public, it would only be picked by mistake for the model an operation
                // takes (`ApiCreateOrUpdateProperties` beside the real one).
                plan.structs.remove(&name);
                plan.enums.remove(&name);
                plan.skipped
                    .push((name, "no operation reaches it".to_owned()));
                continue;
            };
            let cfg = reduce(gates);
            let areas: BTreeSet<&str> = cfg.iter().flatten().map(|gate| gate.area()).collect();
            let file = match areas.iter().collect::<Vec<_>>().as_slice() {
                [area] => module(area),
                _ => SHARED.to_owned(),
            };
            let area = plan.areas.entry(file).or_default();
            if is_enum {
                area.enums.push(name.clone());
            } else {
                area.structs.push(name.clone());
            }
            if let Some(cfg) = cfg {
                plan.cfg.insert(name, cfg);
            }
        }
    }
}

pub(crate) const README_BEGIN: &str =
    "<!-- features: written by apim-codegen from codegen/src/areas.rs -->\n";
pub(crate) const README_END: &str = "<!-- end of features -->\n";

/// The README's table: per feature, what it covers, its groups and operations, and the
/// workspace-scoped ones it brings with `workspaces`.
pub(crate) fn readme_table(groups: &[Group], gates: &BTreeMap<String, Gate>) -> String {
    let mut out = String::from(
        "| feature | covers | groups | operations | with `workspaces` too |\n\
         |---|---|---:|---:|---|\n",
    );
    let count = |wanted: Gate| {
        let matching = groups
            .iter()
            .filter(|group| gates[&crate::write_apis::module_name(group)] == wanted);
        matching.fold((0, 0), |(g, o), group| (g + 1, o + group.operations.len()))
    };
    let mut totals = (0, 0);
    for area in AREAS {
        let (own_groups, own_operations) = count(Gate::Area(area.name));
        let (ws_groups, ws_operations) = count(Gate::InWorkspace(area.name));
        totals = (
            totals.0 + own_groups + ws_groups,
            totals.1 + own_operations + ws_operations,
        );
        let workspace = if ws_groups == 0 {
            String::new()
        } else {
            let plural = if ws_groups == 1 { "" } else { "s" };
            format!("+{ws_groups} group{plural}, +{ws_operations} operations")
        };
        let default = if DEFAULT.contains(&area.name) {
            " (default)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "| `{}`{default} | {} | {own_groups} | {own_operations} | {workspace} |",
            area.name, area.summary
        );
    }
    let _ = writeln!(
        out,
        "| `full` | every feature above | **{}** | **{}** | |",
        totals.0, totals.1
    );
    out
}

/// `text` with what lies between `begin` and `end` replaced by `block`.
pub(crate) fn replace_block(
    text: &str,
    begin: &str,
    end: &str,
    block: &str,
    file: &str,
) -> Result<String, String> {
    let start = text
        .find(begin)
        .ok_or_else(|| format!("{file}: no marker {begin:?}"))?
        + begin.len();
    let stop = text[start..]
        .find(end)
        .ok_or_else(|| format!("{file}: no marker {end:?}"))?
        + start;
    Ok(format!("{}{block}{}", &text[..start], &text[stop..]))
}

/// The file of models several areas use.
pub(crate) const SHARED: &str = "shared";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_groups_need_workspaces_and_their_area() {
        assert_eq!(gate("api").unwrap(), Gate::Area("apis"));
        assert_eq!(gate("workspace_api").unwrap(), Gate::InWorkspace("apis"));
        assert_eq!(gate("workspace").unwrap(), Gate::Area(WORKSPACES));
        assert!(gate("nothing").is_err());
    }

    #[test]
    fn features_are_kebab_case_once_each_and_default_is_one_of_them() {
        let mut names = BTreeSet::new();
        for area in AREAS {
            assert!(names.insert(area.name), "{} twice", area.name);
            assert!(
                area.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                area.name
            );
        }
        assert!(DEFAULT.iter().all(|name| names.contains(name)));
        let features = cargo_features();
        assert!(features.starts_with("default = [\"backends\"]\nfull = [\"service\", "));
        assert_eq!(features.lines().count(), AREAS.len() + 2);
    }

    #[test]
    fn reduction() {
        let set = |gates: &[Gate]| gates.iter().copied().collect::<BTreeSet<_>>();
        let reduced = reduce(&set(&[Gate::Area("apis"), Gate::InWorkspace("apis")]));
        assert_eq!(reduced, Some(set(&[Gate::Area("apis")])));
        let reduced = reduce(&set(&[Gate::Area(WORKSPACES), Gate::InWorkspace("tags")]));
        assert_eq!(reduced, Some(set(&[Gate::Area(WORKSPACES)])));
        let every: Vec<Gate> = AREAS.iter().map(|area| Gate::Area(area.name)).collect();
        assert_eq!(reduce(&set(&every)), None);
    }
}
