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

/// A fresh secret as APIM writes its tokens' signatures and validation keys: `bytes` random
/// bytes in standard base64.
pub(crate) fn secret(bytes: usize) -> String {
    let mut random = Vec::with_capacity(bytes + 16);
    while random.len() < bytes {
        random.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
    }
    random.truncate(bytes);
    base64(&random)
}

/// A value that is always the same for `seed`, in the shape of [`secret`]: for what APIM
/// keeps fixed per subscription or service (a domain ownership identifier).
pub(crate) fn stable_secret(seed: &str, bytes: usize) -> String {
    let mut state = 0xcbf2_9ce4_8422_2325_u64;
    let mut out = Vec::with_capacity(bytes);
    for byte in seed.bytes().cycle().take(seed.len().max(1) * 4) {
        state = (state ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    while out.len() < bytes {
        state = (state ^ 0x9e37_79b9_7f4a_7c15).wrapping_mul(0x0100_0000_01b3);
        out.extend_from_slice(&state.to_be_bytes());
    }
    out.truncate(bytes);
    base64(&out)
}

/// `digits` lower-case hex digits, always the same for `seed`: the 24-digit ids APIM gives
/// the resources it creates itself.
pub(crate) fn stable_hex(seed: &str, digits: usize) -> String {
    let mut state = 0xcbf2_9ce4_8422_2325_u64;
    for byte in seed.bytes() {
        state = (state ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut text = String::with_capacity(digits + 16);
    while text.len() < digits {
        state = (state ^ 0x9e37_79b9_7f4a_7c15).wrapping_mul(0x0100_0000_01b3);
        text.push_str(&format!("{state:016x}"));
    }
    text.truncate(digits);
    text
}

/// Standard base64 with padding (RFC 4648 §4).
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut text = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                text.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                text.push('=');
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_follows_rfc_4648() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), expected);
        }
        assert_eq!(secret(64).len(), 88);
        assert_eq!(stable_secret("s", 32), stable_secret("s", 32));
        assert_ne!(stable_secret("s", 32), stable_secret("t", 32));
    }
}
