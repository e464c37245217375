//! The 2024-05-01 API's operations, as the checked-in description
//! (`codegen/description/apim-2024-05-01.json`) gives them: method, path template, the
//! first answer's success codes, whether a body is sent, and whether the operation is
//! long-running. The emulator reads its per-operation behaviour here instead of keeping
//! its own lists.
//!
//! The table (`description/operations.rs`) is generated and checked in rather than parsed
//! from the 4 MB JSON at run time: the crate stays self-contained, a request never waits on
//! (or fails with) a parse, and a change to the description shows up as a readable diff.
//! A test regenerates the table from the JSON and fails if the checked-in one differs.

mod operations;
#[cfg(test)]
mod regenerate;

use std::sync::OnceLock;

use crate::path::ArmPath;
use crate::query::Query;
pub(crate) use crate::validate::Pattern;

/// Whether an operation sends a request body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Body {
    /// No body parameter at all (link PUTs such as `ProductApi_CreateOrUpdate`).
    Absent,
    Optional,
    Required,
}

/// One operation of the description.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Operation {
    /// e.g. `Api_CreateOrUpdate`, for messages and tests.
    pub operation_id: &'static str,
    /// `GET`, `HEAD`, `PUT`, `PATCH`, `DELETE` or `POST`.
    pub method: &'static str,
    /// e.g. `/subscriptions/{subscriptionId}/.../service/{serviceName}/apis/{apiId}`.
    pub path: &'static str,
    /// The codes the first answer may have, e.g. `[200, 201]`.
    pub success_codes: &'static [u16],
    pub body: Body,
    /// Query parameters the operation requires: they tell apart the two operations that
    /// share a template (`ApiExport_Get` needs `format` and `export`, `Api_Get` nothing).
    pub required_query: &'static [&'static str],
    /// Headers the operation requires: `If-Match` on most updates and deletes.
    pub required_headers: &'static [&'static str],
    /// `x-ms-long-running-operation`: the SDK's `begin_*` methods.
    pub long_running: bool,
    /// The constraints of the path's names by placeholder (`apiId`: 1-256, no `*#&+:<>?`),
    /// but for the resource group and service, which ARM itself checks.
    pub names: &'static [(&'static str, usize, usize, Pattern)],
}

impl Operation {
    pub(crate) fn answers(&self, code: u16) -> bool {
        self.success_codes.contains(&code)
    }
}

#[allow(
    clippy::too_many_arguments,
    reason = "one positional row per operation keeps the generated table readable"
)]
const fn op(
    operation_id: &'static str,
    method: &'static str,
    path: &'static str,
    success_codes: &'static [u16],
    body: Body,
    required_query: &'static [&'static str],
    required_headers: &'static [&'static str],
    long_running: bool,
    names: &'static [(&'static str, usize, usize, Pattern)],
) -> Operation {
    Operation {
        operation_id,
        method,
        path,
        success_codes,
        body,
        required_query,
        required_headers,
        long_running,
        names,
    }
}

/// The operation a request of `method` on `path` with `query` is, if the description has
/// one. Literal segments match case-insensitively. Templates of one method overlap only
/// where required query parameters tell them apart (a test checks it); then the operation
/// whose parameters are all present and most numerous wins.
#[cfg(test)]
pub(crate) fn find(method: &str, path: &ArmPath, query: &Query) -> Option<&'static Operation> {
    let segments = request_segments(path);
    operations::OPERATIONS
        .iter()
        .filter(|operation| operation.method == method && matches(operation.path, &segments))
        .filter(|operation| {
            operation
                .required_query
                .iter()
                .all(|name| query.get(name).is_some())
        })
        .max_by_key(|operation| operation.required_query.len())
}

