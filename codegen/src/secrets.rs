//! Which fields hold secrets, so the generated `Debug` prints `<redacted>` for them.
//!
//! The rule reads the description: a field that holds text (a string, or strings in a list
//! or map, or free JSON) is secret when its wire name or its description speaks of a key,
//! secret, password, token, signature, SAS, credential or connection string
//! ([`mentions_secret`]), unless it is one of the few such fields that only name or point
//! at a secret ([`NOT_SECRET`], each with the reason). A handful of secrets the words miss
//! (links and codes that carry a token, parameter maps that hold a client secret) are
//! listed in [`ALSO_SECRET`]. Every value inside a secret map or list is redacted (a map
//! keeps its names visible). Serialization is unchanged: the service needs the values. A false positive costs
//! a less useful log line; a false negative leaks a key, so the words lean wide.

use crate::models_plan::Type;

/// Words (lower case, whole) that make a field secret when its wire name (split at its
/// camelCase humps) or its description uses them. `listsecrets` is the description's
/// "Use '/listSecrets' POST request to get the value".
const SECRET_WORDS: &[&str] = &[
    "key",
    "keys",
    "secret",
    "secrets",
    "listsecrets",
    "password",
    "passwords",
    "passphrase",
    "token",
    "tokens",
    "signature",
    "sig",
    "sas",
    "credential",
    "credentials",
];

/// Two-word phrases with the same effect: connection strings, shared access (SAS) tokens,
/// and encoded certificates (a PFX holds its private key).
const SECRET_PHRASES: &[[&str; 2]] = &[
    ["connection", "string"],
    ["shared", "access"],
    ["encoded", "certificate"],
];

/// Fields that hold text and mention a secret word but hold no secret: `(model prefix,
/// wire name, why)`. The model prefix is matched against the SDK model's name ("" for any).
pub(crate) const NOT_SECRET: &[(&str, &str, &str)] = &[
    (
        "KeyVaultLastAccessStatus",
        "code",
        "the status code of a Key Vault sync",
    ),
    ("QuotaCounter", "counterKey", "a quota counter's lookup key"),
    ("QuotaCounter", "periodKey", "a quota period's lookup key"),
    ("", "objectKey", "the id of the entity an operation changed"),
    ("", "defaultScope", "an OAuth scope"),
    (
        "SubscriptionKeyParameterNames",
        "header",
        "the name of the header a subscription key is sent in, not the key",
    ),
    (
        "SubscriptionKeyParameterNames",
        "query",
        "the name of the query parameter a subscription key is sent in, not the key",
    ),
    ("", "identityClientId", "a managed identity's client id"),
    (
        "",
        "keyVaultId",
        "the URL of a Key Vault secret, not its value",
    ),
    (
        "",
        "secretIdentifier",
        "the URL of a Key Vault secret, not its value",
    ),
    ("", "passwordResetPolicyName", "an AAD B2C policy's name"),
    ("", "resourceOwnerUsername", "a user name"),
    ("", "tokenEndpoint", "the URL of an OAuth token endpoint"),
];

/// Secrets whose name and description use none of the words: `(model prefix, wire name,
/// why)`.
pub(crate) const ALSO_SECRET: &[(&str, &str, &str)] = &[
    (
        "NamedValue",
        "value",
        "a named value's value, a secret when `secret` is set",
    ),
    (
        "GenerateSsoUrlResult",
        "value",
        "a URL that signs its bearer in",
    ),
    (
        "AuthorizationLoginResponse",
        "loginLink",
        "a consent link carrying a token",
    ),
    (
        "ApiExportResultValue",
        "link",
        "a blob URL with a SAS signature (`sig=`)",
    ),
    (
        "AuthorizationContract",
        "parameters",
        "an authorization's parameters: its client id and secret",
    ),
    (
        "AuthorizationProviderOAuth2GrantTypes",
        "authorizationCode",
        "the grant's parameters: its client id and secret",
    ),
    (
        "AuthorizationConfirmConsentCode",
        "consentCode",
        "a one-time code exchanged for tokens",
    ),
    (
        "TokenBodyParameter",
        "value",
        "a token endpoint's body parameter, such as `client_secret`",
    ),
];

