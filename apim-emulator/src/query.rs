//! The query string, decoded once (`application/x-www-form-urlencoded` rules, as ARM reads it).

pub(crate) struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    pub(crate) fn parse(raw: Option<&str>) -> Query {
        let pairs = form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
        Query { pairs }
    }

    /// The first value of parameter `name`; ARM matches parameter names case-insensitively.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Encodes a query value.
pub(crate) fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_finds_case_insensitively() {
        let q = Query::parse(Some(
            "API-VERSION=2024-05-01&%24filter=name%20eq%20%27a+b%27&$top=5&$top=6",
        ));
        assert_eq!(q.get("api-version"), Some("2024-05-01"));
        assert_eq!(q.get("$filter"), Some("name eq 'a b'"));
        assert_eq!(q.get("$top"), Some("5"));
        assert_eq!(q.get("$skip"), None);
        assert_eq!(Query::parse(None).get("x"), None);
        assert_eq!(encode("name eq 'a&b'"), "name+eq+%27a%26b%27");
    }
}
