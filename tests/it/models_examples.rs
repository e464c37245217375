//! The models against the service's official examples (`tests/data/spec-examples/`): every
//! request and response body reads into its model and is written back unchanged.
//!
//! One difference is allowed, and checked: a member whose value is `null` (the service
//! sends `"title": null`, `"url": null` for pool backends) reads as `None` and is written
//! back absent. Each such member must be a field the model knows, so a misspelt field
//! cannot hide behind a `null`.

use std::any::type_name;
use std::path::Path;
use std::time::Duration;

use apim_client::Page;
use apim_client::models::{
    BackendAuthorizationHeaderCredentials, BackendContract, BackendContractProperties,
    BackendCredentialsContract, BackendPoolItem, BackendProtocol, BackendProxyContract,
    BackendReconnectRequest, BackendType, BackendUpdateParameters, CircuitBreakerRule,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/spec-examples");

/// The operation an example's request body belongs to, told from the example's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Request {
    /// `Backend_CreateOrUpdate` (PUT): the only operation that answers 201.
    Create,
    /// `Backend_Update` (PATCH): a body, a required `If-Match`, and 200 only.
    Update,
    /// `Backend_Reconnect` (POST): the only operation that answers 202.
    Reconnect,
}

fn request_kind(example: &Value) -> Result<Request, String> {
    let codes: Vec<&str> = example["responses"]
        .as_object()
        .ok_or("no `responses` object")?
        .keys()
        .map(String::as_str)
        .collect();
    if codes == ["202"] {
        Ok(Request::Reconnect)
    } else if codes.contains(&"201") {
        Ok(Request::Create)
    } else if codes == ["200"] && example["parameters"].get("If-Match").is_some() {
        Ok(Request::Update)
    } else {
        Err(format!(
            "a request body with responses {codes:?}: not a known backend operation"
        ))
    }
}

#[derive(Default)]
struct Tally {
    files: usize,
    creates: usize,
    updates: usize,
    reconnects: usize,
    contracts: usize,
    collections: usize,
    bodiless_responses: usize,
    bodiless_files: Vec<String>,
    nulls_dropped: usize,
}

#[test]
fn every_official_example_round_trips() {
    let mut paths: Vec<_> = std::fs::read_dir(EXAMPLES)
        .unwrap_or_else(|e| panic!("cannot read {EXAMPLES}: {e}"))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no example files in {EXAMPLES}");

    let mut tally = Tally::default();
    let mut failures = Vec::new();
    for path in &paths {
        if let Err(why) = check_example(path, &mut tally) {
            failures.push(format!("{}: {why}", file_name(path)));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} examples failed:\n\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n\n")
    );

    println!(
        "{} files: requests {} create, {} update, {} reconnect; responses {} backends, \
         {} lists, {} without a body; {} null members read as None; \
         no bodies at all: {:?}",
        tally.files,
        tally.creates,
        tally.updates,
        tally.reconnects,
        tally.contracts,
        tally.collections,
        tally.bodiless_responses,
        tally.nulls_dropped,
        tally.bodiless_files,
    );
    // Guards against a classification that quietly skips a whole kind of body.
    for (kind, count) in [
        ("create request", tally.creates),
        ("update request", tally.updates),
        ("reconnect request", tally.reconnects),
        ("backend response", tally.contracts),
        ("list response", tally.collections),
    ] {
        assert!(count > 0, "no {kind} was checked");
    }
}

