#!/usr/bin/env bash
# Compile cost of apim-client per cargo feature (BENCHMARKS.md §3b), and a check that each
# feature alone builds without a warning.
#
#   bash benches/features.sh               # every row once
#   ROUNDS=3 bash benches/features.sh      # median of 3
#   ROWS="core apis full" bash benches/features.sh
#
# Each row: `cargo clean -p apim-client`, then a debug build of apim-client alone with
# `--no-default-features --features <row>` (`core`: no feature; `default`: the default
# features), CARGO_INCREMENTAL=0, dependencies already built (the first build, not
# measured, builds them). CPU seconds are user + system of cargo and rustc (GNU time).
# Fails if a build fails or prints a warning. Builds in the workspace's own target dir.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-1}
export CARGO_INCREMENTAL=0
areas=$(sed -n 's/^full = \[\(.*\)\]$/\1/p' apim-client/Cargo.toml | tr -d '",')
ROWS=${ROWS:-core default $areas full}

args_of() {
    case "$1" in
        core) echo "--no-default-features" ;;
        default) echo "" ;;
        *) echo "--no-default-features --features $1" ;;
    esac
}

# Dependencies (and apim-macros, apim-wire) first, not measured.
cargo build -q -p apim-client --no-default-features

log=$(mktemp)
trap 'rm -f "$log"' EXIT
printf '%-16s %8s %8s\n' feature "CPU s" "wall s"
for row in $ROWS; do
    cpus=()
    walls=()
    for _ in $(seq "$ROUNDS"); do
        cargo clean -q -p apim-client
        # shellcheck disable=SC2046 # the arguments are word-split on purpose
        /usr/bin/time -f '%U %S %e' -o "$log.time" \
            cargo build -p apim-client $(args_of "$row") >"$log" 2>&1 || {
            cat "$log"
            exit 1
        }
        if grep -q '^warning' "$log"; then
            echo "warnings building apim-client with $row:"
            cat "$log"
            exit 1
        fi
        read -r user sys wall <"$log.time"
        cpus+=("$(echo "$user + $sys" | bc)")
        walls+=("$wall")
    done
    median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }
    printf '%-16s %8.2f %8.2f\n' "$row" "$(median "${cpus[@]}")" "$(median "${walls[@]}")"
done
rm -f "$log.time"
