"""The models and enums of the SDK, read from its source with `ast`.

Every model class in ``models/_models_py3.py`` carries its wire shape in three class
attributes the SDK's serializer reads: ``_attribute_map`` (Python name -> wire key and
type string), ``_validation`` (required, readonly, constraints) and, for polymorphic
models, ``_subtype_map``. They are plain literals, so ``ast.literal_eval`` reads them
exactly as the serializer sees them, without importing the SDK.
"""

import ast
import re

import docstrings

# How the SDK's docstrings name a model or enum: "~azure.mgmt.apimanagement.models.Name".
_MODEL_REF = re.compile(r"~azure\.mgmt\.apimanagement\.models\.(\w+)")


def _class_literal(cls, name):
    """The literal value of a class-level assignment `name = {...}`, or None."""
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in stmt.targets
        ):
            return ast.literal_eval(stmt.value)
    return None


def _base_name(cls):
    """The single base class, as written (`_serialization.Model` becomes `Model`)."""
    (base,) = cls.bases
    return base.attr if isinstance(base, ast.Attribute) else base.id


def _inherited(classes, name, attribute):
    """Looks a class attribute up the way Python does: the class, then its bases.

    Returns (value, defining class name); a class without its own `_attribute_map`
    (e.g. `ProxyResource`) serializes with its base's.
    """
    while name in classes:
        value = _class_literal(classes[name], attribute)
        if value is not None:
            return value, name
        name = _base_name(classes[name])
    return None, None


def _enum_of(vartype, enum_names):
    """The enum a docstring type names (`str or ~...models.AccessIdName`), or None."""
    for ref in _MODEL_REF.findall(vartype or ""):
        if ref in enum_names:
            return ref
    return None


def _attribute(py_name, entry, validation, fields, enum_names):
    """One model attribute: wire key and path, SDK type string, validation, docs."""
    rules = dict(validation.get(py_name, {}))
    vartype = fields.get(("vartype", py_name), "")
    # A key like "properties.productId" nests productId under properties on the wire;
    # a dot escaped as "\\." is part of a name, not a nesting step.
    wire_path = [part.replace("\\.", ".") for part in re.split(r"(?<!\\)\.", entry["key"])]
    return {
        "name": py_name,
        "wire_key": entry["key"],
        "wire_path": wire_path,
        "type": entry["type"],
        "enum": _enum_of(vartype, enum_names),
        "doc_type": vartype,
        "description": fields.get(("ivar", py_name), ""),
        "required": rules.pop("required", False),
        "readonly": rules.pop("readonly", False),
        "constant": rules.pop("constant", False),
        "constraints": rules,
        **({"flatten": True} if entry.get("flatten") else {}),
    }


def _discriminator_value(classes, name):
    """The value that selects this class in its base's `_subtype_map`, or None."""
    base = _base_name(classes[name])
    subtypes, _ = _inherited(classes, base, "_subtype_map")
    for values in (subtypes or {}).values():
        for value, subclass in values.items():
            if subclass == name:
                return value
    return None


def read_models(source, enum_names):
    """Every model class, in source order."""
    tree = ast.parse(source)
    classes = {c.name: c for c in tree.body if isinstance(c, ast.ClassDef)}
    models = []
    for name, cls in classes.items():
        doc = ast.get_docstring(cls, clean=False)
        fields = docstrings.fields(doc)
        attribute_map, map_owner = _inherited(classes, name, "_attribute_map")
        validation, _ = _inherited(classes, name, "_validation")
        subtype_map, _ = _inherited(classes, name, "_subtype_map")
        models.append({
            "name": name,
            "base": _base_name(cls),
            "summary": docstrings.summary(doc),
            "attribute_map_from": map_owner,
            "attributes": [
                _attribute(py, entry, validation or {}, fields, enum_names)
                for py, entry in (attribute_map or {}).items()
            ],
            "subtype_map": subtype_map,
            "discriminator_value": _discriminator_value(classes, name),
        })
    return models


def _enum_values(cls):
    """(member name, wire value, description) for each member, in source order.

    A member's description is the string literal right after its assignment.
    """
    values = []
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign):
            (target,) = stmt.targets
            values.append({"name": target.id, "value": stmt.value.value, "description": ""})
        elif (values and isinstance(stmt, ast.Expr)
              and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)):
            values[-1]["description"] = " ".join(stmt.value.value.split())
    return values


def read_enums(source):
    """Every enum class, in source order."""
    tree = ast.parse(source)
    return [
        {
            "name": cls.name,
            "summary": docstrings.summary(ast.get_docstring(cls, clean=False)),
            "values": _enum_values(cls),
        }
        for cls in tree.body
        if isinstance(cls, ast.ClassDef)
    ]
