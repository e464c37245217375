//! The APIM operations this crate ships.
//!
//! Each operation group is a trait of `#[apim_operation]` declarations (`BackendApi`),
//! implemented for the group's handle only (`BackendOperations`), which
//! `client.backend()` returns. So every group can be in scope at once
//! (`use apim_client::prelude::*;`) and `client.backend().get(..)` is never ambiguous
//! with another group's `get`. Handles are cheap: a clone of the client.
//!
//! Every shipped operation returns [`Response<T>`](crate::Response) (status, headers and
//! model; `.into_model()` for the model alone), a [`Pager<T>`](crate::Pager) for lists;
//! the one exception is the seed's [`BackendReconnectApi::backend_reconnect`].

mod backend;
mod backend_reconnect;
mod tag_product_link;
mod workspace_backend;

pub use backend::BackendApi;
pub use backend_reconnect::BackendReconnectApi;
pub use tag_product_link::TagProductLinkApi;
pub use workspace_backend::WorkspaceBackendApi;

use crate::ApimClient;

/// Declares each group's handle type, its accessor on [`ApimClient`] and the trait impl:
/// `accessor => Handle: Trait, "Group"`.
macro_rules! operation_groups {
    ($( $accessor:ident => $handle:ident: $api:ident, $group:literal; )*) => {
        impl ApimClient {
            $(
                #[doc = concat!("The `", $group, "_*` operations: [`", stringify!($api), "`].")]
                pub fn $accessor(&self) -> $handle {
                    $handle { client: self.clone() }
                }
            )*
        }

        $(
            #[doc = concat!("The handle of the `", $group, "_*` operations; see [`", stringify!($api), "`].")]
            #[derive(Clone, Debug)]
            pub struct $handle {
                client: ApimClient,
            }

            impl AsRef<ApimClient> for $handle {
                fn as_ref(&self) -> &ApimClient {
                    &self.client
                }
            }

            impl $api for $handle {}
        )*
    };
}

operation_groups! {
    backend => BackendOperations: BackendApi, "Backend";
    tag_product_link => TagProductLinkOperations: TagProductLinkApi, "TagProductLink";
    workspace_backend => WorkspaceBackendOperations: WorkspaceBackendApi, "WorkspaceBackend";
}
