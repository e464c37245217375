//! `Backend_Reconnect` on the client itself, in its first call shape.

use crate::models::BackendReconnectRequest;
use crate::{ApimClient, Result, apim_operation};

/// `Backend_Reconnect` on the client itself, always compiled, returning `Result<()>`. The
/// same operation is [`BackendApi::reconnect`](crate::apis::BackendApi::reconnect) on
/// `client.backend()` (the `backends` feature, on by default), which returns the answer's
/// [`Response`](crate::Response) like every operation of a group.
pub trait BackendReconnectApi {
    /// Notifies the API Management gateway to create a new connection to the backend after
    /// the given delay (`parameters.after`), or after 2 minutes when `parameters` is `None`
    /// (then no body is sent). The service answers 202 Accepted.
    ///
    /// Refused before sending: a resource group name, service name or backend id that
    /// breaks the service's documented constraints, and an `after` the service cannot
    /// represent. Safe to retry: a repeated reconnect only schedules the same reconnect.
    #[apim_operation(POST, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/backends/<backend_id>/reconnect", operation_id = "Backend_Reconnect", status = [202])]
    async fn backend_reconnect(
        &self,
        resource_group_name: &str,
        service_name: &str,
        backend_id: &str,
        #[body] parameters: Option<&BackendReconnectRequest>,
    ) -> Result<()>;
}

impl BackendReconnectApi for ApimClient {}
