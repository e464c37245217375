//! The documented constraints of path parameters, checked before anything is sent.
//!
//! The macro picks a rule by the placeholder's name, so every declaration, the crate's own
//! and a user's, that writes `<resource_group_name>`, `<service_name>`, `<backend_id>` or
//! `<subscription_id>` gets the service's constraints; any other placeholder gets
//! [`SEGMENT`]. Every rule also refuses the empty string, `.` and `..`, which would change
//! the shape of the path. The rules are public so code can check a value up front.

use std::fmt;

/// A constraint on one path segment.
#[derive(Clone, Copy)]
pub struct Rule {
    what: &'static str,
    min_len: usize,
    max_len: usize,
    pattern: Option<Pattern>,
}

/// A character-level check and how to describe it in an error (`must ...`).
#[derive(Clone, Copy)]
struct Pattern {
    matches: fn(&str) -> bool,
    description: &'static str,
}

impl Rule {
    /// Checks `value`; the error says what is wrong, without repeating the value.
    pub fn check(&self, value: &str) -> Result<(), String> {
        if value.is_empty() {
            return Err(format!("{} must not be empty", self.what));
        }
        if value == "." || value == ".." {
            return Err(format!(
                "{} must not be `{value}`: it would change the request path",
                self.what
            ));
        }
        let len = value.chars().count();
        if len < self.min_len || len > self.max_len {
            return Err(format!(
                "{} must be {} to {} characters long, not {len}",
                self.what, self.min_len, self.max_len
            ));
        }
        if let Some(pattern) = self.pattern
            && !(pattern.matches)(value)
        {
            return Err(format!("{} must {}", self.what, pattern.description));
        }
        Ok(())
    }
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule")
            .field("what", &self.what)
            .field("min_len", &self.min_len)
            .field("max_len", &self.max_len)
            .finish_non_exhaustive()
    }
}

/// Any path segment: not empty, not `.` or `..`.
pub const SEGMENT: Rule = Rule {
    what: "a path value",
    min_len: 1,
    max_len: usize::MAX,
    pattern: None,
};

/// ARM: 1-90 characters, `^[-\w\._\(\)]+$`.
pub const RESOURCE_GROUP_NAME: Rule = Rule {
    what: "a resource group name",
    min_len: 1,
    max_len: 90,
    pattern: Some(Pattern {
        matches: is_resource_group_name,
        description: "contain only letters, digits, `-`, `_`, `.`, `(` and `)`",
    }),
};

/// APIM: 1-50 characters, `^[a-zA-Z](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$`.
pub const SERVICE_NAME: Rule = Rule {
    what: "a service name",
    min_len: 1,
    max_len: 50,
    pattern: Some(Pattern {
        matches: is_service_name,
        description: "start with an ASCII letter, end with a letter or digit, and contain only ASCII letters, digits and `-`",
    }),
};

/// APIM: 1-80 characters.
pub const BACKEND_ID: Rule = Rule {
    what: "a backend id",
    min_len: 1,
    max_len: 80,
    pattern: None,
};

/// ARM: a UUID.
pub const SUBSCRIPTION_ID: Rule = Rule {
    what: "a subscription id",
    min_len: 36,
    max_len: 36,
    pattern: Some(Pattern {
        matches: is_uuid,
        description: "be a UUID such as `00000000-0000-0000-0000-000000000000`",
    }),
};

/// `\w` in .NET's (and ARM's) regular expressions is Unicode-aware.
fn is_resource_group_name(value: &str) -> bool {
    value
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '(' | ')'))
}

fn is_service_name(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
}

fn is_uuid(value: &str) -> bool {
    uuid::Uuid::try_parse(value).is_ok() && value.len() == 36
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_group_names() {
        assert!(RESOURCE_GROUP_NAME.check("rg-1_(prod).eu").is_ok());
        assert!(RESOURCE_GROUP_NAME.check("grüße").is_ok());
        assert!(RESOURCE_GROUP_NAME.check(&"a".repeat(90)).is_ok());
        assert!(RESOURCE_GROUP_NAME.check(&"a".repeat(91)).is_err());
        assert!(RESOURCE_GROUP_NAME.check("rg/1").is_err());
        assert!(RESOURCE_GROUP_NAME.check("rg 1").is_err());
        assert!(RESOURCE_GROUP_NAME.check("..").is_err());
        assert!(RESOURCE_GROUP_NAME.check("").is_err());
    }

    #[test]
    fn service_names() {
        assert!(SERVICE_NAME.check("apimService1").is_ok());
        assert!(SERVICE_NAME.check("a").is_ok());
        assert!(SERVICE_NAME.check("my-apim").is_ok());
        assert!(SERVICE_NAME.check("1apim").is_err());
        assert!(SERVICE_NAME.check("apim-").is_err());
        assert!(SERVICE_NAME.check("api_m").is_err());
        assert!(SERVICE_NAME.check(&"a".repeat(51)).is_err());
    }

    #[test]
    fn backend_ids_and_subscriptions() {
        assert!(BACKEND_ID.check("proxybackend").is_ok());
        assert!(BACKEND_ID.check("a b/c?").is_ok());
        assert!(BACKEND_ID.check(&"b".repeat(81)).is_err());
        assert!(
            SUBSCRIPTION_ID
                .check("00000000-0000-0000-0000-000000000000")
                .is_ok()
        );
        assert!(SUBSCRIPTION_ID.check("sub1").is_err());
        assert!(
            SUBSCRIPTION_ID
                .check("{00000000-0000-0000-0000-000000000000}")
                .is_err()
        );
    }

    #[test]
    fn messages_do_not_repeat_the_value() {
        let err = SERVICE_NAME.check("secret value").unwrap_err();
        assert!(!err.contains("secret"));
    }
}