/// Like [`find`], but a request that fits a template whose required query parameters were
/// only partly sent (`ApiExport_Get` with `export` and no `format`), or that fits only
/// templates whose required parameters are missing (`Reports_ListByApi` without
/// `$filter`), is an error naming the missing parameters.
pub(crate) fn resolve(
    method: &str,
    path: &ArmPath,
    query: &Query,
) -> Result<Option<&'static Operation>, Vec<&'static str>> {
    let segments = request_segments(path);
    let candidates: Vec<&'static Operation> = operations::OPERATIONS
        .iter()
        .filter(|operation| operation.method == method && matches(operation.path, &segments))
        .collect();
    let missing = |operation: &Operation| -> Vec<&'static str> {
        operation
            .required_query
            .iter()
            .copied()
            .filter(|name| query.get(name).is_none())
            .collect()
    };
    for operation in &candidates {
        let absent = missing(operation);
        if !absent.is_empty() && absent.len() < operation.required_query.len() {
            return Err(absent);
        }
    }
    let found = candidates
        .iter()
        .copied()
        .filter(|operation| missing(operation).is_empty())
        .max_by_key(|operation| operation.required_query.len());
    match (found, candidates.first()) {
        (None, Some(operation)) => Err(missing(operation)),
        (found, _) => Ok(found),
    }
}

/// Whether some PUT of the description creates the resource `path` names.
pub(crate) fn creatable(path: &ArmPath) -> bool {
    let segments = request_segments(path);
    operations::OPERATIONS
        .iter()
        .any(|operation| operation.method == "PUT" && matches(operation.path, &segments))
}

