//! The documented constraints of path parameters, checked before anything is sent.
//!
//! A rule is chosen by the placeholder's name in [`BY_PLACEHOLDER`], so every declaration,
//! the crate's own and a user's, that writes `<resource_group_name>`, `<service_name>`,
//! `<backend_id>` or `<subscription_id>` gets the service's constraints; any other
//! placeholder gets [`SEGMENT`]. A new id kind is one line in that table. Every rule also
//! refuses the empty string, `.` and `..`, which would change the shape of the path. The
//! rules are public so code can check a value up front.

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
    pattern: Some(SERVICE_NAME_PATTERN),
};

/// The patterns the REST description uses for path parameters, one each.
/// `^[a-zA-Z](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$` (service, gateway and connection names).
const SERVICE_NAME_PATTERN: Pattern = Pattern {
    matches: is_service_name,
    description: "start with an ASCII letter, end with a letter or digit, and contain only ASCII letters, digits and `-`",
};

/// `^[^*#&+:<>?]+$` (most entity ids).
const ENTITY_ID_PATTERN: Pattern = Pattern {
    matches: is_entity_id,
    description: "not contain `*`, `#`, `&`, `+`, `:`, `<`, `>` or `?`",
};

/// `(^[\w]+$)|(^[\w][\w\-]+[\w]$)` (policy fragment ids).
const WORD_ID_PATTERN: Pattern = Pattern {
    matches: is_word_id,
    description: "contain only letters, digits, `_` and `-`, and start and end with a letter, digit or `_`",
};

/// APIM: 1-80 characters.
pub const BACKEND_ID: Rule = Rule {
    what: "a backend id",
    min_len: 1,
    max_len: 80,
    pattern: None,
};

/// APIM: 1-80 characters, `^[^*#&+:<>?]+$`.
pub const WORKSPACE_ID: Rule = entity_id("a workspace id", 80);

/// APIM: 1-80 characters, `^[^*#&+:<>?]+$`.
pub const TAG_ID: Rule = entity_id("a tag id", 80);

/// APIM: 1-80 characters, `^[^*#&+:<>?]+$`.
pub const PRODUCT_LINK_ID: Rule = entity_id("a product link id", 80);

/// APIM's usual entity id: `1..=max_len` characters, none of `*#&+:<>?`.
const fn entity_id(what: &'static str, max_len: usize) -> Rule {
    Rule {
        what,
        min_len: 1,
        max_len,
        pattern: Some(ENTITY_ID_PATTERN),
    }
}

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

/// The rule of each well-known placeholder name, written by hand: one line per id kind.
/// Every other name the REST description constrains is in [`GENERATED`]; a name here wins.
pub const BY_PLACEHOLDER: &[(&str, &Rule)] = &[
    ("subscription_id", &SUBSCRIPTION_ID),
    ("resource_group_name", &RESOURCE_GROUP_NAME),
    ("service_name", &SERVICE_NAME),
    ("backend_id", &BACKEND_ID),
    ("workspace_id", &WORKSPACE_ID),
    ("tag_id", &TAG_ID),
    ("product_link_id", &PRODUCT_LINK_ID),
];

mod generated;
pub use generated::GENERATED;

/// The rule for a `<placeholder>`: its entry in [`BY_PLACEHOLDER`], else in [`GENERATED`],
/// else [`SEGMENT`]. A `const fn`, so generated code looks the rule up at compile time.
pub const fn for_placeholder(name: &str) -> &'static Rule {
    match find(BY_PLACEHOLDER, name) {
        Some(rule) => rule,
        None => match find(GENERATED, name) {
            Some(rule) => rule,
            None => &SEGMENT,
        },
    }
}

const fn find(table: &[(&str, &'static Rule)], name: &str) -> Option<&'static Rule> {
    let mut i = 0;
    while i < table.len() {
        let (placeholder, rule) = table[i];
        if bytes_eq(placeholder.as_bytes(), name.as_bytes()) {
            return Some(rule);
        }
        i += 1;
    }
    None
}

const fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// `\w` in .NET's (and ARM's) regular expressions is Unicode-aware.
fn is_resource_group_name(value: &str) -> bool {
    value
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '(' | ')'))
}

fn is_entity_id(value: &str) -> bool {
    !value.contains(['*', '#', '&', '+', ':', '<', '>', '?'])
}

/// .NET's `\w` (letters, digits, `_`), with `-` inside.
fn is_word_id(value: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    value.chars().next().is_some_and(word)
        && value.chars().last().is_some_and(word)
        && value.chars().all(|c| word(c) || c == '-')
}

fn is_service_name(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
}

/// The hyphenated form `8-4-4-4-12` of hex digits, as ARM writes subscription ids.
fn is_uuid(value: &str) -> bool {
    value.len() == 36
        && value.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
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
    fn entity_ids() {
        assert!(TAG_ID.check("tag-1 (eu)").is_ok());
        assert!(WORKSPACE_ID.check("ws/1").is_ok());
        assert!(TAG_ID.check("a#b").is_err());
        assert!(PRODUCT_LINK_ID.check("a?b").is_err());
        assert!(WORKSPACE_ID.check(&"w".repeat(81)).is_err());
    }

    #[test]
    fn generated_rules_come_from_the_description() {
        // `api_id` is 1-80 in some operations and 1-256 with a pattern in others: the
        // loosest, so no operation refuses what the service accepts.
        assert_eq!(for_placeholder("api_id").max_len, 256);
        assert!(for_placeholder("api_id").check(&"a".repeat(256)).is_ok());
        assert!(for_placeholder("gateway_name").check("gw-1").is_ok());
        assert!(for_placeholder("gateway_name").check("1gw").is_err());
        assert!(for_placeholder("named_value_id").check("a#b").is_err());
        assert!(for_placeholder("id").check("frag_1-a").is_ok());
        assert!(for_placeholder("id").check("-frag").is_err());
        assert!(for_placeholder("id").check("frag.1").is_err());
        for (name, _) in GENERATED {
            assert!(!BY_PLACEHOLDER.iter().any(|(n, _)| n == name), "{name}");
        }
    }

    #[test]
    fn placeholders_pick_their_rule() {
        assert_eq!(for_placeholder("service_name").what, "a service name");
        assert_eq!(for_placeholder("backend_id").max_len, 80);
        assert_eq!(for_placeholder("no_such_id").what, SEGMENT.what);
        const AT_COMPILE_TIME: &Rule = for_placeholder("resource_group_name");
        assert_eq!(AT_COMPILE_TIME.max_len, 90);
        for (name, _) in BY_PLACEHOLDER {
            assert_eq!(
                BY_PLACEHOLDER.iter().filter(|(n, _)| n == name).count(),
                1,
                "{name}"
            );
        }
    }

    #[test]
    fn messages_do_not_repeat_the_value() {
        let err = SERVICE_NAME.check("secret value").unwrap_err();
        assert!(!err.contains("secret"));
    }
}
