//! The backend resource: what `Backend_Get`, `Backend_ListByService`,
//! `Backend_CreateOrUpdate` and `Backend_Update` send and receive.

use super::open_enum::open_enum;
use super::wire::wire_struct;
use super::{
    BackendCircuitBreaker, BackendCredentialsContract, BackendPool, BackendPoolItem,
    BackendProperties, BackendProxyContract,
};

/// Backend details: the ARM resource envelope around the backend's settings.
///
/// This is the body of `Backend_CreateOrUpdate` (where `id`, `name` and `type` are
/// read-only and left `None`) and of every backend response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BackendContract {
    /// Fully qualified resource id (read-only).
    pub id: Option<String>,
    /// The backend id (read-only).
    pub name: Option<String>,
    /// The resource type, e.g. `Microsoft.ApiManagement/service/backends` (read-only).
    pub r#type: Option<String>,
    /// The backend's settings.
    pub properties: Option<BackendContractProperties>,
}

impl BackendContract {
    /// A create-or-update body with these settings.
    pub fn new(properties: BackendContractProperties) -> Self {
        BackendContract {
            properties: Some(properties),
            ..Default::default()
        }
    }
}

/// The settings of a backend, as created or returned (`BackendContractProperties`).
///
/// `url` and `protocol` follow the newer layout of the spec: required when the backend's
/// type is `Single`, absent for a `Pool`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BackendContractProperties {
    /// Backend title (1-300 characters).
    pub title: Option<String>,
    /// Backend description (1-2000 characters).
    pub description: Option<String>,
    /// Management URI of the resource in an external system, e.g. the ARM id of a Logic
    /// App, Function App or API App.
    pub resource_id: Option<String>,
    /// Properties specific to the backend type.
    pub properties: Option<BackendProperties>,
    /// Credentials used to connect to the backend.
    pub credentials: Option<BackendCredentialsContract>,
    /// The web proxy to use for requests to the backend.
    pub proxy: Option<BackendProxyContract>,
    /// TLS certificate validation settings.
    pub tls: Option<BackendTlsProperties>,
    /// Circuit breaker configuration.
    pub circuit_breaker: Option<BackendCircuitBreaker>,
    /// Pool members, for a backend of type `Pool`.
    pub pool: Option<BackendPool>,
    /// The type of the backend: `Single` or `Pool`.
    pub r#type: Option<BackendType>,
    /// Runtime URL of the backend (1-2000 characters); required for type `Single`.
    pub url: Option<String>,
    /// Backend communication protocol; required for type `Single`.
    pub protocol: Option<BackendProtocol>,
}

impl BackendContractProperties {
    /// A single backend at `url`. `type` is left unset: the service treats that as
    /// `Single`, and the official examples send it that way.
    pub fn single(url: impl Into<String>, protocol: BackendProtocol) -> Self {
        BackendContractProperties {
            url: Some(url.into()),
            protocol: Some(protocol),
            ..Default::default()
        }
    }

    /// A load-balanced pool (type `Pool`) of existing backends.
    pub fn pool(services: impl IntoIterator<Item = BackendPoolItem>) -> Self {
        BackendContractProperties {
            r#type: Some(BackendType::Pool),
            pool: Some(BackendPool::new(services)),
            ..Default::default()
        }
    }
}

/// The body of `Backend_Update` (PATCH): only the settings that change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BackendUpdateParameters {
    /// The settings to change.
    pub properties: Option<BackendUpdateParameterProperties>,
}

impl BackendUpdateParameters {
    /// An update body with these settings.
    pub fn new(properties: BackendUpdateParameterProperties) -> Self {
        BackendUpdateParameters {
            properties: Some(properties),
        }
    }
}

/// The settings a `Backend_Update` changes; `None` fields are left as they are. In the
/// 2024-05-01 layout these are exactly the fields of [`BackendContractProperties`] (with
/// `url` and `protocol` optional in both), so it is the same type.
pub type BackendUpdateParameterProperties = BackendContractProperties;