fn check_example(path: &Path, tally: &mut Tally) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let example: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    tally.files += 1;
    let mut bodies = 0;

    if let Some(body) = example["parameters"].get("parameters") {
        bodies += 1;
        let nulls = match request_kind(&example)? {
            Request::Create => {
                tally.creates += 1;
                round_trip::<BackendContract>(body)
            }
            Request::Update => {
                tally.updates += 1;
                round_trip::<BackendUpdateParameters>(body)
            }
            Request::Reconnect => {
                tally.reconnects += 1;
                round_trip::<BackendReconnectRequest>(body)
            }
        };
        tally.nulls_dropped += nulls.map_err(|why| format!("request body {why}"))?;
    }

    let responses = example["responses"]
        .as_object()
        .ok_or("no `responses` object")?;
    for (code, response) in responses {
        let body = match response.get("body") {
            None | Some(Value::Null) => None,
            Some(Value::Object(members)) if members.is_empty() => None,
            Some(body) => Some(body),
        };
        let Some(body) = body else {
            // HEAD, DELETE and reconnect answer without a body.
            tally.bodiless_responses += 1;
            continue;
        };
        bodies += 1;
        let nulls = if body.get("value").is_some_and(Value::is_array) {
            tally.collections += 1;
            round_trip::<Page<BackendContract>>(body)
        } else if body.get("properties").is_some() || body.get("id").is_some() {
            tally.contracts += 1;
            round_trip::<BackendContract>(body)
        } else {
            Err("is neither a backend nor a list of backends".to_owned())
        };
        tally.nulls_dropped += nulls.map_err(|why| format!("response {code} body {why}"))?;
    }

    if bodies == 0 {
        tally.bodiless_files.push(file_name(path));
    }
    Ok(())
}

/// Reads `body` as `T` and writes it back; returns how many `null` members became absent.
fn round_trip<T: DeserializeOwned + Serialize>(body: &Value) -> Result<usize, String> {
    let model: T = serde_json::from_value(body.clone())
        .map_err(|e| format!("does not read as {}: {e}", type_name::<T>()))?;
    let written = serde_json::to_value(&model)
        .map_err(|e| format!("read as {} but cannot be written: {e}", type_name::<T>()))?;

    let mut expected = body.clone();
    let mut nulls = Vec::new();
    remove_null_members(&mut expected, &mut String::new(), &mut nulls);
    if written != expected {
        return Err(format!(
            "is written back differently as {}:\nexpected {}\nwritten  {}",
            type_name::<T>(),
            expected,
            written
        ));
    }
    for pointer in &nulls {
        if !is_model_field::<T>(body, pointer) {
            return Err(format!(
                "has `null` at {pointer}, which is not a field of {}",
                type_name::<T>()
            ));
        }
    }
    Ok(nulls.len())
}