/// Whether the field `wire_name` of `model` (the SDK model the field comes from), described
/// by `description`, is secret.
pub(crate) fn is_secret(model: &str, wire_name: &str, description: &str, ty: &Type) -> bool {
    holds_text(ty)
        && ((mentions_secret(wire_name, description)
            && listed(NOT_SECRET, model, wire_name).is_none())
            || listed(ALSO_SECRET, model, wire_name).is_some())
}

/// Whether the wire name or the description uses a secret word or phrase.
pub(crate) fn mentions_secret(wire_name: &str, description: &str) -> bool {
    uses_secret_words(&name_words(wire_name)) || uses_secret_words(&text_words(description))
}

/// The entry of `list` for this field, if any.
pub(crate) fn listed<'a>(
    list: &'a [(&str, &str, &str)],
    model: &str,
    wire_name: &str,
) -> Option<&'a (&'a str, &'a str, &'a str)> {
    list.iter()
        .find(|(prefix, name, _)| *name == wire_name && model.starts_with(prefix))
}

/// Text a secret can be written in; an enum, number, flag or date cannot, and a nested
/// model redacts its own secret parts.
pub(crate) fn holds_text(ty: &Type) -> bool {
    match ty {
        Type::String | Type::Json => true,
        Type::List(inner) | Type::Map(inner) => holds_text(inner),
        _ => false,
    }
}

fn uses_secret_words(words: &[String]) -> bool {
    words
        .iter()
        .any(|word| SECRET_WORDS.contains(&word.as_str()))
        || words.windows(2).any(|pair| {
            SECRET_PHRASES
                .iter()
                .any(|[first, second]| pair[0] == *first && pair[1] == *second)
        })
}

/// `primaryKey` -> `primary`, `key`; `sasToken` -> `sas`, `token`; `OAuth2Code` -> `oauth2`,
/// `code`.
fn name_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut previous: Option<char> = None;
    for c in name.chars() {
        let starts_word = c.is_ascii_uppercase()
            && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
        match words.last_mut() {
            Some(word) if !starts_word && c.is_ascii_alphanumeric() => word.push(c),
            _ if c.is_ascii_alphanumeric() => words.push(c.to_string()),
            _ => {}
        }
        previous = Some(c);
    }
    words.iter().map(|word| word.to_ascii_lowercase()).collect()
}

