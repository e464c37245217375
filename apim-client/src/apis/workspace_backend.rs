//! The `WorkspaceBackend_*` operations: the backends of one workspace of a service.

use crate::models::{BackendContract, BackendUpdateParameters};
use crate::{Pager, Response, Result, apim_operation};

/// The workspace backend operation group (`WorkspaceBackend_*`), reached through
/// [`ApimClient::workspace_backend`](crate::ApimClient::workspace_backend).
pub trait WorkspaceBackendApi {
    /// `WorkspaceBackend_ListByWorkspace`: the backends of a workspace, following
    /// `nextLink`. `filter` is an OData `$filter` (`name`, `title`, `url`); `top` and
    /// `skip` page through the list.
    #[apim_operation(GET, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/workspaces/<workspace_id>/backends", status = [200])]
    fn list_by_workspace(
        &self,
        resource_group_name: &str,
        service_name: &str,
        workspace_id: &str,
        #[query("$filter")] filter: Option<&str>,
        #[query("$top")] top: Option<u32>,
        #[query("$skip")] skip: Option<u32>,
    ) -> Pager<BackendContract>;

    /// `WorkspaceBackend_GetEntityTag` (HEAD): the backend's ETag only.
    #[apim_operation(HEAD, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/workspaces/<workspace_id>/backends/<backend_id>", status = [200])]
    async fn get_entity_tag(
        &self,
        resource_group_name: &str,
        service_name: &str,
        workspace_id: &str,
        backend_id: &str,
    ) -> Result<Response<()>>;

    /// `WorkspaceBackend_Get`: the backend and its ETag.
    #[apim_operation(GET, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/workspaces/<workspace_id>/backends/<backend_id>", status = [200])]
    async fn get(
        &self,
        resource_group_name: &str,
        service_name: &str,
        workspace_id: &str,
        backend_id: &str,
    ) -> Result<Response<BackendContract>>;

    /// `WorkspaceBackend_CreateOrUpdate` (PUT): creates (201) or replaces (200) the
    /// backend; with `if_match`, only if its ETag still matches (`*` for any).
    #[apim_operation(PUT, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/workspaces/<workspace_id>/backends/<backend_id>", status = [200, 201])]
    async fn create_or_update(
        &self,
        resource_group_name: &str,
        service_name: &str,
        workspace_id: &str,
        backend_id: &str,
        #[body] parameters: &BackendContract,
        #[header("If-Match")] if_match: Option<&str>,
    ) -> Result<Response<BackendContract>>;

    /// `WorkspaceBackend_Update` (PATCH): changes the given properties if the ETag still
    /// matches `if_match` (`*` for any); a stale ETag fails with 412.
    #[apim_operation(PATCH, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/workspaces/<workspace_id>/backends/<backend_id>", status = [200])]
    async fn update(
        &self,
        resource_group_name: &str,
        service_name: &str,
        workspace_id: &str,
        backend_id: &str,
        #[header("If-Match")] if_match: &str,
        #[body] parameters: &BackendUpdateParameters,
    ) -> Result<Response<BackendContract>>;

    /// `WorkspaceBackend_Delete`: 200 when deleted, 204 when there was nothing to delete.
    #[apim_operation(DELETE, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/workspaces/<workspace_id>/backends/<backend_id>", status = [200, 204])]
    async fn delete(
        &self,
        resource_group_name: &str,
        service_name: &str,
        workspace_id: &str,
        backend_id: &str,
        #[header("If-Match")] if_match: &str,
    ) -> Result<Response<()>>;
}
