//! Request and response models, after `shared/spec/apimanagement-2024-05-01/definitions.json`.

mod backend_reconnect;

pub use backend_reconnect::BackendReconnectRequest;
