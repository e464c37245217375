//! The `TagProductLink_*` operations: which products carry a tag.

use crate::models::TagProductLinkContract;
use crate::{Pager, Response, Result, apim_operation};

/// The tag-product link operation group (`TagProductLink_*`), reached through
/// [`ApimClient::tag_product_link`](crate::ApimClient::tag_product_link).
pub trait TagProductLinkApi {
    /// `TagProductLink_ListByProduct`: the product links of a tag, following `nextLink`.
    /// `filter` is an OData `$filter` (`productId` with `eq`, `ne`); `top` and `skip` page
    /// through the list.
    #[apim_operation(GET, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/tags/<tag_id>/productLinks", status = [200])]
    fn list_by_product(
        &self,
        resource_group_name: &str,
        service_name: &str,
        tag_id: &str,
        #[query("$filter")] filter: Option<&str>,
        #[query("$top")] top: Option<u32>,
        #[query("$skip")] skip: Option<u32>,
    ) -> Pager<TagProductLinkContract>;

    /// `TagProductLink_Get`: one link.
    #[apim_operation(GET, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/tags/<tag_id>/productLinks/<product_link_id>", status = [200])]
    async fn get(
        &self,
        resource_group_name: &str,
        service_name: &str,
        tag_id: &str,
        product_link_id: &str,
    ) -> Result<Response<TagProductLinkContract>>;

    /// `TagProductLink_CreateOrUpdate` (PUT): links the tag to a product (201, or 200 when
    /// the link existed).
    #[apim_operation(PUT, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/tags/<tag_id>/productLinks/<product_link_id>", status = [200, 201])]
    async fn create_or_update(
        &self,
        resource_group_name: &str,
        service_name: &str,
        tag_id: &str,
        product_link_id: &str,
        #[body] parameters: &TagProductLinkContract,
    ) -> Result<Response<TagProductLinkContract>>;

    /// `TagProductLink_Delete`: 200 when deleted, 204 when there was nothing to delete.
    #[apim_operation(DELETE, "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/providers/Microsoft.ApiManagement/service/<service_name>/tags/<tag_id>/productLinks/<product_link_id>", status = [200, 204])]
    async fn delete(
        &self,
        resource_group_name: &str,
        service_name: &str,
        tag_id: &str,
        product_link_id: &str,
    ) -> Result<Response<()>>;
}
