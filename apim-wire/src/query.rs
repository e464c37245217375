//! The query parameters the client sets itself.

/// Added to every request from the client's options or the operation's `api_version`.
pub const API_VERSION: &str = "api-version";

/// Every query parameter the client sets.
pub const CLIENT_SET: [&str; 1] = [API_VERSION];

/// Whether the client sets `name` itself. ARM reads query names case-insensitively, so
/// `Api-Version` would be a second api-version.
pub fn is_client_set(name: &str) -> bool {
    crate::contains_ignore_case(&CLIENT_SET, name)
}

#[cfg(test)]
mod tests {
    #[test]
    fn lookup_ignores_case() {
        assert!(super::is_client_set("api-version"));
        assert!(super::is_client_set("Api-Version"));
        assert!(!super::is_client_set("$filter"));
    }
}
