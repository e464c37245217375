"""The official request/response examples of the 2024-05-01 REST description, checked in.

    python3 codegen/extract/examples.py            # check the checked-in examples
    python3 codegen/extract/examples.py --fetch    # download them again (needs github.com)

`codegen/description/examples-index.json` maps every operationId of the REST description
to its x-ms-examples (title -> file), read from the swagger files of
`specification/apimanagement/resource-manager/Microsoft.ApiManagement/stable/2024-05-01/`
in Azure/azure-rest-api-specs (MIT), and records for every example file the commit it was
taken from and its length in characters (`null`: no copy was found). The files are in
`codegen/description/examples/`, unmodified.

`--check` (the default) fails unless every file the index records is there, has that
length and parses as JSON, and every file there is in the index. `--fetch` downloads each
file from raw.githubusercontent.com at its recorded commit, then checks.
Python 3.11, standard library only.
"""

import argparse
import json
import pathlib
import sys
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
INDEX = ROOT / "codegen/description/examples-index.json"
EXAMPLES = ROOT / "codegen/description/examples"
RAW = "https://raw.githubusercontent.com/{repo}/{commit}/{folder}examples/{name}"


def fetch(index: dict) -> None:
    source = index["source"]
    for name, entry in index["files"].items():
        if entry is None or len(entry["commit"]) != 40:
            continue
        url = RAW.format(repo=source["repo"], commit=entry["commit"], folder=source["folder"], name=name)
        with urllib.request.urlopen(url, timeout=60) as answer:
            (EXAMPLES / name).write_bytes(answer.read())


def check(index: dict) -> int:
    problems = []
    for name, entry in index["files"].items():
        path = EXAMPLES / name
        if entry is None:
            if path.exists():
                problems.append(f"{name}: in the folder but recorded as not found")
            continue
        if not path.exists():
            problems.append(f"{name}: missing")
            continue
        text = path.read_text(encoding="utf-8")
        if len(text) != entry["chars"]:
            problems.append(f"{name}: {len(text)} characters, the index says {entry['chars']}")
        try:
            json.loads(text)
        except ValueError as e:
            problems.append(f"{name}: not JSON: {e}")
    for path in EXAMPLES.glob("*.json"):
        if path.name not in index["files"]:
            problems.append(f"{path.name}: in the folder but not in the index")
    operations = index["operations"]
    with_example = [op for op, entry in operations.items()
                    if any(index["files"].get(f) for f in entry["examples"].values())]
    present = sum(1 for entry in index["files"].values() if entry is not None)
    print(f"examples: {len(operations)} operations, {len(with_example)} with an example file; "
          f"{len(index['files'])} files referenced, {present} present")
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fetch", action="store_true", help="download the files again")
    args = parser.parse_args()
    index = json.loads(INDEX.read_text(encoding="utf-8"))
    if args.fetch:
        fetch(index)
    return check(index)


if __name__ == "__main__":
    sys.exit(main())
