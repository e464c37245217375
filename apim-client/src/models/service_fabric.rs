//! Type-specific backend properties: today only Service Fabric clusters.

use super::wire::wire_struct;

/// Properties specific to the backend type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BackendProperties {
    /// Service Fabric cluster properties.
    pub service_fabric_cluster: Option<BackendServiceFabricClusterProperties>,
}

impl BackendProperties {
    /// The properties of a Service Fabric backend.
    pub fn service_fabric(cluster: BackendServiceFabricClusterProperties) -> Self {
        BackendProperties {
            service_fabric_cluster: Some(cluster),
        }
    }
}

/// Properties of a Service Fabric backend.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BackendServiceFabricClusterProperties {
    /// The client certificate id for the management endpoint.
    pub client_certificate_id: Option<String>,
    /// The client certificate thumbprint for the management endpoint; ignored if
    /// `client_certificate_id` is set. (The wire name is `clientCertificatethumbprint`.)
    pub client_certificate_thumbprint: Option<String>,
    /// Maximum number of retries while resolving the partition.
    pub max_partition_resolution_retries: Option<i32>,
    /// The cluster management endpoints.
    pub management_endpoints: Vec<String>,
    /// Thumbprints of the certificates the cluster management service uses for TLS.
    pub server_certificate_thumbprints: Option<Vec<String>>,
    /// Server X509 certificate names.
    pub server_x509_names: Option<Vec<X509CertificateName>>,
}

impl BackendServiceFabricClusterProperties {
    /// A cluster reached through these management endpoints.
    pub fn new(management_endpoints: impl IntoIterator<Item = impl Into<String>>) -> Self {
        BackendServiceFabricClusterProperties {
            management_endpoints: management_endpoints.into_iter().map(Into::into).collect(),
            ..Default::default()
        }
    }
}

/// A server X509 certificate name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct X509CertificateName {
    /// Common name of the certificate.
    pub name: Option<String>,
    /// Thumbprint of the certificate's issuer.
    pub issuer_certificate_thumbprint: Option<String>,
}

// Read with the lenient rules of `models/wire.rs`, as the generated models are.
wire_struct!(BackendProperties { service_fabric_cluster: optional "serviceFabricCluster" });
wire_struct!(BackendServiceFabricClusterProperties {
    client_certificate_id: optional "clientCertificateId",
    client_certificate_thumbprint: optional "clientCertificatethumbprint",
    max_partition_resolution_retries: optional "maxPartitionResolutionRetries",
    management_endpoints: required "managementEndpoints",
    server_certificate_thumbprints: optional "serverCertificateThumbprints",
    server_x509_names: optional "serverX509Names",
});
wire_struct!(X509CertificateName {
    name: optional "name",
    issuer_certificate_thumbprint: optional "issuerCertificateThumbprint",
});

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wire_names_follow_the_spec() {
        let mut cluster = BackendServiceFabricClusterProperties::new(["https://somecluster.com"]);
        cluster.client_certificate_thumbprint = Some("AB12".into());
        cluster.max_partition_resolution_retries = Some(5);
        cluster.server_certificate_thumbprints = Some(vec!["CD34".into()]);
        cluster.server_x509_names = Some(vec![X509CertificateName {
            name: Some("ServerCommonName1".into()),
            issuer_certificate_thumbprint: Some("EF56".into()),
        }]);
        let wire = json!({
            "serviceFabricCluster": {
                "clientCertificatethumbprint": "AB12",
                "maxPartitionResolutionRetries": 5,
                "managementEndpoints": ["https://somecluster.com"],
                "serverCertificateThumbprints": ["CD34"],
                "serverX509Names": [
                    {"name": "ServerCommonName1", "issuerCertificateThumbprint": "EF56"}
                ]
            }
        });
        let properties = BackendProperties::service_fabric(cluster);
        assert_eq!(serde_json::to_value(&properties).unwrap(), wire);
        assert_eq!(
            serde_json::from_value::<BackendProperties>(wire).unwrap(),
            properties
        );
    }

    #[test]
    fn management_endpoints_are_required() {
        let err =
            serde_json::from_value::<BackendServiceFabricClusterProperties>(json!({})).unwrap_err();
        assert!(err.to_string().contains("managementEndpoints"), "{err}");
    }
}
