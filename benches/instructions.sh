#!/usr/bin/env bash
# Instructions per backend_reconnect call, apim against hand-written reqwest, counted by
# callgrind (deterministic, unlike time). Each client makes N1 and then N2 sequential calls
# to the same loopback server (a child process, not counted); the difference divided by
# N2 - N1 is the cost of one call, without start-up.
#
#   benches/instructions.sh            # N1 = 500, N2 = 1500
set -euo pipefail
cd "$(dirname "$0")/.."
N1=${N1:-500}
N2=${N2:-1500}
cargo bench --bench throughput --no-run 2>/dev/null
BIN=$(ls -t target/release/deps/throughput-* | grep -v '\.d$' | head -1)
count() { # client calls
    local out
    out=$(mktemp)
    APIM_BENCH_ONLY=$1 APIM_BENCH_N=$2 valgrind --tool=callgrind --callgrind-out-file="$out" \
        "$BIN" >/dev/null 2>&1
    grep '^summary:' "$out" | awk '{print $2}'
    rm -f "$out"
}
declare -A per_call
for client in raw apim; do
    a=$(count "$client" "$N1")
    b=$(count "$client" "$N2")
    per_call[$client]=$(( (b - a) / (N2 - N1) ))
    echo "$client: $a instructions for $N1 calls, $b for $N2: ${per_call[$client]} per call"
done
awk -v a="${per_call[apim]}" -v r="${per_call[raw]}" \
    'BEGIN { printf "apim / raw: %.3f\n", a / r }'
