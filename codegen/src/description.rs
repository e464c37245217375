//! The two checked-in JSON files, read as they are (see `codegen/README.md` for their
//! shapes). Only the fields the generator uses are declared; serde ignores the rest.

use std::collections::BTreeMap;

use serde::Deserialize;

/// `description/apim-2024-05-01.json`.
#[derive(Deserialize)]
pub(crate) struct Description {
    pub(crate) counts: Counts,
    pub(crate) groups: Vec<Group>,
    pub(crate) models: Vec<ModelDescription>,
    pub(crate) enums: Vec<EnumDescription>,
}

#[derive(Deserialize)]
pub(crate) struct Counts {
    pub(crate) operations: usize,
    pub(crate) plain: usize,
    pub(crate) paged: usize,
    pub(crate) long_running: usize,
}

#[derive(Deserialize)]
pub(crate) struct Group {
    /// `BackendOperations`; the client's own operations are a `...OperationsMixin`.
    pub(crate) class: String,
    /// `backend`; `None` for the client's mixin.
    pub(crate) attribute: Option<String>,
    pub(crate) operations: Vec<Operation>,
}

#[derive(Deserialize)]
pub(crate) struct Operation {
    /// The Python method name without `begin_`.
    pub(crate) name: String,
    pub(crate) operation_id: String,
    pub(crate) summary: String,
    /// The docstring's `:param name:` texts, by Python name.
    #[serde(default)]
    pub(crate) param_docs: BTreeMap<String, String>,
    pub(crate) parameters: Vec<Parameter>,
    pub(crate) request: Request,
    pub(crate) body: Option<Body>,
    pub(crate) success_codes: Vec<u16>,
    pub(crate) responses: BTreeMap<String, Answer>,
    pub(crate) paged: Option<Paged>,
    pub(crate) long_running: Option<LongRunning>,
}

/// A list operation: its page model, whose `value` holds the items.
#[derive(Deserialize)]
pub(crate) struct Paged {
    pub(crate) page_model: String,
}

/// A parameter of the Python method, in its order.
#[derive(Deserialize)]
pub(crate) struct Parameter {
    pub(crate) name: String,
    /// The Python annotation: `Optional[Union[str, _models.AppType]]` names an enum.
    pub(crate) annotation: String,
    pub(crate) required: bool,
    pub(crate) default: Option<serde_json::Value>,
}

#[derive(Deserialize)]
pub(crate) struct Request {
    pub(crate) method: String,
    /// `/subscriptions/{subscriptionId}/...`
    pub(crate) path: String,
    pub(crate) path_params: Vec<WireParameter>,
    pub(crate) query: Vec<WireParameter>,
    pub(crate) headers: Vec<WireParameter>,
    /// The `Accept` the SDK sends: `application/json`, or more media types where the
    /// answer may be something else (a policy's raw XML).
    pub(crate) accept: String,
}

#[derive(Deserialize)]
pub(crate) struct WireParameter {
    pub(crate) wire_name: String,
    pub(crate) name: String,
    /// `min_length`, `max_length` and `pattern`, where documented.
    #[serde(default)]
    pub(crate) constraints: Constraints,
    /// The SDK's serializer type: `str`, `int`, `bool`, `duration`.
    #[serde(rename = "type")]
    pub(crate) sdk_type: String,
    #[serde(default)]
    pub(crate) from_client: bool,
}

#[derive(Deserialize, Default, Clone, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(crate) struct Constraints {
    #[serde(default)]
    pub(crate) min_length: Option<usize>,
    #[serde(default)]
    pub(crate) max_length: Option<usize>,
    #[serde(default)]
    pub(crate) pattern: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct Body {
    pub(crate) name: String,
    pub(crate) model: String,
    pub(crate) required: bool,
}

#[derive(Deserialize)]
pub(crate) struct Answer {
    pub(crate) model: Option<String>,
    /// The headers the answer declares (`ETag`); the SDK returns only these.
    #[serde(default)]
    pub(crate) headers: Vec<String>,
}

#[derive(Deserialize)]
pub(crate) struct LongRunning {
    pub(crate) final_state_via: Option<String>,
    pub(crate) final_model: Option<String>,
}

/// A model class of the SDK, its inherited attributes included.
#[derive(Deserialize)]
pub(crate) struct ModelDescription {
    pub(crate) name: String,
    pub(crate) summary: Option<String>,
    pub(crate) attributes: Vec<Attribute>,
}

#[derive(Deserialize)]
pub(crate) struct Attribute {
    /// The Python name, already snake case: `display_name`.
    pub(crate) name: String,
    /// Where the value sits in the JSON: `["properties", "displayName"]`.
    pub(crate) wire_path: Vec<String>,
    /// The SDK's type string: `str`, `[X]`, `{str}`, `iso-8601`, `duration`, a model name.
    #[serde(rename = "type")]
    pub(crate) sdk_type: String,
    /// The enum a `str` (or `[str]`) holds, from the docstring.
    #[serde(rename = "enum")]
    pub(crate) enum_name: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) required: bool,
    pub(crate) readonly: bool,
}

#[derive(Deserialize)]
pub(crate) struct EnumDescription {
    pub(crate) name: String,
    pub(crate) summary: Option<String>,
    pub(crate) values: Vec<EnumValue>,
}

#[derive(Deserialize)]
pub(crate) struct EnumValue {
    /// The Python member name: `GIT_ACCESS`.
    pub(crate) name: String,
    /// The wire string: `gitAccess`.
    pub(crate) value: String,
    pub(crate) description: Option<String>,
}

/// `description/oracle-2024-05-01.json`.
#[derive(Deserialize)]
pub(crate) struct Oracle {
    pub(crate) operations: Vec<OracleOperation>,
}

#[derive(Deserialize)]
pub(crate) struct OracleOperation {
    pub(crate) operation_id: String,
    /// The sample arguments, in the method's order, the body left out.
    pub(crate) arguments: Vec<Sample>,
    pub(crate) request: OracleRequest,
}

#[derive(Deserialize)]
pub(crate) struct Sample {
    pub(crate) name: String,
    /// A string, an integer or a boolean, as the SDK was given it (durations as text).
    pub(crate) value: serde_json::Value,
}

/// What the SDK's `build_*_request` produced.
#[derive(Deserialize)]
pub(crate) struct OracleRequest {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: String,
    pub(crate) headers: BTreeMap<String, String>,
}

/// Reads and parses one of the JSON files.
pub(crate) fn read<T: serde::de::DeserializeOwned>(path: &std::path::Path) -> Result<T, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("parsing {}: {e}", path.display()))
}
