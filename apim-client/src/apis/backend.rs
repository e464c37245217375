//! The `Backend_*` operations.

use crate::models::{BackendContract, BackendReconnectRequest, BackendUpdateParameters};
use crate::{Pager, Response, Result, apim_operation};

/// The backend operation group (`Backend_*`), reached through
/// [`ApimClient::backend`](crate::ApimClient::backend).
pub trait BackendApi {
    /// `Backend_ListByService`: the backends of a service, following `nextLink`.
    /// `filter` is an OData `$filter` (`name`, `title` and `url` support `eq`, `ne`,
    /// `gt`, `lt`, `substringof`, `contains`, `startswith`, `endswith`); `top` (at least 1)
    /// and `skip` page through the list.
    #[apim_operation(GET, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/backends", status = [200])]
    fn list_by_service(
        &self,
        resource_group_name: &str,
        service_name: &str,
        #[query("$filter")] filter: Option<&str>,
        #[query("$top")] top: Option<u32>,
        #[query("$skip")] skip: Option<u32>,
    ) -> Pager<BackendContract>;

    /// `Backend_Get`: the backend and, in the response's [`etag`](Response::etag), its
    /// current ETag for a later conditional update or delete.
    #[apim_operation(GET, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/backends/<backend_id>", status = [200])]
    async fn get(
        &self,
        resource_group_name: &str,
        service_name: &str,
        backend_id: &str,
    ) -> Result<Response<BackendContract>>;

    /// `Backend_GetEntityTag` (HEAD): the backend's ETag only, in the response's
    /// [`etag`](Response::etag).
    #[apim_operation(HEAD, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/backends/<backend_id>", status = [200])]
    async fn get_entity_tag(
        &self,
        resource_group_name: &str,
        service_name: &str,
        backend_id: &str,
    ) -> Result<Response<()>>;

    /// `Backend_CreateOrUpdate` (PUT): creates the backend (201) or replaces it (200).
    /// With `if_match`, only replaces the backend if its ETag still matches (`*` for any).
    #[apim_operation(PUT, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/backends/<backend_id>", status = [200, 201])]
    async fn create_or_update(
        &self,
        resource_group_name: &str,
        service_name: &str,
        backend_id: &str,
        #[body] parameters: &BackendContract,
        #[header("If-Match")] if_match: Option<&str>,
    ) -> Result<Response<BackendContract>>;

    /// `Backend_Update` (PATCH): changes the given properties, if the backend's ETag still
    /// matches `if_match` (`*` for any); a stale ETag fails with 412 `PreconditionFailed`.
    #[apim_operation(PATCH, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/backends/<backend_id>", status = [200])]
    async fn update(
        &self,
        resource_group_name: &str,
        service_name: &str,
        backend_id: &str,
        #[header("If-Match")] if_match: &str,
        #[body] parameters: &BackendUpdateParameters,
    ) -> Result<Response<BackendContract>>;

    /// `Backend_Delete`: deletes the backend if its ETag still matches `if_match` (`*` for
    /// any). 200 when deleted, 204 when there was nothing to delete.
    #[apim_operation(DELETE, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/backends/<backend_id>", status = [200, 204])]
    async fn delete(
        &self,
        resource_group_name: &str,
        service_name: &str,
        backend_id: &str,
        #[header("If-Match")] if_match: &str,
    ) -> Result<Response<()>>;

    /// `Backend_Reconnect` (POST, 202): notifies the API Management gateway to create a
    /// new connection to the backend after `parameters.after`, or after 2 minutes when
    /// `parameters` is `None` (then no body is sent). Safe to retry: a repeated reconnect
    /// only schedules the same reconnect.
    #[apim_operation(POST, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/backends/<backend_id>/reconnect", status = [202])]
    async fn reconnect(
        &self,
        resource_group_name: &str,
        service_name: &str,
        backend_id: &str,
        #[body] parameters: Option<&BackendReconnectRequest>,
    ) -> Result<Response<()>>;
}
