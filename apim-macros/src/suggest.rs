//! "Did you mean" suggestions by edit distance.

/// The candidate closest to `name`, if it is close enough to be a likely typo.
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::damerau_levenshtein(name, candidate), candidate))
        .filter(|&(distance, candidate)| {
            distance > 0 && distance <= (candidate.len().max(name.len()) / 3).max(1)
        })
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

/// `backendId`, `BackendID` and `backend-id` become `backend_id`.
pub(crate) fn to_snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev = i.checked_sub(1).and_then(|p| chars.get(p));
            let next = chars.get(i + 1);
            // A word starts after a lower-case letter or digit, or at the last capital of
            // an acronym followed by lower case (`HTTPServer` is `http_server`).
            let starts_word = prev.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit())
                || (prev.is_some_and(|p| p.is_uppercase())
                    && next.is_some_and(|n| n.is_lowercase()));
            if starts_word && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else if c == '-' || c == ' ' || c == '.' {
            out.push('_');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["backend_id", "service_name", "resource_group_name"];
        assert_eq!(closest("backnd_id", names), Some("backend_id"));
        assert_eq!(closest("service", names), None);
        assert_eq!(closest("backend_id", names), None);
    }

    #[test]
    fn converts_to_snake_case() {
        assert_eq!(to_snake_case("backendId"), "backend_id");
        assert_eq!(to_snake_case("backend-id"), "backend_id");
        assert_eq!(to_snake_case("serviceName"), "service_name");
        assert_eq!(to_snake_case("BackendID"), "backend_id");
        assert_eq!(to_snake_case("HTTPServer"), "http_server");
        assert_eq!(to_snake_case("id"), "id");
    }
}
