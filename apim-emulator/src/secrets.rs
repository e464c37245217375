//! Secrets leave the emulator only as APIM lets them: never in a GET, list, PUT or PATCH
//! answer, only from the description's secret actions (`listSecrets`, `listValue`,
//! `listKeys`), which read the stored resource directly.
//!
//! The fields withheld, by resource type, are those the REST description marks "will not be
//! filled on 'GET' operations" or write-only (`password`, a certificate's `data`), and the
//! keys APIM keeps out of its contracts (a gateway's and tenant access's keys).

use serde_json::Value;

/// The type prefix every resource of a service has.
const SERVICE: &str = "Microsoft.ApiManagement/service";

/// Removes from `properties` what a resource of type `kind` never shows.
pub(crate) fn redact(kind: &str, name: &str, properties: &mut Value) {
    let Value::Object(map) = properties else {
        return;
    };
    let Some(rest) = kind.strip_prefix(SERVICE) else {
        return;
    };
    // Service- and workspace-level resources hide the same fields.
    let rest = rest.strip_prefix("/workspaces").unwrap_or(rest);
    let hidden: &[&str] = match rest {
        "/subscriptions" | "/gateways" | "/tenant" => &["primaryKey", "secondaryKey"],
        "/identityProviders" | "/openidConnectProviders" => &["clientSecret"],
        "/authorizationServers" => &[
            "clientSecret",
            "resourceOwnerUsername",
            "resourceOwnerPassword",
        ],
        "/certificates" => &["data", "password"],
        "/users" => &["password"],
        "/portalsettings" if name.eq_ignore_ascii_case("delegation") => &["validationKey"],
        "/namedValues" if map.get("secret") == Some(&Value::Bool(true)) => &["value"],
        // The parameters show, without their secret (`{"clientId"}` of client credentials).
        "/authorizationProviders/authorizations" => {
            if let Some(Value::Object(parameters)) = map.get_mut("parameters") {
                parameters.remove("clientSecret");
            }
            &[]
        }
        "/authorizationProviders" => {
            if let Some(Value::Object(grants)) = map
                .get_mut("oauth2")
                .and_then(|oauth2| oauth2.get_mut("grantTypes"))
            {
                for grant in grants.values_mut() {
                    if let Value::Object(grant) = grant {
                        grant.remove("clientSecret");
                    }
                }
            }
            &[]
        }
        // The service: the certificates of its host names and its CA certificates.
        "" => {
            for list in ["hostnameConfigurations", "certificates"] {
                if let Some(Value::Array(items)) = map.get_mut(list) {
                    for item in items.iter_mut() {
                        if let Value::Object(item) = item {
                            item.remove("encodedCertificate");
                            item.remove("certificatePassword");
                        }
                    }
                }
            }
            &[]
        }
        _ => &[],
    };
    for field in hidden {
        map.remove(*field);
    }
}

#[cfg(test)]
mod tests {
    use super::redact;
    use serde_json::json;

    fn redacted(kind: &str, name: &str, mut properties: serde_json::Value) -> serde_json::Value {
        redact(kind, name, &mut properties);
        properties
    }

    #[test]
    fn withholds_the_documented_secrets() {
        let service = "Microsoft.ApiManagement/service";
        assert_eq!(
            redacted(
                &format!("{service}/subscriptions"),
                "s",
                json!({"scope": "/apis", "primaryKey": "a", "secondaryKey": "b"})
            ),
            json!({"scope": "/apis"})
        );
        assert_eq!(
            redacted(
                &format!("{service}/workspaces/namedValues"),
                "n",
                json!({"secret": true, "value": "v", "displayName": "d"})
            ),
            json!({"secret": true, "displayName": "d"})
        );
        assert_eq!(
            redacted(
                &format!("{service}/namedValues"),
                "n",
                json!({"secret": false, "value": "v"})
            ),
            json!({"secret": false, "value": "v"}),
            "a plain named value shows its value"
        );
        assert_eq!(
            redacted(
                &format!("{service}/portalsettings"),
                "delegation",
                json!({"url": "u", "validationKey": "k"})
            ),
            json!({"url": "u"})
        );
        assert_eq!(
            redacted(
                &format!("{service}/authorizationProviders"),
                "p",
                json!({"oauth2": {"grantTypes": {"authorizationCode": {"clientId": "c", "clientSecret": "s"}}}})
            ),
            json!({"oauth2": {"grantTypes": {"authorizationCode": {"clientId": "c"}}}})
        );
        assert_eq!(
            redacted(
                service,
                "svc",
                json!({"hostnameConfigurations": [{"hostName": "h", "encodedCertificate": "e", "certificatePassword": "p"}]})
            ),
            json!({"hostnameConfigurations": [{"hostName": "h"}]})
        );
        assert_eq!(
            redacted(&format!("{service}/apis"), "a", json!({"value": "x"})),
            json!({"value": "x"}),
            "other types are untouched"
        );
    }
}
