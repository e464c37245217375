//! Which fields hold secrets, so the generated `Debug` prints `<redacted>` for them.
//!
//! The rule is on the wire name (the last segment of the wire path) and, for names that are
//! only sometimes secret, on the model too. Serialization is unchanged: the service needs
//! the values. A false positive costs a less useful log line; a false negative leaks a key,
//! so the lists lean wide.

/// Secret wherever they appear: passwords, keys, client secrets, tokens, certificate blobs
/// and connection strings.
const ALWAYS: &[&str] = &[
    "accessKey",
    "certificatePassword",
    "clientSecret",
    "connectionString",
    "consentCode",
    "data",
    "encodedCertificate",
    "password",
    "primaryKey",
    "resourceOwnerPassword",
    "secondaryKey",
    "token",
    "validationKey",
];

/// `value` is a secret in named values (possibly marked `secret`), in token results and
/// token request parameters, and in the SSO URL (it carries a token).
fn value_is_secret(model: &str) -> bool {
    model.starts_with("NamedValue") || model.contains("Token") || model == "GenerateSsoUrlResult"
}

/// Whether the field `wire_name` of `model` (the SDK model the field comes from) is secret.
/// `credentials` is secret as a plain map of strings (a logger's connection string);
/// structured credentials redact their own secret parts.
pub(crate) fn is_secret(model: &str, wire_name: &str, sdk_type: &str) -> bool {
    ALWAYS.contains(&wire_name)
        || (wire_name == "value" && value_is_secret(model))
        || (wire_name == "credentials" && sdk_type == "{str}")
}

#[cfg(test)]
mod tests {
    use super::is_secret;

    #[test]
    fn the_rule() {
        assert!(is_secret("SubscriptionContract", "primaryKey", "str"));
        assert!(is_secret("NamedValueContract", "value", "str"));
        assert!(is_secret("UserTokenResult", "value", "str"));
        assert!(is_secret("LoggerContract", "credentials", "{str}"));
        assert!(!is_secret("PolicyContract", "value", "str"));
        assert!(!is_secret("HTTPHeader", "value", "str"));
        assert!(!is_secret("NamedValueContract", "secret", "bool"));
    }
}
