"""Checks a description: the expected counts and that its parts fit together.

Run on its own (`python3 codegen/extract/check.py`) it checks the checked-in file;
`extract.py` runs the same checks before writing.
"""

import json
import sys
from pathlib import Path

DESCRIPTION = Path(__file__).resolve().parent.parent / "description" / "apim-2024-05-01.json"

# The shape of the 2024-05-01 API as the project states it (DESIGN.md section 4).
EXPECTED_COUNTS = {
    "operations": 613,
    "groups": 137,
    "paged": 122,
    "long_running": 38,
    "workspace_scoped": 167,
    "models": 391,
    "enums": 86,
}


def _operations(description):
    for group in description["groups"]:
        for operation in group["operations"]:
            yield group, operation


def _count_problems(description):
    counts = description["counts"]
    for name, expected in EXPECTED_COUNTS.items():
        if counts.get(name) != expected:
            yield f"counts.{name} is {counts.get(name)}, expected {expected}"


def _parameter_problems(group, operation):
    """Every method argument must reach the wire, and every wire value must have a source."""
    where = f"{group['class']}.{operation['python_name']}"
    request = operation["request"]
    arguments = {p["name"] for p in operation["parameters"]}
    on_wire = {p["name"] for p in request["path_params"] if not p["from_client"]}
    on_wire |= {p["name"] for p in request["query"] + request["headers"]}
    if operation["body"]:
        on_wire.add(operation["body"]["name"])
    if arguments != on_wire:
        yield f"{where}: arguments {sorted(arguments)} but wire values {sorted(on_wire)}"
    if bool(operation["body"]) != request["has_body"]:
        yield f"{where}: body parameter and build function disagree"


def _reference_problems(description):
    """Every model an operation names must be described."""
    models = {m["name"] for m in description["models"]}
    for group, operation in _operations(description):
        named = [a["model"] for a in operation["responses"].values()]
        named.append((operation["body"] or {}).get("model"))
        named.append((operation["paged"] or {}).get("page_model"))
        named.append((operation["long_running"] or {}).get("final_model"))
        for name in named:
            # Type strings wrap lists and maps: "[Model]", "{object}".
            name = (name or "").strip("[]{}")
            if name and name not in models and name not in ("str", "bool", "object"):
                yield f"{group['class']}.{operation['python_name']}: unknown model {name}"


def problems(description):
    yield from _count_problems(description)
    for group, operation in _operations(description):
        yield from _parameter_problems(group, operation)
    yield from _reference_problems(description)


def check(description):
    """Exits with every problem listed, or returns quietly."""
    found = list(problems(description))
    if found:
        sys.exit("description check failed:\n  " + "\n  ".join(found))


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DESCRIPTION
    check(json.loads(path.read_text()))
    print(f"{path}: ok")
