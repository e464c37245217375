"""The generic scenario's plan, read from the checked-in description of the API.

For each operation group that can create and read a resource under the service, the
plan says: the resource's path, which groups own its parents (by path prefix), the
path values to use, the list operation whose collection holds it, whether the group can
update and delete it, and the minimal bodies (`bodies.json`, wire JSON). The Rust
generator (`codegen/src/write_scenario.rs`) derives the same plan from the same files,
so both clients run one scenario.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent
DESCRIPTION = HERE.parent / "codegen" / "description" / "apim-2024-05-01.json"
BODIES = HERE / "bodies.json"
SERVICE_SEGMENT = "/service/{serviceName}"
SCOPE_PARAMETERS = ("subscription_id", "resource_group_name", "service_name")


@dataclass
class Operation:
    name: str          # the description's name (`create_or_update`)
    python_name: str   # the SDK's method (`begin_create_or_update`)
    method: str
    path: str          # after `/service/{serviceName}`, or the whole path outside it
    path_params: list  # (python name, wire name, constraints, enum), in path order
    parameters: list   # the Python method's parameter names, in order
    required: list     # those the Python method requires
    body_model: Optional[str]
    body_name: Optional[str]   # the SDK's name for the body (`parameters`, mostly)
    long_running: bool
    paged: bool
    has_model: bool
    # The first answer declares an ETag header (the SDK returns only declared headers).
    etag: bool


@dataclass
class Plan:
    attribute: str
    resource: Operation        # the get (a link's create)
    create: Optional[Operation]  # None for a built-in resource, only read
    segments: list             # the resource path's segments after the service
    parents: list              # group attributes owning the parents, in path order
    list_op: Optional[tuple]   # (group attribute, Operation)
    entity_tag: Optional[Operation]
    update: Optional[Operation]
    delete: Optional[Operation]
    readable: bool = True      # has a get; a link has only its existence check
    create_body: dict = field(default_factory=dict)
    update_body: dict = field(default_factory=dict)
    # The group's own path value, when the API fixes it (`default`, `applicationinsights`)
    # or it names another resource (`{certificate}`).
    name: Optional[str] = None


def normalized(path: str) -> str:
    """`/apis/{apiId}/x` -> `/apis/{}/x`: parents match whatever their placeholders' names."""
    return re.sub(r"\{[^}]+\}", "{}", path).lower()


def service_relative(path: str) -> Optional[str]:
    if SERVICE_SEGMENT not in path:
        return None
    return path.split(SERVICE_SEGMENT, 1)[1]


def read_operation(op: dict) -> Operation:
    request = op["request"]
    relative = service_relative(request["path"])
    return Operation(
        name=op["name"],
        python_name=op["python_name"],
        method=request["method"],
        path=relative if relative is not None else request["path"],
        path_params=[(p["name"], p["wire_name"], p["constraints"],
                      annotated_enum(op, p["name"]))
                     for p in request["path_params"] if p["name"] not in SCOPE_PARAMETERS],
        parameters=[p["name"] for p in op["parameters"]],
        required=[p["name"] for p in op["parameters"] if p["required"]],
        body_model=(op.get("body") or {}).get("model"),
        body_name=(op.get("body") or {}).get("name"),
        long_running=op["long_running"] is not None,
        paged=op["paged"] is not None,
        has_model=any(r["model"] for r in op["responses"].values())
        or bool(op["long_running"] and op["long_running"].get("final_model")),
        etag=any("ETag" in r["headers"] for r in op["responses"].values()),
    ) if relative is not None else None


def annotated_enum(op: dict, name: str) -> Optional[str]:
    """`Union[str, _models.PolicyIdName]` -> `PolicyIdName`."""
    for parameter in op["parameters"]:
        found = re.search(r"_models\.(\w+)", parameter["annotation"])
        if parameter["name"] == name and found:
            return found.group(1)
    return None


def load():
    description = json.loads(DESCRIPTION.read_text())
    bodies = json.loads(BODIES.read_text())
    return description, bodies


