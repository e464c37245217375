//! The plain model of the generated structs and enums, already in Rust terms, grouped in
//! areas (one file each). The rules are written once, in the generated `mod.rs` doc
//! (`write_models::MODULE_DOC`); this module applies them.

use std::collections::{BTreeMap, BTreeSet};

use crate::description::{Attribute, Description, EnumDescription, ModelDescription};
use crate::{hand_written, secrets};

pub(crate) struct Plan {
    /// By file (module) name, in name order: first by the name's first word, then by
    /// feature area once `areas::file_models` has run.
    pub(crate) areas: BTreeMap<String, Area>,
    /// The gates a model or enum is compiled under (`areas::file_models`); absent: always.
    pub(crate) cfg: BTreeMap<String, BTreeSet<crate::areas::Gate>>,
    /// What was left out, each with the reason, in description order.
    pub(crate) skipped: Vec<(String, String)>,
    /// Models with a struct, for samples: generated ones by name.
    pub(crate) structs: BTreeMap<String, Struct>,
    pub(crate) enums: BTreeMap<String, Enum>,
}

#[derive(Default)]
pub(crate) struct Area {
    pub(crate) enums: Vec<String>,
    /// The SDK models, each followed by the nested structs it introduces.
    pub(crate) structs: Vec<String>,
}

#[derive(Clone)]
pub(crate) struct Struct {
    pub(crate) name: String,
    pub(crate) doc: String,
    pub(crate) fields: Vec<Field>,
    /// Every required field's type has a default (see `MODULE_DOC`).
    pub(crate) default: bool,
    /// Stands for an SDK model (not a nested part): it gets a round-trip test.
    pub(crate) is_model: bool,
    /// Reached from a request body: users write it, so it gets setters
    /// ([`mark_setters`]).
    pub(crate) setters: bool,
}

impl Struct {
    pub(crate) fn has_secret(&self) -> bool {
        self.fields.iter().any(|field| field.secret)
    }

