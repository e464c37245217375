//! `apim-wire/src/rules/generated.rs`: the documented constraints of every path parameter
//! name the description has that the hand-written rules (`BY_PLACEHOLDER`) do not. The
//! client picks a rule by placeholder name, so a name documented with different
//! constraints in different operations gets the loosest of them: no operation may refuse
//! a value the service accepts for it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::description::{Constraints, Description};

/// Names `apim-wire/src/rules.rs` writes by hand (from the backend spec and ARM).
const HAND_WRITTEN: [&str; 7] = [
    "subscription_id",
    "resource_group_name",
    "service_name",
    "backend_id",
    "workspace_id",
    "tag_id",
    "product_link_id",
];

/// The description's patterns and the matcher of `apim-wire` for each.
const PATTERNS: [(&str, &str); 3] = [
    (
        "^[a-zA-Z](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$",
        "SERVICE_NAME_PATTERN",
    ),
    ("^[^*#&+:<>?]+$", "ENTITY_ID_PATTERN"),
    ("(^[\\w]+$)|(^[\\w][\\w\\-]+[\\w]$)", "WORD_ID_PATTERN"),
];

pub(crate) fn file(header: &str, description: &Description) -> Result<String, String> {
    // name -> constraint set -> how many operations document it
    let mut seen: BTreeMap<&str, BTreeMap<&Constraints, usize>> = BTreeMap::new();
    for group in &description.groups {
        for op in &group.operations {
            for param in &op.request.path_params {
                if param.from_client || HAND_WRITTEN.contains(&param.name.as_str()) {
                    continue;
                }
                *seen
                    .entry(&param.name)
                    .or_default()
                    .entry(&param.constraints)
                    .or_default() += 1;
            }
        }
    }
    let mut out = String::from(header);
    out.push_str(
        "\n//! The rules of the path parameters the REST description constrains, by name.\n\n",
    );
    out.push_str(
        "use super::{ENTITY_ID_PATTERN, Rule, SERVICE_NAME_PATTERN, WORD_ID_PATTERN};\n\n",
    );
    out.push_str(
        "/// Generated from the REST description; [`super::BY_PLACEHOLDER`] wins over it.\n",
    );
    out.push_str("pub const GENERATED: &[(&str, &Rule)] = &[\n");
    for (name, sets) in &seen {
        if sets.keys().all(|c| **c == Constraints::default()) {
            continue; // undocumented: `SEGMENT` already refuses empty, `.` and `..`.
        }
        let rule = loosest(sets.keys().copied());
        if sets.len() > 1 {
            let mut documented = Vec::new();
            for (set, count) in sets {
                documented.push(format!("{} in {count}", describe(set)));
            }
            writeln!(
                out,
                "    // Documented as {}: the loosest.",
                documented.join("; ")
            )
            .unwrap();
        }
        let pattern = match &rule.pattern {
            None => "None".to_owned(),
            Some(pattern) => {
                let known = PATTERNS.iter().find(|(text, _)| text == pattern);
                let (_, constant) = known.ok_or_else(|| {
                    format!("`{name}` has a pattern apim-wire does not implement: {pattern}")
                })?;
                format!("Some({constant})")
            }
        };
        writeln!(
            out,
            "    (\"{name}\", &Rule {{ what: \"{}\", min_len: {}, max_len: {}, pattern: {pattern} }}),",
            what(name),
            rule.min_length.unwrap_or(1).max(1),
            rule.max_length.map_or("usize::MAX".to_owned(), |n| n.to_string()),
        )
        .unwrap();
    }
    out.push_str("];\n");
    Ok(out)
}

/// The constraint set that accepts everything each of `sets` accepts.
fn loosest<'a>(mut sets: impl Iterator<Item = &'a Constraints>) -> Constraints {
    let Some(first) = sets.next() else {
        return Constraints::default();
    };
    sets.fold(first.clone(), |acc, set| Constraints {
        min_length: acc.min_length.zip(set.min_length).map(|(a, b)| a.min(b)),
        max_length: acc.max_length.zip(set.max_length).map(|(a, b)| a.max(b)),
        pattern: acc.pattern.filter(|p| set.pattern.as_ref() == Some(p)),
    })
}

fn describe(set: &Constraints) -> String {
    let length = match (set.min_length, set.max_length) {
        (Some(min), Some(max)) => format!("{min}-{max}"),
        (None, Some(max)) => format!("at most {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, None) => "any length".to_owned(),
    };
    match &set.pattern {
        Some(pattern) => format!("{length} `{pattern}`"),
        None => length,
    }
}

/// `api_id` -> "an api id", `user_id` -> "a user id", for errors ("an api id must be ...").
fn what(name: &str) -> String {
    let words = name.replace('_', " ");
    // By sound: "a user", "a unique"; the ids here have no silent `h`.
    let sounds_like_a_vowel = words.starts_with(['a', 'e', 'i', 'o', 'u'])
        && !words.starts_with("us")
        && !words.starts_with("uni");
    let article = if sounds_like_a_vowel { "an" } else { "a" };
    format!("{article} {words}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(min: Option<usize>, max: Option<usize>, pattern: Option<&str>) -> Constraints {
        Constraints {
            min_length: min,
            max_length: max,
            pattern: pattern.map(str::to_owned),
        }
    }

    #[test]
    fn the_loosest_set_accepts_what_each_accepts() {
        let narrow = set(Some(1), Some(80), None);
        let wide = set(Some(1), Some(256), Some("^[^*#&+:<>?]+$"));
        assert_eq!(
            loosest([&narrow, &wide].into_iter()),
            set(Some(1), Some(256), None)
        );
        let open = set(Some(1), None, None);
        assert_eq!(loosest([&narrow, &open].into_iter()).max_length, None);
        assert_eq!(loosest([&wide, &wide].into_iter()), wide);
    }

    #[test]
    fn names_read_as_nouns() {
        assert_eq!(what("api_id"), "an api id");
        assert_eq!(what("user_id"), "a user id");
        assert_eq!(what("issue_id"), "an issue id");
        assert_eq!(what("gateway_name"), "a gateway name");
    }
}