/// TLS certificate validation settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BackendTlsProperties {
    /// Whether to validate the certificate chain when the backend uses a self-signed
    /// certificate (the service's default: `true`).
    pub validate_certificate_chain: Option<bool>,
    /// Whether to validate the certificate name when the backend uses a self-signed
    /// certificate (the service's default: `true`).
    pub validate_certificate_name: Option<bool>,
}

open_enum! {
    /// Backend communication protocol.
    pub enum BackendProtocol {
        /// The backend is a RESTful service.
        Http => "http",
        /// The backend is a SOAP service.
        Soap => "soap",
    }
}

open_enum! {
    /// The type of a backend.
    pub enum BackendType {
        /// A single backend.
        Single => "Single",
        /// A pool of backends.
        Pool => "Pool",
    }
}

// Read with the lenient rules of `models/wire.rs`, as the generated models are.
wire_struct!(BackendContract {
    id: optional "id",
    name: optional "name",
    r#type: optional "type",
    properties: optional "properties",
});
wire_struct!(BackendContractProperties {
    title: optional "title",
    description: optional "description",
    resource_id: optional "resourceId",
    properties: optional "properties",
    credentials: optional "credentials",
    proxy: optional "proxy",
    tls: optional "tls",
    circuit_breaker: optional "circuitBreaker",
    pool: optional "pool",
    r#type: optional "type",
    url: optional "url",
    protocol: optional "protocol",
});
wire_struct!(BackendUpdateParameters { properties: optional "properties" });
wire_struct!(BackendTlsProperties {
    validate_certificate_chain: optional "validateCertificateChain",
    validate_certificate_name: optional "validateCertificateName",
});

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn constructors_match_the_official_examples() {
        let body = BackendContract::new(BackendContractProperties::single(
            "https://backendname2644/",
            BackendProtocol::Http,
        ));
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"properties": {"url": "https://backendname2644/", "protocol": "http"}})
        );

        let mut weighted = BackendPoolItem::new("/backends/backend-1");
        weighted.weight = Some(75);
        let body = BackendContract::new(BackendContractProperties::pool([weighted]));
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"properties": {
                "type": "Pool",
                "pool": {"services": [{"id": "/backends/backend-1", "weight": 75}]}
            }})
        );

        let update = BackendUpdateParameterProperties {
            tls: Some(BackendTlsProperties {
                validate_certificate_chain: Some(false),
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(BackendUpdateParameters::new(update)).unwrap(),
            json!({"properties": {"tls": {"validateCertificateChain": false}}})
        );
    }

    #[test]
    fn unknown_enum_values_round_trip() {
        let wire = json!({
            "name": "b1",
            "properties": {"type": "Mesh", "protocol": "grpc", "url": "https://b1/"}
        });
        let backend: BackendContract = serde_json::from_value(wire.clone()).unwrap();
        let properties = backend.properties.as_ref().unwrap();
        assert_eq!(properties.r#type, Some(BackendType::Other("Mesh".into())));
        assert_eq!(
            properties.protocol,
            Some(BackendProtocol::Other("grpc".into()))
        );
        assert_eq!(serde_json::to_value(&backend).unwrap(), wire);
    }

    #[test]
    fn known_enum_values_use_their_variants() {
        let properties: BackendContractProperties =
            serde_json::from_value(json!({"type": "Single", "protocol": "soap"})).unwrap();
        assert_eq!(properties.r#type, Some(BackendType::Single));
        assert_eq!(properties.protocol, Some(BackendProtocol::Soap));
        // The match is exact: another casing is a different (unknown) value.
        assert_eq!(
            BackendProtocol::from("HTTP"),
            BackendProtocol::Other("HTTP".into())
        );
    }

    #[test]
    fn absent_fields_stay_absent_and_nulls_read_as_none() {
        for wire in [json!({}), json!({"properties": {}})] {
            let backend: BackendContract = serde_json::from_value(wire.clone()).unwrap();
            assert_eq!(serde_json::to_value(&backend).unwrap(), wire);
        }
        let backend: BackendContract = serde_json::from_value(
            json!({"properties": {"title": null, "url": null, "protocol": null, "type": "Pool"}}),
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&backend).unwrap(),
            json!({"properties": {"type": "Pool"}})
        );
    }
}
