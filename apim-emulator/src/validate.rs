//! Name constraints from the REST description, checked the way the service checks them:
//! a 400 `ValidationError` whose `target` names the parameter.

use crate::description::{self, Operation};
use crate::error::ArmError;
use crate::path::ArmPath;

/// Checks every name in `path`: resource group, service (or top-level gateway), then each
/// nested resource id.
pub(crate) fn names(path: &ArmPath) -> Result<(), ArmError> {
    if let Some(group) = &path.resource_group {
        resource_group(group)?;
    }
    let mut pairs = path.pairs.iter();
    if let Some((kind, name)) = pairs.next() {
        match kind.as_str() {
            "service" => service_name("serviceName", name)?,
            "gateways" => service_name("gatewayName", name)?,
            _ => resource_id(kind, name)?,
        }
    }
    for (kind, name) in pairs {
        match kind.as_str() {
            // `locations/{location}/deletedservices/{serviceName}`
            "deletedservices" => service_name("serviceName", name)?,
            _ => resource_id(kind, name)?,
        }
    }
    Ok(())
}

/// Checks each of `path`'s names against the rule the description documents for its
/// placeholder in `operation`'s template (after [`names`], which covers the resource
/// group and the service) (e.g. `{apiId}`: 1-256 characters, no `*#&+:<>?`
/// where documented so), by `apim_wire::rules`, the table the client checks with. Where a
/// placeholder has two documented constraint sets (`apiId`, `operationId`, `location`), the
/// looser one applies, as in the client.
pub(crate) fn against(operation: &Operation, path: &ArmPath) -> Result<(), ArmError> {
    let template = operation.path.split('/').filter(|s| !s.is_empty());
    for (segment, value) in template.zip(description::request_segments(path)) {
        let Some(placeholder) = segment
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
        else {
            continue;
        };
        // ARM's own names: [`names`] has checked the resource group and service already,
        // and the description leaves the subscription to ARM.
        if matches!(
            placeholder,
            "subscriptionId" | "resourceGroupName" | "serviceName"
        ) {
            continue;
        }
        let rule = apim_wire::rules::for_placeholder(&snake_case(placeholder));
        if let Err(reason) = rule.check(value) {
            return Err(ArmError::validation(
                placeholder,
                format!(
                    "The value '{}' of '{placeholder}' is not valid: {reason}.",
                    value.escape_debug()
                ),
            ));
        }
    }
    Ok(())
}

/// `configConnectionName` -> `config_connection_name`: the description's Python names.
fn snake_case(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// 1-90 characters of `^[-\w\._\(\)]+$`, not ending in `.`.
fn resource_group(name: &str) -> Result<(), ArmError> {
    let target = "resourceGroupName";
    length(target, name, 90)?;
    let allowed = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '(' | ')');
    if !name.chars().all(allowed) {
        return Err(ArmError::validation(
            target,
            format!(
                "The resource group name '{name}' may contain only letters, digits, '-', '_', '.', '(' and ')'."
            ),
        ));
    }
    if name.ends_with('.') {
        return Err(ArmError::validation(
            target,
            format!("The resource group name '{name}' must not end with '.'."),
        ));
    }
    Ok(())
}

/// 1-50 characters of `^[a-zA-Z](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$`.
fn service_name(target: &str, name: &str) -> Result<(), ArmError> {
    length(target, name, 50)?;
    let starts_with_letter = name.starts_with(|c: char| c.is_ascii_alphabetic());
    let ends_with_alphanumeric = name.ends_with(|c: char| c.is_ascii_alphanumeric());
    let body_ok = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !(starts_with_letter && ends_with_alphanumeric && body_ok) {
        return Err(ArmError::validation(
            target,
            format!(
                "The {target} '{name}' must match ^[a-zA-Z](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$: \
                 start with a letter, end with a letter or digit, and hold only letters, digits and '-'."
            ),
        ));
    }
    Ok(())
}

/// [`service_name`] for a name that is not in a path (`checkNameAvailability`'s).
pub(crate) fn service_name_rule(name: &str) -> Result<(), ArmError> {
    service_name("name", name)
}

/// Backend ids are 1-80 characters, other resource ids 1-256; `.` and `..` are never names.
fn resource_id(kind: &str, name: &str) -> Result<(), ArmError> {
    let target = parameter_name(kind);
    let max = if kind.eq_ignore_ascii_case("backends") {
        80
    } else {
        256
    };
    length(&target, name, max)?;
    if name == "." || name == ".." || name.chars().any(char::is_control) {
        return Err(ArmError::validation(
            &target,
            format!("'{}' is not a valid {target}.", name.escape_debug()),
        ));
    }
    Ok(())
}

fn length(target: &str, name: &str, max: usize) -> Result<(), ArmError> {
    let len = name.chars().count();
    if (1..=max).contains(&len) {
        Ok(())
    } else {
        Err(ArmError::validation(
            target,
            format!("The length of {target} is {len}; it must be between 1 and {max} characters."),
        ))
    }
}

/// The parameter that names a resource of this type, e.g. `backends` -> `backendId`.
fn parameter_name(kind: &str) -> String {
    let singular = if let Some(stem) = kind.strip_suffix("ies") {
        format!("{stem}y")
    } else {
        kind.strip_suffix('s').unwrap_or(kind).to_string()
    };
    format!("{singular}Id")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_groups() {
        for ok in ["rg", "my-rg_1.(x)", "grüße", "a", &"r".repeat(90)] {
            assert!(resource_group(ok).is_ok(), "{ok}");
        }
        for bad in ["", "rg.", "rg/x", "rg x", "rg!", &"r".repeat(91)] {
            let error = resource_group(bad).unwrap_err();
            assert_eq!(error.target.as_deref(), Some("resourceGroupName"), "{bad}");
            assert_eq!(error.code, "ValidationError");
        }
    }

    #[test]
    fn service_names() {
        for ok in ["a", "svc", "my-svc-1", "A1", &"s".repeat(50)] {
            assert!(service_name("serviceName", ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "1svc",
            "-svc",
            "svc-",
            "my_svc",
            "my.svc",
            "sv c",
            "über",
            &"s".repeat(51),
        ] {
            assert_eq!(
                service_name("serviceName", bad)
                    .unwrap_err()
                    .target
                    .as_deref(),
                Some("serviceName"),
                "{bad}"
            );
        }
    }

    #[test]
    fn resource_ids() {
        assert!(resource_id("backends", &"b".repeat(80)).is_ok());
        assert_eq!(
            resource_id("backends", &"b".repeat(81))
                .unwrap_err()
                .target
                .as_deref(),
            Some("backendId")
        );
        assert!(resource_id("apis", &"a".repeat(256)).is_ok());
        assert_eq!(
            resource_id("apis", &"a".repeat(257))
                .unwrap_err()
                .target
                .as_deref(),
            Some("apiId")
        );
        assert_eq!(
            resource_id("policies", "..").unwrap_err().target.as_deref(),
            Some("policyId")
        );
        assert!(resource_id("namedValues", "a\u{0}b").is_err());
        assert!(resource_id("backends", "a b/ü").is_ok());
    }
}
