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

/// The description's name patterns, each checked by hand (no regex engine for three).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pattern {
    /// No pattern documented: only the length.
    Any,
    /// `^[a-zA-Z](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$` (gateway and other DNS-like names).
    ServiceName,
    /// `^[^*#&+:<>?]+$`: most entity ids.
    NoReserved,
    /// `(^[\w]+$)|(^[\w][\w\-]+[\w]$)`: word characters, inner `-` allowed.
    Word,
}

impl Pattern {
    fn matches(self, name: &str) -> bool {
        let word = |c: char| c.is_alphanumeric() || c == '_';
        match self {
            Pattern::Any => true,
            Pattern::ServiceName => {
                name.starts_with(|c: char| c.is_ascii_alphabetic())
                    && name.ends_with(|c: char| c.is_ascii_alphanumeric())
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            }
            Pattern::NoReserved => !name.contains(['*', '#', '&', '+', ':', '<', '>', '?']),
            Pattern::Word => {
                name.chars().all(word)
                    || (name.chars().count() >= 3
                        && name.starts_with(word)
                        && name.ends_with(word)
                        && name.chars().all(|c| word(c) || c == '-'))
            }
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Pattern::Any => "",
            Pattern::ServiceName => {
                " and match ^[a-zA-Z](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$ (start with a letter, end with a letter or digit, only letters, digits and '-')"
            }
            Pattern::NoReserved => " and contain none of '*#&+:<>?'",
            Pattern::Word => {
                " and match (^[\\w]+$)|(^[\\w][\\w\\-]+[\\w]$) (letters, digits, '_', and '-' inside)"
            }
        }
    }
}

/// Checks `path`'s names against the constraints the description documents for
/// `operation`'s placeholders (`{apiId}`: 1-256 characters, none of `*#&+:<>?`), exactly
/// per operation: 400 `ValidationError` with the placeholder as `target`. The resource
/// group and service are [`names`]'s.
pub(crate) fn against(operation: &Operation, path: &ArmPath) -> Result<(), ArmError> {
    let template = operation.path.split('/').filter(|s| !s.is_empty());
    for (segment, value) in template.zip(description::request_segments(path)) {
        let Some(placeholder) = segment
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
        else {
            continue;
        };
        let Some(&(_, min, max, pattern)) = operation
            .names
            .iter()
            .find(|(name, ..)| *name == placeholder)
        else {
            continue;
        };
        let len = value.chars().count();
        if !(min..=max).contains(&len) || !pattern.matches(value) {
            return Err(ArmError::validation(
                placeholder,
                format!(
                    "The value '{}' of '{placeholder}' is not valid: it must be {min} to {max} characters long{}.",
                    value.escape_debug(),
                    pattern.describe()
                ),
            ));
        }
    }
    Ok(())
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
    if !Pattern::ServiceName.matches(name) {
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
