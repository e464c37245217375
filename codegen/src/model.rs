//! The plain model the writers work from: one declaration per operation, already in Rust
//! terms (names, types, roles, return form), built from the description.

use crate::description::{self, Description};

pub(crate) struct Group {
    /// `NamedValueOperations`: the SDK's class, the name of the group's handle.
    pub(crate) class: String,
    /// `named_value`: the client attribute, the handle's accessor; `None` for the mixin.
    pub(crate) attribute: Option<String>,
    /// `NamedValueApi`.
    pub(crate) trait_name: String,
    pub(crate) operations: Vec<Operation>,
}

pub(crate) struct Operation {
    pub(crate) name: String,
    pub(crate) operation_id: String,
    pub(crate) summary: String,
    pub(crate) method: String,
    /// `/subscriptions/<subscription_id>/...`
    pub(crate) template: String,
    /// `/subscriptions/{subscriptionId}/...`, as the REST reference writes it.
    pub(crate) path: String,
    /// The success codes of the first answer, each once.
    pub(crate) status: Vec<u16>,
    /// The `Accept` list, when it is not the client's `application/json`.
    pub(crate) accept: Option<String>,
    pub(crate) returns: Returns,
    /// In the Python method's order.
    pub(crate) arguments: Vec<Argument>,
    /// The SDK models behind the return form, by their SDK names.
    pub(crate) models: ReturnModels,
    /// Under a workspace (`/workspaces/` in the path), as the description counts them.
    pub(crate) workspace_scoped: bool,
}

/// The SDK model names an operation answers with, for the typed declarations.
pub(crate) struct ReturnModels {
    /// The first answer's model (`{object}` and `[X]` forms included).
    pub(crate) response: Option<String>,
    /// A list operation's page model.
    pub(crate) page: Option<String>,
    /// A long-running operation's final model.
    pub(crate) final_model: Option<String>,
}

impl Operation {
    /// The arguments of the call before its options, in the SDK's order.
    pub(crate) fn positional(&self) -> impl Iterator<Item = &Argument> {
        self.arguments
            .iter()
            .filter(|argument| !argument.is_option())
    }

    /// The SDK's keyword arguments: the fields of the operation's options struct.
    pub(crate) fn options(&self) -> impl Iterator<Item = &Argument> {
        self.arguments
            .iter()
            .filter(|argument| argument.is_option())
    }

    /// `ApiListByServiceOptions`, for an operation with optional query parameters or
    /// headers.
    pub(crate) fn options_name(&self) -> Option<String> {
        self.options()
            .next()
            .map(|_| format!("{}Options", self.operation_id.replace('_', "")))
    }
}

impl Argument {
    /// An optional query parameter or header: a field of the operation's options.
    pub(crate) fn is_option(&self) -> bool {
        self.optional && matches!(self.role, Role::Query(_) | Role::Header(_))
    }
}

pub(crate) enum Returns {
    /// `Result<Response<Value>>`, or `Result<Response<()>>` when no answer has a model.
    Plain {
        model: bool,
    },
    Paged,
    /// `Poller<Value>`, or `Poller<()>` when there is no final model.
    LongRunning {
        final_state: Option<String>,
        model: bool,
    },
}

impl Returns {
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Returns::Plain { .. } => "plain",
            Returns::Paged => "paged",
            Returns::LongRunning { .. } => "long-running",
        }
    }
}

pub(crate) struct Argument {
    /// The Python name, which is already snake case.
    pub(crate) name: String,
    pub(crate) role: Role,
    /// Not required by the SDK: an `Option<_>`.
    pub(crate) optional: bool,
    /// What the SDK sends when the argument is left out (`format="xml"`), for the docs.
    pub(crate) python_default: Option<String>,
    /// The docstring's text for it.
    pub(crate) doc: String,
    /// The SDK's wire type (`str`, `int`, `bool`, `duration`); `body` for the body.
    pub(crate) sdk_type: String,
    /// The enum the annotation names (`Union[str, _models.PolicyIdName]`).
    pub(crate) enum_name: Option<String>,
    /// The body's SDK model.
    pub(crate) body_model: Option<String>,
}

pub(crate) enum Role {
    Path,
    Query(String),
    Header(String),
    Body,
}

pub(crate) fn groups(description: &Description) -> Result<Vec<Group>, String> {
    description
        .groups
        .iter()
        .map(|group| {
            Ok(Group {
                class: group.class.clone(),
                attribute: group.attribute.clone(),
                trait_name: trait_name(group),
                operations: group
                    .operations
                    .iter()
                    .map(operation)
                    .collect::<Result<_, String>>()?,
            })
        })
        .collect()
}

/// `named_value` -> `NamedValueApi`; the client's mixin (no attribute) is named after its
/// class: `ApiManagementClientOperationsMixin` -> `ApiManagementClientApi`.
fn trait_name(group: &description::Group) -> String {
    match &group.attribute {
        Some(attribute) => format!("{}Api", pascal_case(attribute)),
        None => {
            let stem = group.class.trim_end_matches("OperationsMixin");
            format!("{stem}Api")
        }
    }
}

/// The media type the client asks for unless an operation declares its own.
const JSON: &str = "application/json";

