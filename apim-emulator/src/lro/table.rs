//! Which operations are long-running. The one place to extend: each row is an operation the
//! REST description marks `x-ms-long-running-operation` (the SDK's `begin_*` methods), all
//! with `final-state-via: location`.

use crate::path::ArmPath;

/// One long-running operation of the 2024-05-01 API.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct LongRunning {
    /// The REST description's `operationId`, for messages and tests.
    pub operation_id: &'static str,
    /// `PUT`, `PATCH`, `DELETE` or `POST`.
    pub method: &'static str,
    /// The resource types under `service/{serviceName}`, e.g. `["apis"]`; empty for the
    /// service itself.
    pub types: &'static [&'static str],
    /// The action after the resource, for `POST`s such as `backup`.
    pub action: Option<&'static str>,
}

const fn row(
    operation_id: &'static str,
    method: &'static str,
    types: &'static [&'static str],
    action: Option<&'static str>,
) -> LongRunning {
    LongRunning {
        operation_id,
        method,
        types,
        action,
    }
}

/// Every long-running operation the emulator runs as one. Types and actions match
/// case-insensitively, like every ARM path segment.
pub(crate) const LONG_RUNNING: &[LongRunning] = &[
    row("Api_CreateOrUpdate", "PUT", &["apis"], None),
    row("Api_Delete", "DELETE", &["apis"], None),
    row("NamedValue_CreateOrUpdate", "PUT", &["namedValues"], None),
    row("NamedValue_Update", "PATCH", &["namedValues"], None),
    row(
        "NamedValue_RefreshSecret",
        "POST",
        &["namedValues"],
        Some("refreshSecret"),
    ),
    row("ApiManagementService_Backup", "POST", &[], Some("backup")),
];

/// The row for a request of `method` on `path`, if that operation is long-running.
pub(crate) fn find(method: &str, path: &ArmPath) -> Option<&'static LongRunning> {
    // `pairs[0]` is always the service.
    let types = path.pairs.get(1..)?;
    LONG_RUNNING.iter().find(|row| {
        row.method == method
            && row.types.len() == types.len()
            && row
                .types
                .iter()
                .zip(types)
                .all(|(expected, (kind, _))| kind.eq_ignore_ascii_case(expected))
            && match (row.action, path.tail.as_deref()) {
                (None, None) => true,
                (Some(expected), Some(action)) => action.eq_ignore_ascii_case(expected),
                _ => false,
            }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVICE: &str =
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/svc";

    fn operation(method: &str, suffix: &str) -> Option<&'static str> {
        let path = ArmPath::parse(&format!("{SERVICE}{suffix}")).unwrap();
        find(method, &path).map(|row| row.operation_id)
    }

    #[test]
    fn finds_each_row_case_insensitively() {
        assert_eq!(operation("PUT", "/apis/a"), Some("Api_CreateOrUpdate"));
        assert_eq!(operation("DELETE", "/APIS/a"), Some("Api_Delete"));
        assert_eq!(
            operation("PUT", "/namedvalues/n"),
            Some("NamedValue_CreateOrUpdate")
        );
        assert_eq!(
            operation("PATCH", "/namedValues/n"),
            Some("NamedValue_Update")
        );
        assert_eq!(
            operation("POST", "/namedValues/n/REFRESHSECRET"),
            Some("NamedValue_RefreshSecret")
        );
        assert_eq!(
            operation("POST", "/backup"),
            Some("ApiManagementService_Backup")
        );
    }

    #[test]
    fn other_operations_are_not_long_running() {
        for (method, suffix) in [
            ("GET", "/apis/a"),
            ("PATCH", "/apis/a"),
            ("PUT", "/backends/b"),
            ("DELETE", "/namedValues/n"),
            ("POST", "/namedValues/n/listValue"),
            ("POST", "/apis/a/refreshSecret"),
            ("PUT", "/apis/a/operations/o"),
            ("GET", "/apis"),
            ("POST", "/restore"),
            ("PUT", ""),
        ] {
            assert_eq!(operation(method, suffix), None, "{method} {suffix}");
        }
    }
}
