#!/usr/bin/env bash
# A user program calling one operation (Backend_Reconnect), built in release from nothing
# (dependencies included), with apim-client and with the old generated crate
# azure_mgmt_apimanagement 0.21.0, in the same run: binary size (as built, and stripped),
# peak memory of the build (the largest single process: rustc), wall and CPU seconds.
# Then the shipped example (`cargo build --release --example backend_reconnect`, which
# embeds the emulator and every area) for reference.
#
#   bash benches/release_size.sh            # the two user programs and the example
#   bash benches/release_size.sh --no-example
#
# The projects are written under target/release-size/, each with its own target
# directory; the first run downloads the old crate and its dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$root/target/release-size
mkdir -p "$work/apim-user/src" "$work/old-user/src"

cat > "$work/apim-user/Cargo.toml" <<TOML
[package]
name = "apim-user"
version = "0.1.0"
edition = "2024"

[dependencies]
apim-client = { path = "$root/apim-client" }
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }

[workspace]
TOML
cp "$root/Cargo.lock" "$work/apim-user/Cargo.lock"
cat > "$work/apim-user/src/main.rs" <<'RS'
//! Backend_Reconnect with apim-client: `apim-user ENDPOINT SUBSCRIPTION RG SERVICE BACKEND`,
//! the token in APIM_ACCESS_TOKEN.
use std::sync::Arc;

use apim_client::apis::BackendReconnectApi;
use apim_client::{ApimClient, ApimClientOptions, StaticTokenCredential};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [endpoint, subscription, rg, service, backend] = &args[..] else {
        return Err("usage: apim-user ENDPOINT SUBSCRIPTION RG SERVICE BACKEND".into());
    };
    let token = std::env::var("APIM_ACCESS_TOKEN")?;
    let options = ApimClientOptions { endpoint: endpoint.clone(), ..Default::default() };
    let client = ApimClient::new(subscription, Arc::new(StaticTokenCredential::new(token)), Some(options))?;
    client.backend_reconnect(rg, service, backend, None).await?;
    Ok(())
}
RS

cat > "$work/old-user/Cargo.toml" <<'TOML'
[package]
name = "old-user"
version = "0.1.0"
edition = "2021"

[dependencies]
azure_mgmt_apimanagement = "=0.21.0"
azure_core = "0.21"
async-trait = "0.1"
time = "0.3"
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }

[workspace]
TOML
cat > "$work/old-user/src/main.rs" <<'RS'
//! Backend_Reconnect with azure_mgmt_apimanagement 0.21: the same program.
use std::sync::Arc;

use azure_core::auth::{AccessToken, Secret, TokenCredential};

#[derive(Debug)]
struct Token(String);

#[async_trait::async_trait]
impl TokenCredential for Token {
    async fn get_token(&self, _: &[&str]) -> azure_core::Result<AccessToken> {
        let expires = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
        Ok(AccessToken::new(Secret::new(self.0.clone()), expires))
    }
    async fn clear_cache(&self) -> azure_core::Result<()> {
        Ok(())
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [endpoint, subscription, rg, service, backend] = &args[..] else {
        return Err("usage: old-user ENDPOINT SUBSCRIPTION RG SERVICE BACKEND".into());
    };
    let token = std::env::var("APIM_ACCESS_TOKEN")?;
    let client = azure_mgmt_apimanagement::Client::builder(Arc::new(Token(token)))
        .endpoint(azure_core::Url::parse(endpoint)?)
        .build()?;
    client
        .backend_client()
        .reconnect(rg, service, backend, subscription)
        .send()
        .await?;
    Ok(())
}
RS

# measure LABEL DIR BINARY CARGO-ARGS...: a release build from an empty target directory;
# prints its row.
measure() {
    local label=$1 dir=$2 binary=$3
    shift 3
    # Each program its own target directory, under target/release-size/.
    local target
    target=$work/target-$(basename "$binary")
    rm -rf "$target"
    (cd "$dir" && cargo fetch -q)
    local stats
    stats=$(cd "$dir" && CARGO_TARGET_DIR=$target /usr/bin/time -f '%M %e %U %S' \
        cargo build -q --release "$@" 2>&1 >/dev/null | tail -1)
    read -r peak_kib wall user sys <<<"$stats"
    local file=$target/release/$binary
    local size stripped
    size=$(stat -c %s "$file")
    strip -o "$target/stripped" "$file"
    # Shared libraries it needs beyond the C runtime (the old crate links the system's
    # OpenSSL): their sizes belong to what is shipped.
    local shared=0 lib
    for lib in $(ldd "$file" | awk '/=>/ { print $3 }' | grep -Ev '/lib(c|m|gcc_s|pthread|dl|rt)\.so'); do
        shared=$((shared + $(stat -L -c %s "$lib")))
    done
    stripped=$(stat -c %s "$target/stripped")
    awk -v l="$label" -v s="$size" -v t="$stripped" -v d="$shared" -v m="$peak_kib" -v w="$wall" -v u="$user" -v y="$sys" \
        'BEGIN { printf "| %-44s | %6.2f MiB | %6.2f MiB | %6.2f MiB | %6.0f MiB | %6.1f s | %6.1f s |\n", l, s/1048576, t/1048576, d/1048576, m/1024, w, u+y }'
}

echo "| program | binary | stripped | shared libraries it needs | peak build memory | wall | CPU |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
measure "user program, apim-client (default features)" "$work/apim-user" apim-user
measure "user program, azure_mgmt_apimanagement 0.21" "$work/old-user" old-user
if [ "${1:-}" != "--no-example" ]; then
    (cd "$root" && cargo fetch -q)
    measure "examples/backend_reconnect (emulator, full)" "$root" examples/backend_reconnect --example backend_reconnect
fi
