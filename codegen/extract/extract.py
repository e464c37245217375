"""Writes the normalized description of the APIM 2024-05-01 API, and its oracle.

    python3 codegen/extract/extract.py [--no-oracle]

1. Downloads the pinned azure-mgmt-apimanagement wheel (sdk_cache.py) and reads its
   source with `ast`, without importing it: operation groups, operations, models, enums.
2. Checks the result (check.py) and writes codegen/description/apim-2024-05-01.json.
3. Runs oracle.py in a pinned venv: the SDK's own request builders, called with sample
   values, write codegen/description/oracle-2024-05-01.json.

Both files are deterministic: sorted keys, source order for lists, 2-space indent.
"""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import check
import read_models
import read_operations
import sdk_cache

PACKAGE_DIR = "azure/mgmt/apimanagement/"
OUT = sdk_cache.HERE.parent / "description"
DESCRIPTION = OUT / f"apim-{sdk_cache.API_VERSION}.json"
ORACLE = OUT / f"oracle-{sdk_cache.API_VERSION}.json"


def write_json(path, value):
    """The one JSON layout of both files, so re-running gives identical bytes."""
    text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")


def _sources(wheel):
    """{path inside the package: source text} for the sync SDK (the aio copy is the same API)."""
    with zipfile.ZipFile(wheel) as archive:
        return {
            name.removeprefix(PACKAGE_DIR): archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith(PACKAGE_DIR) and name.endswith(".py")
            and not name.startswith(PACKAGE_DIR + "aio/")
        }


def _groups(sources):
    """Every operation group with its client attribute, sorted by class name."""
    attributes = read_operations.read_client_attributes(sources["_api_management_client.py"])
    groups = {}
    for path in sorted(p for p in sources if p.startswith("operations/_")
                       and p.endswith("_operations.py")):
        groups.update(read_operations.read_operations_module(sources[path]))
    return [
        {
            "class": name,
            # The mixin's operations are methods of the client itself, not of an attribute.
            "attribute": attributes.get(name),
            "doc": group["doc"],
            "operations": group["operations"],
        }
        for name, group in sorted(groups.items())
    ]


def _counts(groups, models, enums):
    operations = [op for group in groups for op in group["operations"]]
    paged = sum(1 for op in operations if op["paged"])
    long_running = sum(1 for op in operations if op["long_running"])
    return {
        "operations": len(operations),
        "plain": sum(1 for op in operations if not op["paged"] and not op["long_running"]),
        "paged": paged,
        "long_running": long_running,
        "workspace_scoped": sum(1 for op in operations if "/workspaces/" in op["request"]["path"]),
        "groups": len(groups),
        "models": len(models),
        "enums": len(enums),
    }


def describe(wheel):
    sources = _sources(wheel)
    enums = read_models.read_enums(sources["models/_api_management_client_enums.py"])
    models = read_models.read_models(
        sources["models/_models_py3.py"], {enum["name"] for enum in enums}
    )
    groups = _groups(sources)
    return {
        "source": {
            "package": sdk_cache.PACKAGE,
            "version": sdk_cache.VERSION,
            "api_version": sdk_cache.API_VERSION,
            "wheel_sha256": sdk_cache.WHEEL_SHA256,
        },
        "groups": groups,
        "models": models,
        "enums": enums,
        "counts": _counts(groups, models, enums),
    }


def main():
    description = describe(sdk_cache.sdk_wheel())
    check.check(description)
    write_json(DESCRIPTION, description)
    print(f"wrote {DESCRIPTION.relative_to(sdk_cache.REPO)}: {description['counts']}")
    if "--no-oracle" in sys.argv:
        return
    python = sdk_cache.oracle_python()
    subprocess.run([python, sdk_cache.HERE / "oracle.py", DESCRIPTION, ORACLE], check=True)
    print(f"wrote {ORACLE.relative_to(sdk_cache.REPO)}")


if __name__ == "__main__":
    main()
