"""Fetching the pinned SDK and the oracle's virtual environment into a cache folder.

Nothing here depends on what happens to be installed: the wheel is downloaded with pip
and checked against a pinned hash, and the venv is built from `requirements.txt`.
Both live under `target/codegen/` (ignored by git, removed by `cargo clean`).
"""

import hashlib
import subprocess
import sys
import venv
from pathlib import Path

PACKAGE = "azure-mgmt-apimanagement"
VERSION = "5.0.0"
API_VERSION = "2024-05-01"
# The wheel PyPI serves for 5.0.0; a different file means a different input.
WHEEL = "azure_mgmt_apimanagement-5.0.0-py3-none-any.whl"
WHEEL_SHA256 = "b88c42a392333b60722fb86f15d092dfc19a8d67510dccd15c217381dff4e6ec"

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CACHE = REPO / "target" / "codegen"
REQUIREMENTS = HERE / "requirements.txt"


def _sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(args):
    """Runs a command, showing its output only when it fails."""
    result = subprocess.run(args, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"command failed: {' '.join(map(str, args))}\n{result.stdout}{result.stderr}")


def sdk_wheel():
    """The path of the pinned SDK wheel, downloaded on first use and verified every time."""
    wheel = CACHE / "download" / WHEEL
    if not wheel.exists():
        _run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
              "--dest", wheel.parent, f"{PACKAGE}=={VERSION}"])
    actual = _sha256(wheel)
    if actual != WHEEL_SHA256:
        sys.exit(f"{wheel}: sha256 {actual}, expected {WHEEL_SHA256}")
    return wheel


def oracle_python():
    """The Python of a venv with exactly `requirements.txt`, created or refreshed as needed."""
    home = CACHE / "venv"
    python = home / "bin" / "python"
    stamp = home / "requirements.txt"
    wanted = REQUIREMENTS.read_text()
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    venv.EnvBuilder(clear=True, with_pip=True).create(home)
    # --no-deps: the file lists the whole closure, so nothing unpinned can slip in; the
    # downloaded wheel is offered first so the SDK itself is not fetched twice.
    _run([python, "-m", "pip", "install", "--quiet", "--no-deps",
          "--find-links", sdk_wheel().parent, "-r", REQUIREMENTS])
    stamp.write_text(wanted)
    return python
