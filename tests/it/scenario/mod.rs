//! The conformance scenario, run by our own client: every group that can create and read
//! a resource goes through create, get, entity tag, list, update and delete against an
//! in-process emulator, parents first, through the shipped group handles and typed models.
//!
//! `generated.rs` is written by `cargo run -p apim-codegen` from the description and
//! `conformance/bodies.json`, the plan the official Python SDK runs in
//! `conformance/scenario.py`; both clients see the same behaviour. Each step is recorded;
//! the test prints the per-group table and fails if any step failed.

mod computed;
mod generated;
mod top_level;
mod views;

use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;

use apim_client::prelude::*;
use apim_client::{ApimClient, ApimClientOptions, PollingOptions, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::common;

pub(crate) const RG: &str = "conformance-rg";
pub(crate) const SVC: &str = "conformance-svc";

/// The client, what each step gave, and the parents created so far (in order).
pub(crate) struct Run {
    pub(crate) client: ApimClient,
    results: Vec<(&'static str, String, Option<String>)>,
    parents: Vec<&'static str>,
}

impl Run {
    /// Runs one step and records it: passed, or failed with its reason.
    pub(crate) async fn step<T>(
        &mut self,
        group: &'static str,
        step: &str,
        action: impl Future<Output = Result<T, String>>,
    ) -> Option<T> {
        let outcome = action.await;
        let (value, error) = match outcome {
            Ok(value) => (Some(value), None),
            Err(error) => (None, Some(error)),
        };
        self.results.push((group, step.to_owned(), error));
        value
    }

    /// True the first time `group`'s parent instance is asked for.
    pub(crate) fn begin_parent(&mut self, group: &'static str) -> bool {
        if self.parents.contains(&group) {
            return false;
        }
        self.parents.push(group);
        true
    }

    /// The groups driven by a passing step: a row named after the group whose steps all
    /// passed, or a passing step that calls the group's operation (`api_wikis.list` in the
    /// row `api_wiki`).
    fn covered<'a>(&self, groups: &'a [String]) -> Vec<&'a str> {
        let failed: Vec<&str> = self
            .results
            .iter()
            .filter(|r| r.2.is_some())
            .map(|r| r.0)
            .collect();
        let mut named: Vec<&str> = self
            .results
            .iter()
            .map(|r| r.0)
            .filter(|g| !failed.contains(g))
            .collect();
        named.extend(
            self.results
                .iter()
                .filter(|r| r.2.is_none())
                .map(|r| r.1.split('.').next().unwrap_or_default()),
        );
        groups
            .iter()
            .map(String::as_str)
            .filter(|g| named.contains(g))
            .collect()
    }

    /// `group | steps | passed`, in the order the groups ran, and the failures.
    fn table(&self) -> (String, Vec<String>) {
        let mut order: Vec<&str> = Vec::new();
        let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        let mut failures = Vec::new();
        for (group, step, error) in &self.results {
            if !order.contains(group) {
                order.push(group);
            }
            let entry = counts.entry(group).or_default();
            entry.0 += 1;
            match error {
                None => entry.1 += 1,
                Some(error) => failures.push(format!("{group}.{step}: {error}")),
            }
        }
        let mut table = String::from("| group | steps | passed |\n|---|---:|---:|\n");
        for group in order {
            let (steps, passed) = counts[group];
            table.push_str(&format!("| {group} | {steps} | {passed} |\n"));
        }
        let passed = self.results.iter().filter(|r| r.2.is_none()).count();
        table.push_str(&format!(
            "| **total** | **{}** | **{passed}** |\n",
            self.results.len()
        ));
        (table, failures)
    }
}

/// The description's group names (the SDK's attributes; its one group without one is the
/// client's own `perform_connectivity_check`), as `conformance/scenario.py` counts them.
fn description_groups() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/codegen/description/apim-2024-05-01.json"
    );
    let text = std::fs::read_to_string(path).expect("the checked-in description");
    let description: Value = serde_json::from_str(&text).expect("the description is JSON");
    description["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            g["attribute"]
                .as_str()
                .unwrap_or("perform_connectivity_check")
                .to_owned()
        })
        .collect()
}

/// `text` (wire JSON) as the model the call takes.
pub(crate) fn body<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| format!("the body does not decode as the model: {e}"))
}

