#!/usr/bin/env bash
# Benchmark 1: whole-process wall time of `vigil status` (REST of 3 members + discovery + /config,
# one SQL probe per member, HAProxy stats, PgBouncer pools, findings) against
# `patronictl list` (REST/DCS only) on the same sandbox. Several runs each; medians and ratio.
# Target: vigil <= 1/5 of patronictl while doing more checks.
#
# Usage: VIGIL_SANDBOX_PORT_BASE=B tests/bench/bench_status.sh [RUNS]
source "$(dirname "$0")/common.sh"
RUNS=${1:-9}
CONFIG="$VIGIL_SANDBOX_DIR/node1/patroni.yml"
[[ -r "$CONFIG" ]] || { echo "bench: cannot read $CONFIG" >&2; exit 2; }
PATRONICTL=(/usr/bin/python3 /usr/bin/patronictl -c "$CONFIG" list)

time_runs() { # NAME CMD... -> one wall time in ms per line
  local i t0 rc; shift
  for ((i = 0; i < RUNS; i++)); do
    t0=$(now_ms)
    rc=0; "$@" >/dev/null 2>&1 || rc=$?
    echo "$(( $(now_ms) - t0 )) $rc"
  done
}

echo "warming up (one run each, not counted)"
"$VIGIL" "${vigil_status_args[@]}" >/dev/null 2>&1 || true
"${PATRONICTL[@]}" >/dev/null 2>&1 || true

mapfile -t v < <(time_runs vigil "$VIGIL" "${vigil_status_args[@]}")
mapfile -t p < <(time_runs patronictl "${PATRONICTL[@]}")
vm=$(printf '%s\n' "${v[@]}" | cut -d' ' -f1 | median)
pm=$(printf '%s\n' "${p[@]}" | cut -d' ' -f1 | median)
echo "vigil status      runs(ms, exit): $(printf '%s; ' "${v[@]}")"
echo "patronictl list   runs(ms, exit): $(printf '%s; ' "${p[@]}")"
echo "median wall time: vigil status ${vm} ms, patronictl list ${pm} ms"
awk -v v="$vm" -v p="$pm" 'BEGIN { printf "ratio vigil/patronictl = %.3f (1/%.1f); target <= 0.200: %s\n", v / p, p / v, (v / p <= 0.2 ? "MET" : "NOT MET") }'
