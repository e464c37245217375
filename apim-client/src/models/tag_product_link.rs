use super::wire::wire_struct;

/// A link between a tag and a product (`TagProductLinkContract`).
///
/// On the wire: `{"id","name","type","properties":{"productId"}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagProductLinkContract {
    /// The resource id (read-only).
    pub id: Option<String>,
    /// The link's name (read-only).
    pub name: Option<String>,
    /// The resource type (read-only).
    pub resource_type: Option<String>,
    /// The link's properties.
    pub properties: Option<TagProductLinkContractProperties>,
}

/// The properties of a [`TagProductLinkContract`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagProductLinkContractProperties {
    /// The full resource id of the product, e.g.
    /// `/subscriptions/../service/apimService1/products/starter`. Required.
    pub product_id: String,
}

impl TagProductLinkContract {
    /// A link to the product with the full resource id `product_id`.
    pub fn new(product_id: impl Into<String>) -> Self {
        TagProductLinkContract {
            properties: Some(TagProductLinkContractProperties {
                product_id: product_id.into(),
            }),
            ..Default::default()
        }
    }
}

// Read with the lenient rules of `models/wire.rs`, as the generated models are.
wire_struct!(TagProductLinkContract {
    id: optional "id",
    name: optional "name",
    resource_type: optional "type",
    properties: optional "properties",
});
wire_struct!(TagProductLinkContractProperties { product_id: required "productId" });

#[cfg(test)]
mod tests {
    use super::TagProductLinkContract;
    use serde_json::json;

    #[test]
    fn wire_shape() {
        let link = TagProductLinkContract::new("/products/p1");
        assert_eq!(
            serde_json::to_value(&link).unwrap(),
            json!({"properties": {"productId": "/products/p1"}})
        );
        let read: TagProductLinkContract = serde_json::from_value(json!({
            "id": "/tags/t1/productLinks/l1", "name": "l1",
            "type": "Microsoft.ApiManagement/service/tags/productLinks",
            "properties": {"productId": "/products/p1"}
        }))
        .unwrap();
        assert_eq!(read.name.as_deref(), Some("l1"));
        assert_eq!(read.properties.unwrap().product_id, "/products/p1");
    }
}