/// The update body, whose every leaf must read back.
pub(crate) fn wanted(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// The checks each step makes on what the client returned.
pub(crate) mod check {
    use super::*;

    pub(crate) fn error(e: apim_client::Error) -> String {
        format!("{e}")
    }

    fn json<T: Serialize>(model: &T) -> Result<Value, String> {
        serde_json::to_value(model).map_err(|e| e.to_string())
    }

    /// ARM names are case-insensitive: a built-in (`ApplicationApprovedNotificationMessage`)
    /// keeps its casing whatever casing a request names it with.
    fn same_name(found: &Value, name: &str) -> bool {
        found
            .as_str()
            .is_some_and(|found| found.eq_ignore_ascii_case(name))
    }

    fn name_is(resource: &Value, name: &str) -> Result<(), String> {
        if !same_name(&resource["name"], name) {
            return Err(format!("name {} (expected {name:?})", resource["name"]));
        }
        Ok(())
    }

    /// A plain create: 201 or 200 (a replaced singleton), with the resource's name.
    pub(crate) fn created<T: Serialize>(
        answer: apim_client::Result<Response<T>>,
        name: &str,
    ) -> Result<(), String> {
        let answer = answer.map_err(error)?;
        if ![200, 201].contains(&answer.status()) {
            return Err(format!("status {}", answer.status()));
        }
        name_is(&json(answer.model())?, name)
    }

    /// A long-running create, polled to its end: the final answer's resource has the name.
    pub(crate) fn finished<T: Serialize>(
        answer: apim_client::Result<Response<T>>,
        name: &str,
    ) -> Result<(), String> {
        name_is(&json(answer.map_err(error)?.model())?, name)
    }

    /// A get: 200, the name, an id under the service, and the ETag (where the
    /// description declares one); gives the ETag.
    pub(crate) fn got<T: Serialize>(
        answer: apim_client::Result<Response<T>>,
        name: &str,
        declares_etag: bool,
    ) -> Result<Option<String>, String> {
        let answer = answer.map_err(error)?;
        if answer.status() != 200 {
            return Err(format!("status {}", answer.status()));
        }
        let resource = json(answer.model())?;
        name_is(&resource, name)?;
        let id = resource["id"].as_str().unwrap_or_default();
        let service =
            format!("/resourceGroups/{RG}/providers/Microsoft.ApiManagement/service/{SVC}/");
        if !id.to_lowercase().contains(&service.to_lowercase()) {
            return Err(format!("id {id:?}"));
        }
        let etag = answer.etag().map(str::to_owned);
        if declares_etag && etag.is_none() {
            return Err("no ETag header on get".into());
        }
        Ok(etag)
    }

    /// The entity-tag HEAD (or a link's existence check): its first documented success
    /// (200, or 204 for a link) and the ETag where the description declares one.
    pub(crate) fn entity_tag(
        answer: apim_client::Result<Response<()>>,
        status: u16,
        declares_etag: bool,
    ) -> Result<(), String> {
        let answer = answer.map_err(error)?;
        if answer.status() != status {
            return Err(format!("status {}", answer.status()));
        }
        if declares_etag && answer.etag().is_none() {
            return Err("no ETag header on HEAD".into());
        }
        Ok(())
    }

    fn contains_name(items: &[Value], name: &str) -> Result<(), String> {
        let names: Vec<&Value> = items.iter().map(|item| &item["name"]).collect();
        if names.iter().any(|n| same_name(n, name)) {
            Ok(())
        } else {
            Err(format!("{name:?} not in {names:?}"))
        }
    }

    /// A paged list, every page read: the resource is among the items.
    pub(crate) async fn listed<T>(pager: apim_client::Pager<T>, name: &str) -> Result<(), String>
    where
        T: DeserializeOwned + Serialize + Send + 'static,
    {
        let items = pager.collect_all().await.map_err(error)?;
        let items = items.iter().map(json).collect::<Result<Vec<_>, _>>()?;
        contains_name(&items, name)
    }

    /// A list the description gives no paging: one collection with `value`.
    pub(crate) async fn listed_once<T: Serialize>(
        answer: apim_client::Result<Response<T>>,
        name: &str,
    ) -> Result<(), String> {
        let collection = json(answer.map_err(error)?.model())?;
        let items = collection["value"].as_array().cloned().unwrap_or_default();
        contains_name(&items, name)
    }

    /// Every leaf of `wanted` is in `whole` at the same place.
    fn contains(whole: &Value, wanted: &Value) -> bool {
        match wanted {
            Value::Object(fields) => fields
                .iter()
                .all(|(key, value)| whole.get(key).is_some_and(|w| contains(w, value))),
            _ => whole == wanted,
        }
    }

    fn has_update(resource: &Value, wanted: &Value, place: &str) -> Result<(), String> {
        if contains(resource, wanted) {
            Ok(())
        } else {
            Err(format!("the update is not in {place}: {resource}"))
        }
    }

    /// An update that answers the resource (at once or at the end of its polling): the
    /// update is in it.
    pub(crate) fn updated_model<T: Serialize>(
        answer: apim_client::Result<Response<T>>,
        wanted: &Value,
    ) -> Result<(), String> {
        has_update(&json(answer.map_err(error)?.model())?, wanted, "the answer")
    }

    /// A fresh get sees the update.
    pub(crate) fn got_updated<T: Serialize>(
        answer: apim_client::Result<Response<T>>,
        wanted: &Value,
    ) -> Result<(), String> {
        has_update(
            &json(answer.map_err(error)?.model())?,
            wanted,
            "a later get",
        )
    }

    /// The current ETag, for a delete with `If-Match`.
    pub(crate) fn etag<T>(answer: apim_client::Result<Response<T>>) -> Result<String, String> {
        let answer = answer.map_err(error)?;
        answer
            .etag()
            .map(str::to_owned)
            .ok_or_else(|| "no ETag to delete with".to_owned())
    }

    /// A create or update that answers no model (an update's `204`): a success.
    pub(crate) fn succeeded(answer: apim_client::Result<Response<()>>) -> Result<(), String> {
        let status = answer.map_err(error)?.status();
        if [200, 201, 202, 204].contains(&status) {
            Ok(())
        } else {
            Err(format!("status {status}"))
        }
    }

    /// A link's existence check after delete: 404 (an answer where the description lists
    /// it, else an error).
    pub(crate) fn absent(answer: apim_client::Result<Response<()>>) -> Result<(), String> {
        match answer {
            Ok(answer) if answer.status() == 404 => Ok(()),
            Ok(answer) => Err(format!("still there after delete: {}", answer.status())),
            Err(e) if e.status() == Some(404) => Ok(()),
            Err(e) => Err(format!("not a 404: {e}")),
        }
    }

    /// A plain delete: 200, or 204.
    pub(crate) fn deleted(answer: apim_client::Result<Response<()>>) -> Result<(), String> {
        let status = answer.map_err(error)?.status();
        if [200, 204].contains(&status) {
            Ok(())
        } else {
            Err(format!("status {status}"))
        }
    }

    /// A get after deleting what cannot be deleted (an email template): its default is back.
    pub(crate) fn reset<T>(answer: apim_client::Result<Response<T>>) -> Result<(), String> {
        match answer {
            Ok(answer) if answer.status() == 200 => Ok(()),
            Ok(answer) => Err(format!("status {} after the reset", answer.status())),
            Err(e) => Err(format!("not reset to its default: {e}")),
        }
    }

    /// A get after delete: 404 `ResourceNotFound`.
    pub(crate) fn gone<T>(answer: apim_client::Result<Response<T>>) -> Result<(), String> {
        match answer {
            Ok(_) => Err("the resource is still there after delete".into()),
            Err(e) if e.status() == Some(404) && e.code() == Some("ResourceNotFound") => Ok(()),
            Err(e) => Err(format!("not a 404 ResourceNotFound: {e}")),
        }
    }
}

/// An emulator that asks for no wait between polls, and a client that polls quickly.
async fn emulator_and_client() -> (apim_emulator::Emulator, ApimClient) {
    let emulator = apim_emulator::Emulator::start()
        .await
        .expect("emulator starts");
    emulator.set_lro_retry_after(None);
    let options = ApimClientOptions {
        polling: PollingOptions {
            default_interval: Duration::from_millis(5),
            min_interval: Duration::from_millis(1),
            ..PollingOptions::default()
        },
        ..common::options(emulator.endpoint())
    };
    let client = common::client_with(
        std::sync::Arc::new(apim_client::StaticTokenCredential::new(emulator.token())),
        options,
    );
    (emulator, client)
}

#[tokio::test]
async fn every_group_through_its_life_cycle() {
    let (emulator, client) = emulator_and_client().await;
    let mut run = Run {
        client: client.clone(),
        results: Vec::new(),
        parents: Vec::new(),
    };
    let service = json!({
        "location": "westeurope",
        "sku": {"name": "Developer", "capacity": 1},
        "properties": {"publisherEmail": "admin@contoso.example", "publisherName": "Contoso"},
    });
    run.step("api_management_service", "create_or_update", async {
        let service = body(&service.to_string())?;
        check::finished(
            client
                .api_management_service()
                .create_or_update(RG, SVC, &service)
                .await,
            SVC,
        )
    })
    .await;

    top_level::service(&mut run).await;
    generated::all(&mut run).await;
    views::tag_assignments(&mut run).await;
    views::views(&mut run).await;
    computed::computed(&mut run).await;
    top_level::actions(&mut run).await;
    top_level::api_gateway(&mut run).await;
    for group in run.parents.clone().into_iter().rev() {
        generated::delete_parent(&mut run, group).await;
    }
    top_level::deleted_service(&mut run, &emulator).await;

    let (table, failures) = run.table();
    let groups = description_groups();
    let covered = run.covered(&groups);
    let missing: Vec<&str> = groups
        .iter()
        .map(String::as_str)
        .filter(|g| !covered.contains(g))
        .collect();
    eprintln!(
        "scenario: {} groups' life cycles, and the hand-written rows\n{table}\n\
         groups covered: {} of {}; not covered: {}",
        generated::GROUPS.len(),
        covered.len(),
        groups.len(),
        missing.join(", ")
    );
    assert!(
        failures.is_empty(),
        "failed steps:\n{}",
        failures.join("\n")
    );
    emulator.shutdown().await;
}
