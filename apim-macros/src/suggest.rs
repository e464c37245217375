//! "Did you mean" suggestions by edit distance.

/// The candidate closest to `name`, if it is close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::damerau_levenshtein(name, candidate), candidate))
        .filter(|&(distance, candidate)| {
            distance > 0 && distance <= (candidate.len().max(name.len()) / 3).max(1)
        })
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

/// `backendId` and `backend-id` become `backend_id`.
pub fn to_snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
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
    }
}
