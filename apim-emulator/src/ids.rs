//! Random identifiers: request ids and the per-instance bearer token.

/// A fresh request id in the UUID form ARM uses.
pub(crate) fn request_id() -> String {
    uuid::Uuid::new_v4().hyphenated().to_string()
}

/// A token no other emulator instance accepts: `emulator-` and 32 hex digits.
pub(crate) fn token() -> String {
    format!("emulator-{}", uuid::Uuid::new_v4().simple())
}

/// A fresh subscription or gateway key: 32 hex digits, as APIM's keys look.
pub(crate) fn key() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}