/// Removes object members whose value is `null`, collecting their JSON pointers.
fn remove_null_members(value: &mut Value, pointer: &mut String, found: &mut Vec<String>) {
    let len = pointer.len();
    match value {
        Value::Object(members) => {
            members.retain(|key, member| {
                if member.is_null() {
                    found.push(format!("{pointer}/{}", escape(key)));
                }
                !member.is_null()
            });
            for (key, member) in members {
                pointer.push('/');
                pointer.push_str(&escape(key));
                remove_null_members(member, pointer, found);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                pointer.push_str(&format!("/{i}"));
                remove_null_members(item, pointer, found);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Whether the member at `pointer` is a field `T` reads: serde ignores unknown members, so
/// an unknown member accepts any value, while a known field refuses a boolean or a string
/// (no field of these models accepts both).
fn is_model_field<T: DeserializeOwned>(body: &Value, pointer: &str) -> bool {
    [json!(true), json!("probe")].into_iter().any(|probe| {
        let mut probed = body.clone();
        match probed.pointer_mut(pointer) {
            Some(member) => *member = probe,
            None => return false,
        }
        serde_json::from_value::<T>(probed).is_err()
    })
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Every field the spec defines, including those no official example uses (circuit breaker,
/// certificates, resource id, the Service Fabric thumbprints).
fn every_field() -> Value {
    json!({
        "id": "/subscriptions/sub/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apim1/backends/b1",
        "name": "b1",
        "type": "Microsoft.ApiManagement/service/backends",
        "properties": {
            "title": "Backend 1",
            "description": "The first backend",
            "resourceId": "https://management.azure.com/subscriptions/sub/resourceGroups/rg1/providers/Microsoft.Web/sites/app1",
            "properties": {
                "serviceFabricCluster": {
                    "clientCertificateId": "/subscriptions/sub/.../certificates/cert1",
                    "clientCertificatethumbprint": "EBA029198AA3E76EF0D70482626E5BCF148594A6",
                    "maxPartitionResolutionRetries": 5,
                    "managementEndpoints": ["https://somecluster.com"],
                    "serverCertificateThumbprints": ["5F6C3F5A8B0D7E4A1C2B3D4E5F6A7B8C9D0E1F2A"],
                    "serverX509Names": [
                        {"name": "ServerCommonName1", "issuerCertificateThumbprint": "IssuerThumbprint1"}
                    ]
                }
            },
            "credentials": {
                "certificateIds": ["/subscriptions/sub/.../certificates/cert1"],
                "certificate": ["EBA029198AA3E76EF0D70482626E5BCF148594A6"],
                "query": {"sv": ["query-secret"]},
                "header": {"x-api-key": ["header-secret"]},
                "authorization": {"scheme": "Basic", "parameter": "authorization-secret"}
            },
            "proxy": {
                "url": "http://192.168.1.1:8080",
                "username": "Contoso\\admin",
                "password": "proxy-secret"
            },
            "tls": {"validateCertificateChain": true, "validateCertificateName": false},
            "circuitBreaker": {
                "rules": [{
                    "name": "myBreakerRule",
                    "failureCondition": {
                        "count": 3,
                        "percentage": 50,
                        "interval": "PT1H",
                        "statusCodeRanges": [{"min": 500, "max": 599}],
                        "errorReasons": ["server errors"]
                    },
                    "tripDuration": "PT1M",
                    "acceptRetryAfter": true
                }]
            },
            "pool": {"services": [{"id": "/subscriptions/sub/.../backends/b2", "weight": 1, "priority": 2}]},
            "type": "Single",
            "url": "https://backend1.example.com/api",
            "protocol": "http"
        }
    })
}

#[test]
fn every_field_round_trips() {
    let wire = every_field();
    assert_eq!(round_trip::<BackendContract>(&wire), Ok(0));
    assert_eq!(
        round_trip::<BackendUpdateParameters>(&json!({"properties": wire["properties"]})),
        Ok(0)
    );
    let page = json!({"value": [wire], "count": 1, "nextLink": "https://next"});
    assert_eq!(round_trip::<Page<BackendContract>>(&page), Ok(0));
}

#[test]
fn durations_round_trip() {
    let backend: BackendContract = serde_json::from_value(every_field()).unwrap();
    let rules = backend.properties.unwrap().circuit_breaker.unwrap().rules;
    let rule = &rules.unwrap()[0];
    assert_eq!(rule.trip_duration, Some(Duration::from_secs(60)));
    let interval = rule.failure_condition.as_ref().unwrap().interval;
    assert_eq!(interval, Some(Duration::from_secs(3600)));

    let rule = CircuitBreakerRule {
        trip_duration: Some(Duration::from_secs(3600)),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&rule).unwrap(),
        json!({"tripDuration": "PT1H"})
    );
}

#[test]
fn unknown_enum_values_round_trip() {
    let mut wire = every_field();
    wire["properties"]["type"] = json!("CircuitPool");
    wire["properties"]["protocol"] = json!("grpc");
    let backend: BackendContract = serde_json::from_value(wire.clone()).unwrap();
    let properties = backend.properties.as_ref().unwrap();
    assert_eq!(
        properties.r#type,
        Some(BackendType::Other("CircuitPool".into()))
    );
    assert_eq!(properties.protocol.as_ref().unwrap().as_str(), "grpc");
    assert_eq!(serde_json::to_value(&backend).unwrap(), wire);
}

#[test]
fn debug_does_not_show_secrets() {
    let backend: BackendContract = serde_json::from_value(every_field()).unwrap();
    let text = format!("{backend:?}\n{backend:#?}");
    for secret in [
        "proxy-secret",
        "authorization-secret",
        "header-secret",
        "query-secret",
    ] {
        assert!(!text.contains(secret), "`{secret}` is in {text}");
    }
    assert!(text.contains("<redacted>"));
    assert!(text.contains("x-api-key"), "header names stay visible");

    // The official example's secrets too.
    let example: Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{EXAMPLES}/ApiManagementCreateBackendProxyBackend.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let backend: BackendContract =
        serde_json::from_value(example["responses"]["200"]["body"].clone()).unwrap();
    let text = format!("{backend:?}");
    for secret in ["<password>", "opensesma", "val1", "val2"] {
        assert!(!text.contains(secret), "`{secret}` is in {text}");
    }
}

/// `Debug` of `T` read from `body` shows no `planted` value, and still shows `visible`.
fn debug_hides<T: DeserializeOwned + std::fmt::Debug>(
    body: Value,
    planted: &str,
    visible: &[&str],
) {
    let model: T = serde_json::from_value(body).unwrap();
    let text = format!("{model:?}\n{model:#?}");
    assert!(
        !text.contains(planted),
        "a secret in {}: {text}",
        type_name::<T>()
    );
    assert!(text.contains("<redacted>"), "{text}");
    for name in visible {
        assert!(text.contains(name), "`{name}` hidden in {text}");
    }
}

#[test]
fn debug_of_keys_tokens_links_and_parameter_maps_shows_no_secret() {
    use apim_client::models::{
        ApiExportResultValue, ApiManagementServiceGetSsoTokenResult, AuthorizationContract,
        AuthorizationLoginResponseContract, AuthorizationProviderOAuth2GrantTypes,
        GatewayKeysContract,
    };
    const PLANTED: &str = "pl4nted";
    debug_hides::<GatewayKeysContract>(
        json!({"primary": PLANTED, "secondary": PLANTED}),
        PLANTED,
        &[],
    );
    debug_hides::<AuthorizationContract>(
        json!({"properties": {"parameters": {"clientId": "app", "clientSecret": PLANTED}}}),
        PLANTED,
        &["clientSecret"],
    );
    debug_hides::<AuthorizationProviderOAuth2GrantTypes>(
        json!({"authorizationCode": {"clientSecret": PLANTED},
               "clientCredentials": {"clientSecret": PLANTED}}),
        PLANTED,
        &["clientSecret"],
    );
    debug_hides::<ApiManagementServiceGetSsoTokenResult>(
        json!({"redirectUri": format!("https://portal.example/sso?token={PLANTED}")}),
        PLANTED,
        &[],
    );
    debug_hides::<ApiExportResultValue>(
        json!({"link": format!("https://blob.example/a.json?sv=1&sig={PLANTED}")}),
        PLANTED,
        &[],
    );
    debug_hides::<AuthorizationLoginResponseContract>(
        json!({"loginLink": format!("https://consent.example/login?token={PLANTED}")}),
        PLANTED,
        &[],
    );
}

/// Users outside the crate build models as struct literals over `default()`, or from a
/// constructor and set fields.
#[test]
fn users_build_models_from_defaults_and_constructors() {
    let properties = BackendContractProperties {
        url: Some("https://backend1.example.com/api".into()),
        protocol: Some(BackendProtocol::Http),
        ..Default::default()
    };
    assert_eq!(
        BackendContract::new(properties),
        BackendContract::new(BackendContractProperties::single(
            "https://backend1.example.com/api",
            BackendProtocol::Http
        ))
    );

    let mut proxy = BackendProxyContract::new("http://proxy:8080");
    proxy.password = Some("secret".into());
    let credentials = BackendCredentialsContract {
        authorization: Some(BackendAuthorizationHeaderCredentials::new(
            "Bearer", "token",
        )),
        ..Default::default()
    };
    let mut properties = BackendContractProperties::pool([BackendPoolItem::new("/b/1")]);
    properties.proxy = Some(proxy);
    properties.credentials = Some(credentials);
    assert_eq!(
        serde_json::to_value(BackendContract::new(properties)).unwrap(),
        json!({"properties": {
            "type": "Pool",
            "pool": {"services": [{"id": "/b/1"}]},
            "proxy": {"url": "http://proxy:8080", "password": "secret"},
            "credentials": {"authorization": {"scheme": "Bearer", "parameter": "token"}}
        }})
    );
}

/// The round-trip check itself: it must catch a member the models do not read, whether it
/// has a value or is `null`.
#[test]
fn the_round_trip_check_catches_unknown_members() {
    let mut wire = every_field();
    wire["properties"]["titel"] = json!("misspelt");
    let err = round_trip::<BackendContract>(&wire).unwrap_err();
    assert!(err.contains("written back differently"), "{err}");

    let mut wire = every_field();
    wire["properties"]["tls"]["validateCertificateChian"] = Value::Null;
    let err = round_trip::<BackendContract>(&wire).unwrap_err();
    assert!(
        err.contains("/properties/tls/validateCertificateChian"),
        "{err}"
    );

    let mut wire = every_field();
    wire["properties"]["title"] = Value::Null;
    wire["properties"]["tls"]["validateCertificateChain"] = Value::Null;
    assert_eq!(round_trip::<BackendContract>(&wire), Ok(2));
}
