"""The oracle: what the official SDK sends for every operation, given sample values.

    <venv>/bin/python oracle.py DESCRIPTION.json ORACLE.json

Runs inside the pinned venv (extract.py sets it up). For each operation of the
description it calls the SDK's own `build_<op>_request(...)` with deterministic sample
values and records the request it builds: method, path as the SDK percent-encodes it,
query string, headers. A Rust test can call the same operation with the same arguments
and compare. The samples exercise escaping (spaces, `/`, `?`, `#`, `%`, `&`, non-ASCII)
wherever the documented constraints allow it, and are valid values otherwise (checked
here: the SDK itself does not check constraints).
"""

import datetime
import inspect
import json
import re
import sys
from pathlib import Path

from azure.mgmt.apimanagement import operations as sdk_operations

from extract import write_json

SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000"
IF_MATCH = '"etag 1"'

# Constraints the REST description documents but 5.0.0's build functions do not carry.
# The Rust client checks them before sending (`apim-wire/src/rules.rs`), so a sample that
# ignored them would be refused by us and never reach the wire: the oracle's samples meet
# them too. ARM's common `ResourceGroupNameParameter`: `\w` is Unicode-aware in .NET, as in
# Python's `re`.
DOCUMENTED_CONSTRAINTS = {
    "resource_group_name": {"pattern": r"^[-\w\._\(\)]+$"},
}


def _fits(value, constraints):
    """Whether a string sample meets the documented constraints."""
    if len(value) < constraints.get("min_length", 0):
        return False
    if len(value) > constraints.get("max_length", len(value)):
        return False
    pattern = constraints.get("pattern")
    return pattern is None or re.search(pattern, value) is not None


def _string_sample(name, constraints):
    """The first candidate that meets the constraints, most escaping-heavy first.

    Values start with the parameter's name so that swapped arguments show in a diff.
    """
    slug = name.replace("_", "-")
    candidates = [
        f"{slug} a/b?c#d%e&f=g+h é",  # every character a path or query must escape
        f"{slug} a/b;c=d,e é",        # what ^[^*#&+:<>?]+$ (most ids) still allows
        f"{slug}_(é).1",              # what ^[-\w\._\(\)]+$ (resource groups) allows
        f"{slug}-1",
        name.replace("_", "") + "1",  # \w only
    ]
    for candidate in candidates:
        candidate = candidate[: constraints.get("max_length", len(candidate))]
        if _fits(candidate, constraints):
            return candidate
    sys.exit(f"no sample for {name} meets {constraints}")


def _enum_of(annotation, enums):
    """The enum a parameter annotation names (`Union[str, _models.PolicyIdName]`), or None."""
    for name in re.findall(r"_models\.(\w+)", annotation or ""):
        if name in enums:
            return enums[name]
    return None


def _sample(param, annotation, enums):
    """(value to pass, JSON form, type) for one path, query or header parameter."""
    enum = _enum_of(annotation, enums)
    sdk_type = param["type"]
    param = {**param, "constraints": _constraints(param)}
    if enum and sdk_type == "str":
        value = enum["values"][0]["value"]
        return value, value, "str"
    if sdk_type == "int":
        value = param["constraints"].get("minimum", 0) + 3
        return value, value, "int"
    if sdk_type == "bool":
        return True, True, "bool"
    if sdk_type == "duration":
        return datetime.timedelta(minutes=5), "PT5M", "duration"
    if sdk_type == "str" and param["wire_name"].lower() == "if-match":
        return IF_MATCH, IF_MATCH, "str"
    if sdk_type == "str":
        value = _string_sample(param["name"], param["constraints"])
        return value, value, "str"
    sys.exit(f"no sample for type {sdk_type} of {param['name']}")


def _constraints(param):
    """The SDK's constraints of a parameter, with those it dropped put back."""
    return {**param["constraints"], **DOCUMENTED_CONSTRAINTS.get(param["name"], {})}


def _check_sample(param, value):
    """Fails unless a sample meets the parameter's documented constraints.

    The SDK would not notice: 5.0.0's Serializer accepts the constraint keywords of
    `_SERIALIZER.url/query(...)` but never checks them (its `client_side_validation`
    flag is not read anywhere), so the oracle checks its own samples.
    """
    rules = _constraints(param)
    if isinstance(value, str):
        ok = _fits(value, rules)
    elif isinstance(value, int) and not isinstance(value, bool):
        ok = rules.get("minimum", value) <= value <= rules.get("maximum", value)
    else:
        ok = True
    if not ok:
        sys.exit(f"sample {value!r} for {param['name']} does not meet {rules}")


def _build_function(group_class, name):
    """The SDK's build function, from the module that defines the operation group."""
    module = inspect.getmodule(getattr(sdk_operations, group_class))
    return getattr(module, name)


def _arguments(operation, enums):
    """Samples for the method's wire arguments, in the method's order, and build kwargs."""
    request = operation["request"]
    annotations = {p["name"]: p["annotation"] for p in operation["parameters"]}
    by_name = {p["name"]: p for p in request["path_params"] + request["query"] + request["headers"]}
    recorded, kwargs = [], {"api_version": "2024-05-01"}
    # Values the client holds rather than the method (only ever subscription_id).
    for param in request["path_params"]:
        if param["from_client"]:
            kwargs[param["name"]] = SUBSCRIPTION_ID
    for name in annotations:
        if name not in by_name:
            continue  # the body: only its presence and content type are recorded
        value, json_value, kind = _sample(by_name[name], annotations[name], enums)
        _check_sample(by_name[name], value)
        kwargs[name] = value
        recorded.append({"name": name, "value": json_value, "type": kind})
    if operation["body"]:
        kwargs["content_type"] = operation["body"]["content_type"]
    return recorded, kwargs


def _record(group, operation, enums):
    recorded, kwargs = _arguments(operation, enums)
    build = _build_function(group["class"], operation["request"]["function"])
    request = build(**kwargs)
    path, _, query = request.url.partition("?")
    return {
        "group": group["class"],
        "attribute": group["attribute"],
        "method": operation["name"],
        "operation_id": operation["operation_id"],
        "arguments": recorded,
        "body": {"content_type": operation["body"]["content_type"]} if operation["body"] else None,
        "request": {
            "method": request.method,
            "path": path,
            "query": query,
            "headers": dict(sorted(request.headers.items())),
        },
    }


def main(description_path, oracle_path):
    description = json.loads(Path(description_path).read_text(encoding="utf-8"))
    enums = {enum["name"]: enum for enum in description["enums"]}
    entries = [
        _record(group, operation, enums)
        for group in description["groups"]
        for operation in group["operations"]
    ]
    oracle = {
        "source": description["source"],
        "client": {"subscription_id": SUBSCRIPTION_ID, "api_version": "2024-05-01"},
        "operations": entries,
    }
    write_json(Path(oracle_path), oracle)


if __name__ == "__main__":
    main(*sys.argv[1:3])