def enums(description) -> dict:
    return {e["name"]: [v["value"] for v in e["values"]] for e in description["enums"]}


def plans(description, bodies) -> tuple:
    """The plans, in an order where every parent comes before its children, and the
    groups left out with the reason."""
    groups = {}
    for group in description["groups"]:
        if group["attribute"] is None:
            continue
        groups[group["attribute"]] = {op["name"]: op for op in group["operations"]}
    # Every GET of a collection, by its normalized service-relative path.
    collections = {}
    for attribute, ops in groups.items():
        for op in ops.values():
            read = read_operation(op)
            if read is not None and read.method == "GET" and (
                    read.paged or op["name"].startswith("list")):
                collections.setdefault(normalized(read.path), (attribute, read))
    # Resource paths of groups that can create what they read.
    creatable = {}
    for attribute, ops in groups.items():
        get = ops.get("get") or ops.get("get_by_name")
        create = ops.get("create_or_update") or ops.get("create")
        if get and create and read_operation(get) is not None:
            creatable[normalized(read_operation(get).path)] = attribute

    result, skipped = {}, {}
    for attribute, ops in groups.items():
        get = ops.get("get") or ops.get("get_by_name")
        create = ops.get("create_or_update") or ops.get("create")
        built_in = attribute in bodies.get("_built_in", {})
        if not (create or (built_in and get)) or not (get or "delete" in ops):
            continue
        # A link (`products/{p}/apis/{a}`) has no get: it is read by its existence check.
        resource = read_operation(get or create)
        if resource is None:
            skipped[attribute] = "outside `service/{serviceName}`"
            continue
        if not resource.path.strip("/"):
            skipped[attribute] = "the service itself: hand-written rows"
            continue
        if attribute in bodies.get("_hand_written", {}):
            skipped[attribute] = bodies["_hand_written"][attribute]
            continue
        segments = resource.path.strip("/").split("/")
        parents, missing = [], None
        for i, segment in enumerate(segments[:-1]):
            if segment.startswith("{"):
                prefix = normalized("/" + "/".join(segments[:i + 1]))
                owner = creatable.get(prefix)
                if owner is None:
                    missing = prefix
                    break
                parents.append(owner)
        if missing:
            skipped[attribute] = f"no group creates its parent `{missing}`"
            continue
        collection = normalized("/" + "/".join(segments[:-1]))
        entity_tag = (ops.get("get_entity_tag") or ops.get("get_entity_state")
                      or ops.get("check_entity_exists"))
        body = bodies.get(attribute, {})
        result[attribute] = Plan(
            attribute=attribute, resource=resource,
            create=read_operation(create) if create else None,
            segments=segments, parents=parents, list_op=collections.get(collection),
            readable=get is not None,
            entity_tag=read_operation(entity_tag) if entity_tag else None,
            update=read_operation(ops["update"]) if "update" in ops else None,
            delete=read_operation(ops["delete"]) if "delete" in ops else None,
            create_body=body.get("create", {}),
            update_body=body.get("update", {"properties": {"description": "updated"}}),
            name=body.get("name"),
        )
    # Parents first: by depth, then as the description lists them.
    ordered = sorted(result.values(), key=lambda plan: len(plan.parents))
    return ordered, skipped


def path_value(plan: Plan, wire_name: str, constraints: dict, enum_values: list,
               as_parent: bool) -> str:
    """The value of the group's own path parameter: `conf-<group>` for the scenario's
    instance, `parent-<group>` for the one its children live under. An enum-valued
    parameter takes the enum's first value (second as a parent)."""
    if enum_values:
        return enum_values[1 if as_parent and len(enum_values) > 1 else 0]
    stem = plan.attribute.replace("_", "-")
    name = f"{'parent' if as_parent else 'conf'}-{stem}"
    limit = constraints.get("max_length")
    if limit:
        name = name[:limit].rstrip("-")
    return name
