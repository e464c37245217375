//! Load-balanced pools: a backend of type `Pool` routes to other backends.

use super::wire::wire_struct;

/// Backend pool information.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BackendPool {
    /// The backends that belong to the pool (at least one).
    pub services: Option<Vec<BackendPoolItem>>,
}

impl BackendPool {
    /// A pool of these backends.
    pub fn new(services: impl IntoIterator<Item = BackendPoolItem>) -> Self {
        BackendPool {
            services: Some(services.into_iter().collect()),
        }
    }
}

/// One backend in a pool.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BackendPoolItem {
    /// The ARM id of an existing backend, e.g.
    /// `/subscriptions/.../service/apimService1/backends/backend-1`.
    pub id: String,
    /// The backend's weight in the pool (0-100).
    pub weight: Option<i32>,
    /// The backend's priority in the pool (0-100).
    pub priority: Option<i32>,
}

impl BackendPoolItem {
    /// The backend with ARM id `id`, with no weight or priority.
    pub fn new(id: impl Into<String>) -> Self {
        BackendPoolItem {
            id: id.into(),
            ..Default::default()
        }
    }
}

// Read with the lenient rules of `models/wire.rs`, as the generated models are.
wire_struct!(BackendPool { services: optional "services" });
wire_struct!(BackendPoolItem {
    id: required "id",
    weight: optional "weight",
    priority: optional "priority",
});

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wire_shape() {
        let mut heavy = BackendPoolItem::new("/b/1");
        heavy.weight = Some(75);
        let mut backup = BackendPoolItem::new("/b/2");
        backup.priority = Some(2);
        assert_eq!(
            serde_json::to_value(BackendPool::new([heavy, backup])).unwrap(),
            json!({"services": [{"id": "/b/1", "weight": 75}, {"id": "/b/2", "priority": 2}]})
        );
        assert!(serde_json::from_value::<BackendPoolItem>(json!({"weight": 1})).is_err());
    }
}