fn pascal_case(snake: &str) -> String {
    snake
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

fn operation(op: &description::Operation) -> Result<Operation, String> {
    let request = &op.request;
    let mut status = op.success_codes.clone();
    // One operation lists 200 twice; the macro takes each code once.
    status.dedup();
    let returns = if op.paged.is_some() {
        Returns::Paged
    } else if let Some(lro) = &op.long_running {
        Returns::LongRunning {
            final_state: lro.final_state_via.clone(),
            model: lro.final_model.is_some(),
        }
    } else {
        Returns::Plain {
            model: op.responses.values().any(|answer| answer.model.is_some()),
        }
    };
    let arguments = op
        .parameters
        .iter()
        .map(|parameter| argument(op, parameter))
        .collect::<Result<_, String>>()?;
    let models = ReturnModels {
        // Every answer of an operation names the same model, or none.
        response: op
            .responses
            .values()
            .find_map(|answer| answer.model.clone()),
        page: op.paged.as_ref().map(|paged| paged.page_model.clone()),
        final_model: op
            .long_running
            .as_ref()
            .and_then(|lro| lro.final_model.clone()),
    };
    Ok(Operation {
        models,
        workspace_scoped: request.path.contains("/workspaces/"),
        name: op.name.clone(),
        operation_id: op.operation_id.clone(),
        summary: op.summary.clone(),
        method: request.method.clone(),
        template: template(request)?,
        path: request.path.clone(),
        status,
        accept: Some(request.accept.clone()).filter(|accept| accept != JSON),
        returns,
        arguments,
    })
}

fn argument(
    op: &description::Operation,
    parameter: &description::Parameter,
) -> Result<Argument, String> {
    let request = &op.request;
    let find = |list: &[description::WireParameter]| {
        list.iter()
            .find(|wire| wire.name == parameter.name)
            .map(|wire| wire.wire_name.clone())
    };
    let sdk_type = [&request.path_params, &request.query, &request.headers]
        .into_iter()
        .flatten()
        .find(|wire| wire.name == parameter.name)
        .map_or("body", |wire| wire.sdk_type.as_str());
    let body = op.body.as_ref().filter(|body| body.name == parameter.name);
    let role = if body.is_some() {
        Role::Body
    } else if find(&request.path_params).is_some() {
        Role::Path
    } else if let Some(wire_name) = find(&request.query) {
        Role::Query(wire_name)
    } else if let Some(wire_name) = find(&request.headers) {
        Role::Header(wire_name)
    } else {
        return Err(format!(
            "{}: argument `{}` reaches neither path, query, header nor body",
            op.operation_id, parameter.name
        ));
    };
    Ok(Argument {
        name: parameter.name.clone(),
        role,
        // The body's own flag: `parameters` is optional only for a few actions.
        optional: !body.map_or(parameter.required, |body| body.required),
        python_default: parameter.default.as_ref().map(ToString::to_string),
        doc: op
            .param_docs
            .get(&parameter.name)
            .cloned()
            .unwrap_or_default(),
        sdk_type: sdk_type.to_owned(),
        enum_name: annotated_enum(&parameter.annotation),
        body_model: body.map(|body| body.model.clone()),
    })
}

/// `Optional[Union[str, _models.AppType]]` -> `AppType`.
fn annotated_enum(annotation: &str) -> Option<String> {
    let start = annotation.find("_models.")? + "_models.".len();
    let name: String = annotation[start..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    Some(name)
}

/// `{resourceGroupName}` -> `<resource_group_name>`: placeholders take the Python names.
fn template(request: &description::Request) -> Result<String, String> {
    let mut template = request.path.clone();
    for param in &request.path_params {
        let wire = format!("{{{}}}", param.wire_name);
        if !template.contains(&wire) {
            return Err(format!("{}: no `{wire}` in the path", request.path));
        }
        // `from_client` is only ever `subscription_id`, which the macro fills from the
        // client when no argument has that name.
        debug_assert!(!param.from_client || param.name == "subscription_id");
        template = template.replace(&wire, &format!("<{}>", param.name));
    }
    Ok(template)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(class: &str, attribute: Option<&str>) -> description::Group {
        description::Group {
            class: class.to_owned(),
            attribute: attribute.map(str::to_owned),
            operations: Vec::new(),
        }
    }

    #[test]
    fn traits_are_named_after_the_client_attribute() {
        let named_value = group("NamedValueOperations", Some("named_value"));
        assert_eq!(trait_name(&named_value), "NamedValueApi");
        let service = group(
            "ApiManagementServiceOperations",
            Some("api_management_service"),
        );
        assert_eq!(trait_name(&service), "ApiManagementServiceApi");
        let mixin = group("ApiManagementClientOperationsMixin", None);
        assert_eq!(trait_name(&mixin), "ApiManagementClientApi");
    }

    #[test]
    fn placeholders_take_the_python_names() {
        let param = |wire: &str, name: &str| description::WireParameter {
            wire_name: wire.to_owned(),
            name: name.to_owned(),
            sdk_type: "str".to_owned(),
            from_client: name == "subscription_id",
            constraints: Default::default(),
        };
        let request = description::Request {
            method: "GET".to_owned(),
            path: "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/x/{xId}"
                .to_owned(),
            path_params: vec![
                param("subscriptionId", "subscription_id"),
                param("resourceGroupName", "resource_group_name"),
                param("xId", "x_id"),
            ],
            query: Vec::new(),
            headers: Vec::new(),
            accept: JSON.to_owned(),
        };
        assert_eq!(
            template(&request).unwrap(),
            "/subscriptions/<subscription_id>/resourceGroups/<resource_group_name>/x/<x_id>"
        );
    }

    #[test]
    fn a_path_parameter_missing_from_the_path_is_an_error() {
        let request = description::Request {
            method: "GET".to_owned(),
            path: "/x".to_owned(),
            path_params: vec![description::WireParameter {
                wire_name: "xId".to_owned(),
                name: "x_id".to_owned(),
                sdk_type: "str".to_owned(),
                from_client: false,
                constraints: Default::default(),
            }],
            query: Vec::new(),
            headers: Vec::new(),
            accept: JSON.to_owned(),
        };
        assert!(template(&request).is_err());
    }
}
