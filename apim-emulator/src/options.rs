//! How an emulator starts: [`EmulatorOptions`], and the names of the service it is seeded
//! with by default.

use crate::throttle::ThrottleOptions;

/// The subscription of the service a default emulator has ([`DEFAULT_SERVICE_PATH`]);
/// also the one the REST description's examples use.
pub const DEFAULT_SUBSCRIPTION_ID: &str = "00000000-0000-0000-0000-000000000000";
/// The resource group of the default service.
pub const DEFAULT_RESOURCE_GROUP: &str = "rg1";
/// The name of the default service.
pub const DEFAULT_SERVICE_NAME: &str = "apimService1";
/// The path of the service a default emulator has from its start, ready to use:
/// `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1`.
pub const DEFAULT_SERVICE_PATH: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1";

/// How [`Emulator::start_with`](crate::Emulator::start_with) starts. Fill what you need,
/// `..Default::default()` for the rest; every field is also a flag of the binary
/// (`apim-emulator --help`).
#[derive(Clone, Debug)]
pub struct EmulatorOptions {
    /// The port on 127.0.0.1; `0` (the default) picks a free one. Only loopback is bound.
    pub port: u16,
    /// Start with the service at [`DEFAULT_SERVICE_PATH`] (publisher `Contoso`,
    /// `admin@contoso.com`), so a client can call it at once. Default: `true`.
    pub default_service: bool,
    /// Each service created (by a request, a seed, or the default one) gets what APIM
    /// creates in a new instance: the system groups, the administrator, the Starter and
    /// Unlimited products, the Echo API, the email templates, the notifications, the
    /// portal settings and the global policy. Default: `true`. Without, a service has only
    /// what no API call can create or delete (tenant access, the portal configuration, the
    /// tenant settings).
    pub built_ins: bool,
    /// How many polls of a long-running operation answer "in progress" before it completes
    /// ([`Emulator::set_lro_polls`](crate::Emulator::set_lro_polls)). Default: 2.
    pub lro_polls: u32,
    /// The `Retry-After` seconds of long-running operations
    /// ([`Emulator::set_lro_retry_after`](crate::Emulator::set_lro_retry_after)); `None`
    /// sends none. Default: `Some(0)`: poll again at once, which apim-client honours on a
    /// loopback endpoint (and azure-core everywhere), so a test never sleeps for seconds.
    pub lro_retry_after: Option<u64>,
    /// Also write each answered request to this file, one JSON object a line
    /// ([`RecordedRequest::to_json`](crate::RecordedRequest::to_json)), as it is answered.
    /// Default: none (the in-process log, [`Emulator::requests`](crate::Emulator::requests), is always kept).
    pub request_log: Option<std::path::PathBuf>,
    /// Throttle as Azure Resource Manager does ([`ThrottleOptions::arm`], or scaled
    /// sizes): per subscription, principal and kind, 429 `SubscriptionRequestsThrottled`
    /// with `Retry-After` when a bucket is empty, and `x-ms-ratelimit-remaining-*` on every
    /// answer ([`Emulator::set_throttle`](crate::Emulator::set_throttle)). Default: `None`,
    /// no throttling.
    pub throttle: Option<ThrottleOptions>,
}

impl Default for EmulatorOptions {
    fn default() -> Self {
        EmulatorOptions {
            port: 0,
            default_service: true,
            built_ins: true,
            lro_polls: 2,
            lro_retry_after: Some(0),
            request_log: None,
            throttle: None,
        }
    }
}

impl EmulatorOptions {
    /// No service, and services created without APIM's built-in content: for tests that
    /// count what they created.
    pub fn empty() -> Self {
        EmulatorOptions {
            default_service: false,
            built_ins: false,
            ..EmulatorOptions::default()
        }
    }
}
