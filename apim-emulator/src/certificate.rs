//! An uploaded certificate read as APIM reads it: `data` (base64) is a PFX opened with
//! `password`, or, without a password, a CER (DER, or PEM); what is kept is the leaf
//! certificate's `subject` (most specific name first, as .NET writes it), `thumbprint` (SHA-1
//! of the DER, upper-case hex) and `expirationDate`. The data and password are never stored.
//!
//! PKCS#12 is read with `p12-keystore` (pure Rust, maintained, legacy and PBES2 schemes),
//! X.509 with `x509-parser` (which it builds on).

use base64::Engine as _;
use serde_json::Value;
use sha1::{Digest, Sha1};
use x509_parser::prelude::{FromDer, X509Certificate, X509Name};

use crate::error::ArmError;
use crate::path::ArmPath;

/// Whether `path` is a certificate of a service or workspace (`.../certificates/{id}`).
pub(crate) fn is_certificate(path: &ArmPath) -> bool {
    let kinds: Vec<String> = path.pairs.iter().map(|(k, _)| k.to_lowercase()).collect();
    path.tail.is_none()
        && matches!(
            kinds
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .as_slice(),
            ["service", "certificates"] | ["service", "workspaces", "certificates"]
        )
}

/// The properties a certificate PUT stores: with `data`, the certificate read from it (and
/// `data`/`password` dropped); a Key Vault certificate (`keyVault`) as sent. A 400
/// `ValidationError` when the data is not a certificate or the password does not open it.
pub(crate) fn read_upload(properties: Value) -> Result<Value, ArmError> {
    let Value::Object(mut map) = properties else {
        return Ok(properties);
    };
    let data = map.remove("data");
    let password = map.remove("password");
    let Some(data) = data else {
        return Ok(Value::Object(map));
    };
    let Value::String(data) = data else {
        return Err(invalid_data("'data' must be a base64-encoded string."));
    };
    let password = match password {
        None | Some(Value::Null) => None,
        Some(Value::String(password)) => Some(password),
        Some(_) => {
            return Err(ArmError::validation(
                "password",
                "'password' must be a string.",
            ));
        }
    };
    let facts = read(&data, password.as_deref())?;
    for (name, value) in facts {
        map.insert(name.to_string(), value.into());
    }
    Ok(Value::Object(map))
}

/// `subject`, `thumbprint` and `expirationDate` of the certificate in `data`.
fn read(data: &str, password: Option<&str>) -> Result<[(&'static str, String); 3], ArmError> {
    let compact: String = data.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|_| invalid_data("'data' is not valid base64."))?;
    let der = match password {
        Some(password) => match pfx_leaf(&bytes, password) {
            Ok(der) => der,
            // A CER sent with a password: the password has nothing to open.
            Err(_) if X509Certificate::from_der(&bytes).is_ok() => bytes,
            Err(error) => return Err(error),
        },
        None => cer(&bytes).or_else(|error| pfx_leaf(&bytes, "").map_err(|_| error))?,
    };
    let (_, certificate) = X509Certificate::from_der(&der)
        .map_err(|_| invalid_data("The certificate in 'data' could not be read."))?;
    Ok([
        ("subject", dotnet_subject(certificate.subject())),
        ("thumbprint", thumbprint(&der)),
        (
            "expirationDate",
            date_time(certificate.validity().not_after.timestamp()),
        ),
    ])
}

/// The leaf certificate of a PFX: the first of its key's chain, else its first certificate.
fn pfx_leaf(bytes: &[u8], password: &str) -> Result<Vec<u8>, ArmError> {
    use p12_keystore::{KeyStore, KeyStoreEntry, Pkcs12ImportPolicy};
    let store =
        KeyStore::from_pkcs12(bytes, password, Pkcs12ImportPolicy::Relaxed).map_err(|error| {
            match error {
                p12_keystore::error::Error::MacError(_) => ArmError::validation(
                    "password",
                    "The password is incorrect for the certificate in 'data'.",
                ),
                _ => invalid_data(
                    "'data' is not a PFX (PKCS#12) the password opens, nor a CER certificate.",
                ),
            }
        })?;
    if let Some(certificate) = store
        .private_key_chain()
        .and_then(|(_, chain)| chain.certs().first())
    {
        return Ok(certificate.as_der().to_vec());
    }
    store
        .entries()
        .find_map(|(_, entry)| match entry {
            KeyStoreEntry::Certificate(certificate) => Some(certificate.as_der().to_vec()),
            _ => None,
        })
        .ok_or_else(|| invalid_data("The PFX in 'data' holds no certificate."))
}

/// A CER: DER, or PEM (`-----BEGIN CERTIFICATE-----`) inside the base64.
fn cer(bytes: &[u8]) -> Result<Vec<u8>, ArmError> {
    if X509Certificate::from_der(bytes).is_ok() {
        return Ok(bytes.to_vec());
    }
    if let Ok((_, pem)) = x509_parser::pem::parse_x509_pem(bytes)
        && pem.label == "CERTIFICATE"
        && X509Certificate::from_der(&pem.contents).is_ok()
    {
        return Ok(pem.contents);
    }
    Err(invalid_data(
        "'data' is not a CER certificate; a PFX needs its 'password'.",
    ))
}

/// `CN=leaf, O=Org, C=US`: the relative names in reverse order, as `X509Certificate.Subject`
/// in .NET (and so APIM) writes them.
fn dotnet_subject(name: &X509Name<'_>) -> String {
    let mut reversed: Vec<_> = name.iter_rdn().cloned().collect();
    reversed.reverse();
    X509Name::new(reversed, name.as_raw()).to_string()
}

fn thumbprint(der: &[u8]) -> String {
    Sha1::digest(der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

/// Seconds since the epoch as `2017-04-23T17:03:41Z`; before 1970 as the epoch.
fn date_time(seconds: i64) -> String {
    let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds.max(0).unsigned_abs());
    let full = crate::rfc3339::format(at);
    match full.split_once('.') {
        Some((whole, _)) => format!("{whole}Z"),
        None => full,
    }
}

fn invalid_data(message: &str) -> ArmError {
    ArmError::validation("data", message)
}