/// `ApiManagementOperations_List`: the provider's operations, one per resource type and
/// verb of the description (`Microsoft.ApiManagement/service/apis/read`, `.../write`,
/// `.../delete`, `.../backends/reconnect/action`), as ARM lists a provider's operations.
pub(crate) fn provider_operations() -> Vec<serde_json::Value> {
    let mut names: Vec<(String, String, &'static str)> = Vec::new();
    for operation in operations::OPERATIONS {
        let Some((_, after)) = operation
            .path
            .split_once("/providers/Microsoft.ApiManagement/")
        else {
            continue;
        };
        let segments: Vec<&str> = after.split('/').collect();
        let mut types: Vec<&str> = segments.iter().step_by(2).copied().collect();
        let verb = match operation.method {
            "GET" | "HEAD" => "read",
            "PUT" | "PATCH" => "write",
            "DELETE" => "delete",
            _ => "action",
        };
        if verb == "action" && segments.len().is_multiple_of(2) {
            // `tenant/{access}/git/regeneratePrimaryKey`: the action is the last segment.
            types.push(segments[segments.len() - 1]);
        }
        let resource = types
            .iter()
            .take(if verb == "action" {
                types.len() - 1
            } else {
                types.len()
            })
            .copied()
            .collect::<Vec<_>>()
            .join("/");
        let name = match verb {
            "action" => format!("Microsoft.ApiManagement/{}/action", types.join("/")),
            _ => format!("Microsoft.ApiManagement/{resource}/{verb}"),
        };
        if !names.iter().any(|(known, ..)| *known == name) {
            names.push((name, resource, operation.operation_id));
        }
    }
    names
        .into_iter()
        .map(|(name, resource, operation_id)| {
            serde_json::json!({
                "name": name,
                "display": {
                    "provider": "Microsoft API Management",
                    "resource": resource,
                    "operation": operation_id.replace('_', " "),
                    "description": format!("{operation_id} on {resource}."),
                },
                "origin": "user",
            })
        })
        .collect()
}

/// The type or action right after `providers/Microsoft.ApiManagement/` in some operation
/// of the description, at the resource-group level or (`in_group` false) the subscription
/// level, spelled as the description spells it: `service`, `gateways`, `deletedservices`,
/// `locations`, `checkNameAvailability`, ...
pub(crate) fn top_level_type(in_group: bool, kind: &str) -> Option<&'static str> {
    static TYPES: OnceLock<Vec<(bool, &'static str)>> = OnceLock::new();
    TYPES
        .get_or_init(top_level_types)
        .iter()
        .find(|(group, first)| *group == in_group && first.eq_ignore_ascii_case(kind))
        .map(|(_, first)| *first)
}

/// Every `(in a resource group, first type)` of the description's paths.
fn top_level_types() -> Vec<(bool, &'static str)> {
    let mut types: Vec<(bool, &'static str)> = operations::OPERATIONS
        .iter()
        .filter_map(|operation| {
            let mut segments = operation.path.trim_start_matches('/').split('/');
            if segments.next() != Some("subscriptions") {
                return None;
            }
            let mut segments = segments.skip(1);
            let next = segments.next()?;
            let has_group = next == "resourceGroups";
            if has_group {
                segments.nth(1)?;
            }
            segments.next()?;
            let first = segments.next()?;
            Some((has_group, first))
        })
        .collect();
    types.sort_unstable();
    types.dedup();
    types
}

/// The path as segments, with the provider prefix spelled as in the templates.
pub(crate) fn request_segments(path: &ArmPath) -> Vec<&str> {
    let mut segments = vec!["subscriptions", path.subscription.as_str()];
    if let Some(group) = &path.resource_group {
        segments.extend(["resourceGroups", group.as_str()]);
    }
    segments.extend(["providers", "Microsoft.ApiManagement"]);
    for (kind, name) in &path.pairs {
        segments.push(kind);
        segments.push(name);
    }
    if let Some(tail) = &path.tail {
        segments.push(tail);
    }
    segments
}

/// Whether `segments` fit `template`: each `{placeholder}` takes any segment, each literal
/// must be equal ignoring ASCII case.
fn matches(template: &str, segments: &[&str]) -> bool {
    let template = template.trim_start_matches('/').split('/');
    template.clone().count() == segments.len()
        && template.zip(segments).all(|(expected, actual)| {
            expected.starts_with('{') || expected.eq_ignore_ascii_case(actual)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVICE: &str =
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/svc";

    fn operation(method: &str, suffix: &str) -> Option<&'static str> {
        operation_with_query(method, suffix, "")
    }

    fn operation_with_query(method: &str, suffix: &str, query: &str) -> Option<&'static str> {
        let path = ArmPath::parse(&format!("{SERVICE}{suffix}")).unwrap();
        find(method, &path, &Query::parse(Some(query))).map(|operation| operation.operation_id)
    }

    #[test]
    fn finds_operations_case_insensitively() {
        assert_eq!(operation("PUT", "/APIS/a"), Some("Api_CreateOrUpdate"));
        assert_eq!(operation("GET", "/apis"), Some("Api_ListByService"));
        assert_eq!(operation("GET", ""), Some("ApiManagementService_Get"));
        assert_eq!(
            operation("POST", "/namedValues/n/REFRESHSECRET"),
            Some("NamedValue_RefreshSecret")
        );
        assert_eq!(
            operation("PUT", "/workspaces/w/apis/a"),
            Some("WorkspaceApi_CreateOrUpdate")
        );
    }

    #[test]
    fn literals_are_not_placeholders() {
        assert_eq!(
            operation("GET", "/portalsettings/delegation"),
            Some("DelegationSettings_Get")
        );
        assert_eq!(operation("GET", "/portalsettings/elsewhere"), None);
    }

    #[test]
    fn required_query_parameters_pick_the_operation() {
        assert_eq!(operation("GET", "/apis/a"), Some("Api_Get"));
        assert_eq!(
            operation_with_query("GET", "/apis/a", "format=openapi-link&export=true"),
            Some("ApiExport_Get")
        );
        assert_eq!(
            operation_with_query("GET", "/apis/a", "export=true"),
            Some("Api_Get")
        );
    }

    #[test]
    fn templates_overlap_only_where_required_query_tells_them_apart() {
        let segments = |operation: &Operation| -> Vec<&str> {
            operation.path.trim_start_matches('/').split('/').collect()
        };
        let all = operations::OPERATIONS;
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                let (x, y) = (segments(a), segments(b));
                let overlap = a.method == b.method
                    && x.len() == y.len()
                    && x.iter().zip(&y).all(|(p, q)| {
                        p.starts_with('{') || q.starts_with('{') || p.eq_ignore_ascii_case(q)
                    });
                assert!(
                    !overlap || a.required_query != b.required_query,
                    "{} and {} overlap",
                    a.operation_id,
                    b.operation_id
                );
            }
        }
    }

    #[test]
    fn unknown_requests_have_no_operation() {
        assert_eq!(operation("POST", "/apis/a/reconnect"), None);
        assert_eq!(operation("PUT", "/widgets/w"), None);
        assert_eq!(operation("PATCH", "/apis"), None);
    }

    #[test]
    fn the_table_holds_the_whole_description() {
        let all = operations::OPERATIONS;
        assert_eq!(all.len(), 613);
        assert_eq!(all.iter().filter(|o| o.long_running).count(), 38);
        let bodyless_puts = all
            .iter()
            .filter(|o| o.method == "PUT" && o.body == Body::Absent)
            .count();
        assert_eq!(bodyless_puts, 13);
    }
}
