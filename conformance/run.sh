#!/usr/bin/env bash
# The emulator's conformance suite: the official Python SDK (azure-mgmt-apimanagement
# 5.0.0) drives the emulator binary over HTTP, as a real client would.
#
#   bash conformance/run.sh [--verbose] [--markdown]   (options go to scenario.py)
#
# Then it runs conformance/tour.py, `examples/tour.rs` written with the Python SDK.
#
# Needs Python 3.11+ with pip (PyPI reachable on the first run) and the Rust toolchain.
# The venv lives in target/conformance-venv (or $CONFORMANCE_VENV) and is rebuilt only when requirements.txt
# changes (its sha256 is stored beside it).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
target="${CARGO_TARGET_DIR:-$repo/target}"
# CONFORMANCE_VENV puts the venv elsewhere (e.g. a fresh one, to time a cold set-up).
venv="${CONFORMANCE_VENV:-$target/conformance-venv}"
requirements="$here/requirements.txt"
python="${PYTHON:-python3}"

now() { date +%s.%N; }
elapsed() { awk -v start="$1" -v end="$(now)" 'BEGIN { printf "%.1f", end - start }'; }

# The venv, reused while requirements.txt is unchanged. Installed --no-deps: the file pins
# the whole closure, and `pip check` proves nothing is missing from it.
setup_venv() {
    local wanted stamp="$venv/requirements.sha256"
    wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"
    if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
        echo "== venv: reusing $venv"
        return
    fi
    echo "== venv: creating $venv"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
        -r "$requirements"
    "$venv/bin/python" -m pip check --disable-pip-version-check
    echo "$wanted" > "$stamp"
}

emulator_pid=""
emulator_log=""
stop_emulator() {
    if [[ -n "$emulator_pid" ]] && kill -0 "$emulator_pid" 2>/dev/null; then
        kill "$emulator_pid" 2>/dev/null || true
        wait "$emulator_pid" 2>/dev/null || true
    fi
    if [[ -n "$emulator_log" ]]; then
        rm -f "$emulator_log"
    fi
}
trap stop_emulator EXIT

# Starts the binary on a free port and waits (up to 10 s) for the two lines it prints:
# `endpoint: http://127.0.0.1:N` and `token: T`.
start_emulator() {
    emulator_log="$(mktemp)"
    # Retry-After: 0 so the SDK's pollers do not sleep a second per poll; the waits
    # themselves are the client's business, tested in the Rust suites.
    "$target/debug/apim-emulator" --port 0 --lro-retry-after 0 > "$emulator_log" 2>&1 &
    emulator_pid=$!
    for _ in $(seq 100); do
        endpoint="$(sed -n 's/^endpoint: //p' "$emulator_log")"
        token="$(sed -n 's/^token: //p' "$emulator_log")"
        if [[ -n "$endpoint" && -n "$token" ]]; then
            return
        fi
        if ! kill -0 "$emulator_pid" 2>/dev/null; then
            echo "the emulator exited before printing its endpoint:" >&2
            cat "$emulator_log" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "the emulator printed no endpoint and token within 10 s:" >&2
    cat "$emulator_log" >&2
    return 1
}

start="$(now)"
setup_venv
echo "== venv ready in $(elapsed "$start") s"

echo "== cargo build -p apim-emulator"
(cd "$repo" && cargo build --quiet -p apim-emulator)

start_emulator
echo "== emulator at $endpoint (pid $emulator_pid)"

start="$(now)"
status=0
"$venv/bin/python" "$here/scenario.py" --endpoint "$endpoint" --token "$token" "$@" || status=$?
echo "== scenario ran in $(elapsed "$start") s"

# The tour (`examples/tour.rs`), written with the Python SDK, on the same emulator.
start="$(now)"
"$venv/bin/python" "$here/tour.py" --endpoint "$endpoint" --token "$token" || status=$?
echo "== tour ran in $(elapsed "$start") s"
exit "$status"