/// The description's words, lower case, split at everything but letters and digits.
fn text_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::description::Description;
    use crate::models_plan;

    fn text() -> Type {
        Type::String
    }

    #[test]
    fn the_rule() {
        assert!(is_secret("SubscriptionContract", "primaryKey", "", &text()));
        assert!(is_secret(
            "GatewayKeysContract",
            "primary",
            "Primary gateway key.",
            &text()
        ));
        assert!(is_secret(
            "ApiManagementServiceGetSsoTokenResult",
            "redirectUri",
            "Redirect URL to the Publisher Portal containing the SSO token.",
            &text()
        ));
        assert!(is_secret("NamedValueContract", "value", "Value.", &text()));
        let map = Type::Map(Box::new(Type::String));
        assert!(is_secret(
            "LoggerContract",
            "credentials",
            "Logger credentials.",
            &map
        ));
        assert!(is_secret(
            "AuthorizationContract",
            "parameters",
            "Parameters.",
            &map
        ));
        assert!(!is_secret("PolicyContract", "value", "Contents.", &text()));
        assert!(!is_secret("HTTPHeader", "value", "Header value.", &text()));
        assert!(!is_secret(
            "NamedValueContract",
            "secret",
            "Determines whether the value is a secret.",
            &Type::Bool
        ));
        assert!(!is_secret(
            "AuthorizationServerContract",
            "tokenEndpoint",
            "OAuth token endpoint.",
            &text()
        ));
        assert!(!is_secret(
            "UserTokenParameters",
            "keyType",
            "The Key to be used to generate token for user.",
            &Type::Enum("KeyType".into())
        ));
    }

    #[test]
    fn words_of_names_and_descriptions() {
        assert_eq!(name_words("primaryKey"), ["primary", "key"]);
        assert_eq!(name_words("connectionString"), ["connection", "string"]);
        assert_eq!(name_words("OAuth2Code"), ["oauth2", "code"]);
        assert_eq!(name_words("keyVaultId"), ["key", "vault", "id"]);
        assert!(mentions_secret("link", "with a SAS token"));
        assert!(mentions_secret(
            "x",
            "Use '/listSecrets' POST request to get the value."
        ));
        assert!(mentions_secret(
            "x",
            "The SendRule connection string of the event hub."
        ));
        assert!(mentions_secret("x", "Base 64 encoded certificate."));
        assert!(!mentions_secret("x", "Url to the KeyVault entity."));
        assert!(!mentions_secret("monkeyId", "A monkey."));
    }

    fn description() -> Description {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("description")
            .join("apim-2024-05-01.json");
        crate::description::read(&path).expect("the checked-in description")
    }

    /// Across every generated model: each field that holds text and whose wire name or
    /// description mentions a secret is redacted, unless listed in [`NOT_SECRET`] with a
    /// reason. Nested structs (`properties`) and the SDK models reused for them included.
    #[test]
    fn every_field_the_description_calls_secret_is_redacted() {
        let plan = models_plan::plan(&description()).expect("a plan");
        let mut shown = Vec::new();
        let mut redacted = 0;
        for planned in plan.structs.values() {
            for field in &planned.fields {
                let mentions =
                    holds_text(&field.ty) && mentions_secret(&field.wire_name, &field.doc);
                let excused = NOT_SECRET
                    .iter()
                    .any(|(_, name, _)| *name == field.wire_name);
                if mentions && !excused && !field.secret {
                    shown.push(format!("{}.{}", planned.name, field.wire_name));
                }
                redacted += usize::from(field.secret);
            }
        }
        assert!(shown.is_empty(), "secrets shown by Debug: {shown:#?}");
        assert!(redacted > 40, "{redacted} redacted fields");
    }

    /// The cases by name, as a check on the rule above.
    #[test]
    fn keys_tokens_links_and_parameter_maps_are_redacted() {
        let plan = models_plan::plan(&description()).expect("a plan");
        let secret = |model: &str, wire_name: &str| {
            plan.structs
                .get(model)
                .unwrap_or_else(|| panic!("no model {model}"))
                .fields
                .iter()
                .find(|field| field.wire_name == wire_name)
                .unwrap_or_else(|| panic!("{model}.{wire_name}"))
                .secret
        };
        for (model, wire_name) in [
            ("GatewayKeysContract", "primary"),
            ("GatewayKeysContract", "secondary"),
            ("AuthorizationContractProperties", "parameters"),
            ("AuthorizationProviderOAuth2GrantTypes", "authorizationCode"),
            ("AuthorizationProviderOAuth2GrantTypes", "clientCredentials"),
            ("ApiManagementServiceGetSsoTokenResult", "redirectUri"),
            ("ApiExportResultValue", "link"),
            ("AuthorizationLoginResponseContract", "loginLink"),
            ("GenerateSsoUrlResult", "value"),
            ("NamedValueUpdateParameterProperties", "value"),
            ("CertificateCreateOrUpdateParametersProperties", "data"),
            ("LoggerContractProperties", "credentials"),
        ] {
            assert!(secret(model, wire_name), "{model}.{wire_name} is shown");
        }
    }

    /// Every listed exception and addition still names a field of the description, and
    /// every exception is needed: the lists cannot rot.
    #[test]
    fn every_listed_field_exists_and_every_exception_is_needed() {
        let description = description();
        let mut used = BTreeSet::new();
        for model in &description.models {
            for attribute in &model.attributes {
                let Some(wire_name) = attribute.wire_path.last() else {
                    continue;
                };
                let text = attribute.description.as_deref().unwrap_or_default();
                for (list, exceptions) in [(NOT_SECRET, true), (ALSO_SECRET, false)] {
                    if let Some(entry) = listed(list, &model.name, wire_name) {
                        // An exception is needed only where the words would redact.
                        if !exceptions || mentions_secret(wire_name, text) {
                            used.insert(entry.1);
                        }
                    }
                }
            }
        }
        for (_, name, why) in NOT_SECRET.iter().chain(ALSO_SECRET) {
            assert!(
                used.contains(name),
                "`{name}` ({why}) is listed for nothing"
            );
        }
    }
}