    pub(crate) fn required(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|field| !field.optional)
    }

    /// What `new` takes, when it takes anything: the struct's own required fields, then
    /// those of its `properties` struct, as the Python SDK's flattened constructors take
    /// them (`ApiCreateOrUpdateParameter::new(path)`).
    pub(crate) fn constructor<'p>(&'p self, plan: &'p Plan) -> Option<Constructor<'p>> {
        let own: Vec<&Field> = self.required().collect();
        let properties = self.fields.iter().find_map(|field| match &field.ty {
            Type::Model(name) if field.wire_name == "properties" => plan
                .structs
                .get(name)
                .filter(|nested| nested.required().next().is_some())
                .map(|nested| (field, nested)),
            _ => None,
        });
        let collides = properties.is_some_and(|(_, nested)| {
            nested
                .required()
                .any(|f| own.iter().any(|o| o.rust_name == f.rust_name))
        });
        let properties = properties.filter(|_| !collides);
        (!own.is_empty() || properties.is_some()).then_some(Constructor { own, properties })
    }

    /// The arguments of `new`, in order (see [`Struct::constructor`]).
    pub(crate) fn new_arguments<'p>(&'p self, plan: &'p Plan) -> Vec<(&'p str, &'p Type)> {
        self.constructor(plan)
            .map(|constructor| {
                constructor
                    .arguments()
                    .map(|f| (f.rust_name.as_str(), &f.ty))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A struct's `new`: its own required fields, and its `properties` struct's when that has
/// required fields (set through the nested struct's own `new`).
pub(crate) struct Constructor<'p> {
    pub(crate) own: Vec<&'p Field>,
    pub(crate) properties: Option<(&'p Field, &'p Struct)>,
}

impl<'p> Constructor<'p> {
    pub(crate) fn arguments(&self) -> impl Iterator<Item = &'p Field> + '_ {
        let nested = self
            .properties
            .iter()
            .flat_map(|(_, nested)| nested.required());
        self.own.iter().copied().chain(nested)
    }
}

#[derive(Clone)]
pub(crate) struct Field {
    /// A Rust identifier, raw if it must be: `display_name`, `r#type`.
    pub(crate) rust_name: String,
    pub(crate) wire_name: String,
    pub(crate) ty: Type,
    /// An `Option`: not required, or read-only.
    pub(crate) optional: bool,
    /// Set by the service: no setter.
    pub(crate) readonly: bool,
    pub(crate) secret: bool,
    pub(crate) doc: String,
}

#[derive(Clone, PartialEq)]
pub(crate) enum Type {
    String,
    /// A date-time: `OffsetDateTime`, RFC 3339 on the wire.
    DateTime,
    I64,
    F64,
    Bool,
    Json,
    Duration,
    Enum(String),
    Model(String),
    List(Box<Type>),
    Map(Box<Type>),
}

impl Type {
    /// Named types this one refers to.
    pub(crate) fn names(&self, out: &mut BTreeSet<String>) {
        match self {
            Type::Enum(name) | Type::Model(name) => {
                out.insert(name.clone());
            }
            Type::List(inner) | Type::Map(inner) => inner.names(out),
            _ => {}
        }
    }
}

pub(crate) struct Enum {
    pub(crate) name: String,
    pub(crate) doc: String,
    /// (variant, wire value, doc)
    pub(crate) variants: Vec<(String, String, String)>,
}

pub(crate) fn plan(description: &Description) -> Result<Plan, String> {
    let shapes = shapes(description);
    let required = required_paths(description);
    let mut plan = Plan {
        areas: BTreeMap::new(),
        cfg: BTreeMap::new(),
        skipped: Vec::new(),
        structs: BTreeMap::new(),
        enums: BTreeMap::new(),
    };

    for description in &description.enums {
        if let Some(reason) = hand_written::reason(&description.name) {
            plan.skipped
                .push((description.name.clone(), reason.to_owned()));
            continue;
        }
        let planned = enumeration(description)?;
        plan.areas
            .entry(area(&planned.name))
            .or_default()
            .enums
            .push(planned.name.clone());
        plan.enums.insert(planned.name.clone(), planned);
    }

    for model in &description.models {
        if let Some(reason) = hand_written::reason(&model.name) {
            plan.skipped.push((model.name.clone(), reason.to_owned()));
            continue;
        }
        if is_page(model) {
            plan.skipped.push((
                model.name.clone(),
                "a page: apim_client::Page<T> reads it".to_owned(),
            ));
            continue;
        }
        let mut structs = Vec::new();
        let attributes: Vec<(&[String], &Attribute)> = model
            .attributes
            .iter()
            .map(|attribute| (attribute.wire_path.as_slice(), attribute))
            .collect();
        let doc = model.summary.clone().unwrap_or_default();
        let known = Known {
            shapes: &shapes,
            required: &required,
        };
        nested_struct(model, &model.name, &doc, &attributes, &known, &mut structs)?;
        structs[0].is_model = true;
        let area = plan.areas.entry(area(&model.name)).or_default();
        for planned in structs {
            area.structs.push(planned.name.clone());
            if plan.structs.insert(planned.name.clone(), planned).is_some() {
                return Err(format!("two structs named after {}", model.name));
            }
        }
    }

    check_references(&plan, &shapes)?;
    decide_defaults(&mut plan.structs);
    Ok(plan)
}

/// A list page: only `value` (a list), `nextLink` and `count`.
fn is_page(model: &ModelDescription) -> bool {
    let only_page_fields = model.attributes.iter().all(|a| {
        matches!(
            a.wire_path.as_slice(),
            [key] if ["value", "nextLink", "count"].contains(&key.as_str())
        )
    });
    let value_is_list = model
        .attributes
        .iter()
        .any(|a| a.wire_path == ["value"] && a.sdk_type.starts_with('['));
    value_is_list && only_page_fields
}

/// An attribute with its wire path relative to the struct being built.
type Member<'a> = (&'a [String], &'a Attribute);

/// What the SDK's models say, for the nested structs built from flattened attributes.
struct Known<'a> {
    shapes: &'a Shapes,
    required: &'a BTreeMap<String, BTreeSet<String>>,
}

