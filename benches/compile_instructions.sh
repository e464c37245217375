#!/usr/bin/env bash
# Instructions rustc spends compiling apim-client alone, per cargo feature, here and at a
# baseline commit, counted by callgrind (deterministic, unlike CPU time on a shared machine).
# Dependencies are built first, untouched; only the apim_client rustc runs under valgrind.
#
#   benches/compile_instructions.sh BASE_REV [FEATURE ...]   # default: core apis products full
#
# The baseline is checked out in target/compile-instructions/base (a git worktree with its
# own target directory). Prints one line per feature: base, here, ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
base_rev=${1:?usage: $0 BASE_REV [FEATURE ...]}
shift
features=("${@:-core}")
[ $# -eq 0 ] && features=(core apis products full)
work=$PWD/target/compile-instructions
mkdir -p "$work"
base=$work/base
if [ ! -d "$base" ]; then git worktree add -q --detach "$base" "$base_rev"; fi
git -C "$base" checkout -q --detach "$base_rev"

wrapper=$work/wrap.sh
cat > "$wrapper" <<'WRAP'
#!/usr/bin/env bash
# RUSTC_WRAPPER: the apim_client crate under callgrind, every other crate as is.
rustc="$1"; shift
for a in "$@"; do
  if [ "$a" = "apim_client" ]; then
    out=$(mktemp "$CG_DIR/cg.XXXXXX")
    valgrind --tool=callgrind --callgrind-out-file="$out" "$rustc" "$@" 2>/dev/null
    rc=$?
    grep '^summary:' "$out" | awk '{print $2}' >> "$CG_DIR/count"
    rm -f "$out"
    exit $rc
  fi
done
exec "$rustc" "$@"
WRAP
chmod +x "$wrapper"

count() { # tree feature
    local args=(--no-default-features)
    [ "$2" != core ] && args+=(--features "$2")
    (
        cd "$1"
        export CARGO_INCREMENTAL=0 CG_DIR=$work
        cargo build -q -p apim-client "${args[@]}" >/dev/null 2>&1
        cargo clean -q -p apim-client
        rm -f "$work/count"
        RUSTC_WRAPPER=$wrapper cargo build -q -p apim-client "${args[@]}" >/dev/null 2>&1
        cat "$work/count"
    )
}

printf '%-12s %16s %16s %7s\n' feature base here ratio
for feature in "${features[@]}"; do
    b=$(count "$base" "$feature")
    h=$(count "$PWD" "$feature")
    awk -v f="$feature" -v b="$b" -v h="$h" 'BEGIN { printf "%-12s %16.0f %16.0f %7.3f\n", f, b, h, h / b }'
done
