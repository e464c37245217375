//! Reconnect an API Management backend (`Backend_Reconnect`).
//!
//! With no arguments it starts the local emulator, creates a demo backend and reconnects
//! it, so it runs anywhere with no Azure account:
//!
//! ```text
//! cargo run --example backend_reconnect
//! ```
//!
//! Against Azure (token from `APIM_ACCESS_TOKEN`, otherwise the Azure CLI or azd login):
//!
//! ```text
//! cargo run --example backend_reconnect -- --endpoint https://management.azure.com \
//!     --subscription-id <uuid> --resource-group rg1 --service-name apimService1 \
//!     --backend-id proxybackend --after PT2M
//! ```

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use apim_client::models::BackendReconnectRequest;
use apim_client::prelude::*;
use apim_client::{
    ApimClient, ApimClientOptions, Response, StaticTokenCredential, TokenCredential, duration,
};
use apim_emulator::Emulator;
use clap::Parser;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

const DEMO_SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";
const DEMO_RESOURCE_GROUP: &str = "rg1";
const DEMO_SERVICE: &str = "apimService1";
const DEMO_BACKEND: &str = "proxybackend";

#[derive(Parser, Debug)]
#[command(about = "Ask the API Management gateway to reconnect to a backend after a delay")]
struct Args {
    /// Management endpoint, e.g. https://management.azure.com. Without it, a local
    /// emulator is started and a demo backend is reconnected on it.
    #[arg(long)]
    endpoint: Option<String>,
    /// Azure subscription id (a UUID).
    #[arg(long)]
    subscription_id: Option<String>,
    /// Resource group of the API Management service.
    #[arg(long)]
    resource_group: Option<String>,
    /// Name of the API Management service.
    #[arg(long)]
    service_name: Option<String>,
    /// Backend id.
    #[arg(long)]
    backend_id: Option<String>,
    /// Delay before the gateway reconnects, as an ISO 8601 duration (PT2M, PT90S, P1D).
    /// The service uses 2 minutes when it is left out.
    #[arg(long, value_parser = parse_after)]
    after: Option<Duration>,
    /// api-version to send (default: 2024-05-01).
    #[arg(long)]
    api_version: Option<String>,
}

fn parse_after(text: &str) -> Result<Duration, String> {
    duration::parse(text)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let outcome = match args.endpoint.clone() {
        Some(endpoint) => against_endpoint(&endpoint, args).await,
        None => against_emulator(args).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The main job against a real endpoint.
async fn against_endpoint(endpoint: &str, args: Args) -> Result<(), String> {
    let required = |value: Option<String>, flag: &str| {
        value.ok_or_else(|| format!("--{flag} is required with --endpoint"))
    };
    let subscription_id = required(args.subscription_id, "subscription-id")?;
    let resource_group = required(args.resource_group, "resource-group")?;
    let service_name = required(args.service_name, "service-name")?;
    let backend_id = required(args.backend_id, "backend-id")?;
    let options = client_options(endpoint, args.api_version);
    let credential = credential()?;
    let client =
        ApimClient::new(subscription_id, credential, Some(options)).map_err(|e| e.to_string())?;
    let response = reconnect(
        &client,
        &resource_group,
        &service_name,
        &backend_id,
        args.after,
    )
    .await?;
    print_answer(&response);
    Ok(())
}

/// The main job on a fresh machine: an embedded emulator and a demo backend.
async fn against_emulator(args: Args) -> Result<(), String> {
    let emulator = Emulator::start()
        .await
        .map_err(|e| format!("cannot start the emulator: {e}"))?;
    let subscription_id = args
        .subscription_id
        .unwrap_or_else(|| DEMO_SUBSCRIPTION.to_owned());
    let resource_group = args
        .resource_group
        .unwrap_or_else(|| DEMO_RESOURCE_GROUP.to_owned());
    let service_name = args.service_name.unwrap_or_else(|| DEMO_SERVICE.to_owned());
    let backend_id = args.backend_id.unwrap_or_else(|| DEMO_BACKEND.to_owned());
    let after = args.after.or(Some(Duration::from_secs(120)));

    println!(
        "emulator:  {} (local, no Azure account needed)",
        emulator.endpoint()
    );
    let segment = |value: &str| utf8_percent_encode(value, NON_ALPHANUMERIC).to_string();
    let backend_path = format!(
        "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.ApiManagement/service/{}/backends/{}",
        segment(&subscription_id),
        segment(&resource_group),
        segment(&service_name),
        segment(&backend_id),
    );
    emulator
        .put_json(
            &backend_path,
            serde_json::json!({"url": "https://backend.example.invalid/api", "protocol": "http", "description": "demo backend"}),
        )
        .map_err(|e| e.to_string())?;
    println!("created:   demo backend `{backend_id}`");

    let credential: Arc<dyn TokenCredential> =
        Arc::new(StaticTokenCredential::new(emulator.token()));
    let options = client_options(emulator.endpoint(), args.api_version);
    let client =
        ApimClient::new(subscription_id, credential, Some(options)).map_err(|e| e.to_string())?;
    let result = reconnect(&client, &resource_group, &service_name, &backend_id, after).await;

    if let Some(request) = emulator
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.method == "POST")
    {
        let query = request
            .query
            .as_deref()
            .map(|q| format!("?{q}"))
            .unwrap_or_default();
        println!("sent:      {} {}{}", request.method, request.path, query);
        println!("body:      {}", String::from_utf8_lossy(&request.body));
    }
    let response = result?;
    print_answer(&response);
    for recorded in emulator.reconnects() {
        println!(
            "recorded:  reconnect of backend `{}` in service `{}`, after {}",
            recorded.backend_id,
            recorded.service_name,
            recorded
                .after
                .as_deref()
                .unwrap_or("(service default, PT2M)")
        );
    }
    Ok(())
}

fn client_options(endpoint: &str, api_version: Option<String>) -> ApimClientOptions {
    let defaults = ApimClientOptions::default();
    ApimClientOptions {
        endpoint: endpoint.to_owned(),
        api_version: api_version.unwrap_or(defaults.api_version.clone()),
        // Plain http is only ever accepted for loopback hosts; `ApimClient::new` refuses the rest.
        allow_http_loopback: endpoint.starts_with("http://"),
        ..defaults
    }
}

/// `APIM_ACCESS_TOKEN` if set, otherwise the developer's Azure CLI or azd login.
fn credential() -> Result<Arc<dyn TokenCredential>, String> {
    match std::env::var("APIM_ACCESS_TOKEN") {
        Ok(token) if !token.trim().is_empty() => {
            Ok(Arc::new(StaticTokenCredential::new(token.trim())))
        }
        _ => azure_identity::DeveloperToolsCredential::new(None)
            .map(|c| c as Arc<dyn TokenCredential>)
            .map_err(|e| {
                format!("no credential: set APIM_ACCESS_TOKEN or log in with `az login`: {e}")
            }),
    }
}

async fn reconnect(
    client: &ApimClient,
    resource_group: &str,
    service_name: &str,
    backend_id: &str,
    after: Option<Duration>,
) -> Result<Response<()>, String> {
    let parameters = after.map(BackendReconnectRequest::after);
    client
        .backend()
        .reconnect(
            resource_group,
            service_name,
            backend_id,
            parameters.as_ref(),
        )
        .await
        .map_err(|e| e.to_string())
}

fn print_answer(response: &Response<()>) {
    println!(
        "answer:    {} Accepted, request id {}",
        response.status(),
        response.request_id().unwrap_or("(none)")
    );
}