/// Builds the struct `name` from `attributes` (wire paths relative to it), pushing it and
/// then the structs for its nested objects (`properties`, deeper ones likewise).
fn nested_struct(
    model: &ModelDescription,
    name: &str,
    doc: &str,
    attributes: &[Member<'_>],
    known: &Known<'_>,
    out: &mut Vec<Struct>,
) -> Result<(), String> {
    let shapes = known.shapes;
    let index = out.len();
    out.push(Struct {
        name: name.to_owned(),
        doc: doc.to_owned(),
        fields: Vec::new(),
        default: false,
        is_model: false,
        setters: false,
    });
    let mut fields = Vec::new();
    // Nested objects in the order their first attribute appears.
    let mut nested: Vec<(&str, Vec<Member<'_>>)> = Vec::new();
    for &(path, attribute) in attributes {
        match path {
            [wire_name] => fields.push(field(model, name, wire_name, attribute)?),
            [object, rest @ ..] => match nested.iter_mut().find(|(key, _)| key == object) {
                Some((_, members)) => members.push((rest, attribute)),
                None => nested.push((object, vec![(rest, attribute)])),
            },
            [] => {
                return Err(format!(
                    "{}.{}: empty wire path",
                    model.name, attribute.name
                ));
            }
        }
    }
    for (object, members) in nested {
        let nested_name = format!("{name}{}", pascal_case(object));
        let type_name = if shapes.get(&nested_name) == Some(&shape(&members)) {
            // The SDK has this very shape as a model of its own: use it.
            nested_name
        } else {
            if shapes.contains_key(&nested_name) {
                return Err(format!(
                    "{}: `{object}` would be {nested_name}, a different SDK model",
                    model.name
                ));
            }
            let doc = format!("The `{object}` of [`{name}`].");
            nested_struct(model, &nested_name, &doc, &members, known, out)?;
            nested_name
        };
        fields.push(Field {
            rust_name: snake_case(object),
            wire_name: object.to_owned(),
            ty: Type::Model(type_name),
            optional: true,
            readonly: false,
            secret: false,
            doc: format!("The resource's `{object}`."),
        });
    }
    let mut seen = BTreeSet::new();
    for field in &fields {
        if !seen.insert(field.rust_name.clone()) {
            return Err(format!("{name}: two fields named {}", field.rust_name));
        }
    }
    if index > 0 {
        require_as_the_sdk_models_do(&mut fields, attributes, known);
    }
    out[index].fields = fields;
    Ok(())
}

/// A nested struct built from a flattened model's attributes (`ApiCreateOrUpdateParameter`'s
/// `properties`) has lost the required flags: the SDK relaxes them when it flattens. Where
/// SDK models have exactly this shape (`ApiCreateOrUpdateProperties`), a field they all
/// require is required here too (`path`), so `new` asks for it.
fn require_as_the_sdk_models_do(fields: &mut [Field], members: &[Member<'_>], known: &Known<'_>) {
    let wanted = shape(members);
    let mut same_shape = known
        .shapes
        .iter()
        .filter(|(_, shape)| **shape == wanted)
        .filter_map(|(name, _)| known.required.get(name));
    let Some(first) = same_shape.next() else {
        return;
    };
    let required = same_shape.fold(first.clone(), |all, next| {
        all.intersection(next).cloned().collect()
    });
    for field in fields.iter_mut() {
        let plain = !matches!(field.ty, Type::Model(_) | Type::Duration);
        if plain && !field.readonly && required.contains(&field.wire_name) {
            field.optional = false;
        }
    }
}

/// Per SDK model, the wire paths of its required, writable attributes.
fn required_paths(description: &Description) -> BTreeMap<String, BTreeSet<String>> {
    description
        .models
        .iter()
        .map(|model| {
            let paths = model
                .attributes
                .iter()
                .filter(|a| a.required && !a.readonly)
                .map(|a| a.wire_path.join("."))
                .collect();
            (model.name.clone(), paths)
        })
        .collect()
}

/// Every SDK model's attributes as sorted `path:type:enum` keys (the wire shape), by name.
/// Required and read-only flags are left out: the flattened SDK model sometimes relaxes
/// them (`ApiContract`'s `path`), and the `...Properties` model's own flags are the ones
/// that describe the nested object.
type Shapes = BTreeMap<String, Vec<String>>;

fn shapes(description: &Description) -> Shapes {
    description
        .models
        .iter()
        .map(|model| {
            let members: Vec<(&[String], &Attribute)> = model
                .attributes
                .iter()
                .map(|a| (a.wire_path.as_slice(), a))
                .collect();
            (model.name.clone(), shape(&members))
        })
        .collect()
}

fn shape(members: &[Member<'_>]) -> Vec<String> {
    let mut keys: Vec<String> = members
        .iter()
        .map(|(path, a)| format!("{}:{}:{:?}", path.join("."), a.sdk_type, a.enum_name))
        .collect();
    keys.sort();
    keys
}

fn field(
    model: &ModelDescription,
    struct_name: &str,
    wire_name: &str,
    attribute: &Attribute,
) -> Result<Field, String> {
    let ty = match &attribute.enum_name {
        Some(name) if attribute.sdk_type == "str" => Type::Enum(name.clone()),
        Some(name) if attribute.sdk_type == "[str]" => {
            Type::List(Box::new(Type::Enum(name.clone())))
        }
        Some(_) => {
            return Err(format!(
                "{}.{}: an enum of type {}",
                model.name, attribute.name, attribute.sdk_type
            ));
        }
        None => sdk_type(&attribute.sdk_type)?,
    };
    let optional = !attribute.required || attribute.readonly;
    if ty == Type::Duration && !optional {
        return Err(format!(
            "{}.{}: a required duration (crate::duration only has the optional form)",
            model.name, attribute.name
        ));
    }
    // The ARM envelope's `type` is the resource type; other `type`s stay `r#type`, as in
    // the hand-written models.
    let is_resource_type = wire_name == "type"
        && struct_name == model.name
        && model.attributes.iter().any(|a| a.wire_path == ["id"]);
    let rust_name = if is_resource_type {
        "resource_type".to_owned()
    } else {
        rust_identifier(&attribute.name)
    };
    let mut doc = attribute.description.clone().unwrap_or_default();
    if doc.trim().is_empty() {
        doc = format!("The `{wire_name}` field.");
    }
    if attribute.readonly {
        doc.push_str(" Read-only: set by the service.");
    }
    Ok(Field {
        rust_name,
        wire_name: wire_name.to_owned(),
        secret: secrets::is_secret(
            &model.name,
            wire_name,
            attribute.description.as_deref().unwrap_or_default(),
            &ty,
        ),
        ty,
        optional,
        readonly: attribute.readonly,
        doc,
    })
}

fn sdk_type(text: &str) -> Result<Type, String> {
    Ok(match text {
        "str" => Type::String,
        "iso-8601" => Type::DateTime,
        "int" => Type::I64,
        "float" => Type::F64,
        "bool" => Type::Bool,
        "object" => Type::Json,
        "duration" => Type::Duration,
        _ if text.starts_with('[') && text.ends_with(']') => {
            Type::List(Box::new(sdk_type(&text[1..text.len() - 1])?))
        }
        _ if text.starts_with('{') && text.ends_with('}') => {
            Type::Map(Box::new(sdk_type(&text[1..text.len() - 1])?))
        }
        _ if text.chars().all(|c| c.is_ascii_alphanumeric()) => Type::Model(text.to_owned()),
        _ => return Err(format!("unknown SDK type {text:?}")),
    })
}

/// Every named type is generated or hand-written.
fn check_references(plan: &Plan, shapes: &Shapes) -> Result<(), String> {
    for planned in plan.structs.values() {
        let mut names = BTreeSet::new();
        for field in &planned.fields {
            field.ty.names(&mut names);
        }
        for name in names {
            let known = plan.structs.contains_key(&name)
                || plan.enums.contains_key(&name)
                || hand_written::reason(&name).is_some();
            if !known {
                let what = if shapes.contains_key(&name) {
                    "a skipped page model"
                } else {
                    "unknown"
                };
                return Err(format!("{} refers to {name}: {what}", planned.name));
            }
        }
    }
    Ok(())
}

/// Marks the structs users write: the request bodies and every struct they reach.
pub(crate) fn mark_setters(plan: &mut Plan, bodies: &BTreeSet<String>) {
    let mut stack: Vec<String> = bodies.iter().cloned().collect();
    while let Some(name) = stack.pop() {
        let Some(planned) = plan.structs.get_mut(&name) else {
            continue;
        };
        if std::mem::replace(&mut planned.setters, true) {
            continue;
        }
        let mut names = BTreeSet::new();
        for field in &planned.fields {
            field.ty.names(&mut names);
        }
        stack.extend(names);
    }
    drop_flattened_setters(plan);
}

/// A resource's `properties` struct that users reach only through the resource's flattened
/// setters (`ApiCreateOrUpdateParameter::new("echo").display_name(..)` sets
/// `properties.display_name`) needs no setters of its own: they would be a second spelling
/// of the same thing, and each costs compile time although generic. It keeps `new(..)`,
/// `Default` and its public fields, so it can still be written as a literal.
fn drop_flattened_setters(plan: &mut Plan) {
    let mut flattened: BTreeSet<String> = BTreeSet::new();
    let mut elsewhere: BTreeSet<String> = BTreeSet::new();
    for planned in plan.structs.values().filter(|s| s.setters) {
        for field in &planned.fields {
            let mut names = BTreeSet::new();
            field.ty.names(&mut names);
            let flattens = match &field.ty {
                Type::Model(name) if field.wire_name == "properties" => plan
                    .structs
                    .get(name)
                    .is_some_and(|nested| nested.default && covers(planned, nested)),
                _ => false,
            };
            if flattens {
                flattened.extend(names);
            } else {
                elsewhere.extend(names);
            }
        }
    }
    for name in flattened.difference(&elsewhere) {
        if let Some(planned) = plan.structs.get_mut(name) {
            planned.setters = false;
        }
    }
}

/// Whether the resource's flattened setters reach every writable field of its `properties`
/// (a field of the same name on the resource itself is not flattened).
fn covers(resource: &Struct, properties: &Struct) -> bool {
    properties.fields.iter().filter(|f| !f.readonly).all(|f| {
        !resource
            .fields
            .iter()
            .any(|own| own.rust_name == f.rust_name)
    })
}

/// `Default` where every required field's type has one: not enums (no value is a sensible
/// default), and models only if they have one. Hand-written models all implement it.
fn decide_defaults(structs: &mut BTreeMap<String, Struct>) {
    let mut defaults: BTreeSet<String> = BTreeSet::new();
    loop {
        let before = defaults.len();
        for planned in structs.values() {
            if planned
                .required()
                .all(|field| has_default(&field.ty, structs, &defaults))
            {
                defaults.insert(planned.name.clone());
            }
        }
        if defaults.len() == before {
            break;
        }
    }
    for planned in structs.values_mut() {
        planned.default = defaults.contains(&planned.name);
    }
}

fn has_default(ty: &Type, structs: &BTreeMap<String, Struct>, defaults: &BTreeSet<String>) -> bool {
    match ty {
        Type::Enum(_) | Type::DateTime => false,
        Type::Model(name) => defaults.contains(name) || !structs.contains_key(name),
        _ => true,
    }
}

fn enumeration(description: &EnumDescription) -> Result<Enum, String> {
    let mut variants: Vec<(String, String, String)> = Vec::new();
    for value in &description.values {
        let variant = pascal_case(&value.name.to_ascii_lowercase());
        if variant == "Other" || variants.iter().any(|(v, _, _)| *v == variant) {
            return Err(format!("{}: variant {variant} twice", description.name));
        }
        let doc = match value.description.as_deref() {
            Some(text) if !text.trim().is_empty() => text.to_owned(),
            _ => format!("`{}`.", value.value),
        };
        variants.push((variant, value.value.clone(), doc));
    }
    Ok(Enum {
        name: description.name.clone(),
        doc: description.summary.clone().unwrap_or_default(),
        variants,
    })
}

/// The area (file) of a name: its first word in snake case (`PortalSigninSettings` ->
/// `portal`), `ApiManagement` counting as one word; a one-letter first word joins the next
/// (`OAuth2...` -> `oauth2`), a keyword too (`AsyncOperationStatus` -> `async_operation`).
pub(crate) fn area(name: &str) -> String {
    let words = words(name);
    let mut area = words[0].to_ascii_lowercase();
    let joins_next = area.len() == 1
        || KEYWORDS.contains(&area.as_str())
        || (area == "api" && words.get(1).map(String::as_str) == Some("Management"));
    if joins_next && let Some(next) = words.get(1) {
        let separator = if area.len() == 1 { "" } else { "_" };
        area = format!("{area}{separator}{}", next.to_ascii_lowercase());
    }
    area
}

/// PascalCase words: `HTTPHeader` -> `HTTP`, `Header`; digits stay with their word.
fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let next_is_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
        let previous_is_upper = i > 0 && chars[i - 1].is_ascii_uppercase();
        let starts_word =
            c.is_ascii_uppercase() && !current.is_empty() && (!previous_is_upper || next_is_lower);
        if starts_word {
            words.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    words.push(current);
    words
}

pub(crate) fn pascal_case(text: &str) -> String {
    text.split('_')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            let first = chars.next().expect("not empty").to_ascii_uppercase();
            std::iter::once(first).chain(chars).collect::<String>()
        })
        .collect()
}

/// `displayName` -> `display_name`.
pub(crate) fn snake_case(text: &str) -> String {
    words(&pascal_case(text))
        .iter()
        .map(|word| word.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

fn rust_identifier(name: &str) -> String {
    match name {
        "self" | "super" | "crate" | "Self" => format!("{name}_"),
        _ if KEYWORDS.contains(&name) => format!("r#{name}"),
        _ => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas() {
        assert_eq!(area("PortalSigninSettings"), "portal");
        assert_eq!(area("ApiManagementServiceResource"), "api_management");
        assert_eq!(area("ApiContract"), "api");
        assert_eq!(area("OAuth2AuthenticationSettingsContract"), "oauth2");
        assert_eq!(area("HTTPHeader"), "http");
        assert_eq!(area("AsyncOperationStatus"), "async_operation");
    }

    #[test]
    fn names() {
        assert_eq!(snake_case("displayName"), "display_name");
        assert_eq!(pascal_case("git_access"), "GitAccess");
    }
}
