#!/usr/bin/env bash
# Blocker-tree benchmark on the local sandbox (issue 5): N sessions holding K advisory locks each
# (the issue's scale: --connections 10000 --locks 5 = 10,000 sessions, 50,000 locks), measured with
# the GUI's own query, model and view. Usage:
#   tests/bench/bench_locks.sh [BUILD_DIR] [bench_locks options, e.g. --connections 10000 --locks 5]
# Needs a running sandbox (packaging/sandbox/sandbox.sh up) with the same VIGIL_SANDBOX_PORT_BASE.
#
# The sandbox allows 1,200 connections. For more, this script raises max_connections through
# Patroni's dynamic configuration (patronictl edit-config + a restart of every member: standbys
# must allow at least the primary's value) and puts the old value back at the end, the same way.
# Memory guard: every backend costs the host ~1.5 MB (private memory + page tables, measured:
# the bench reports backend_private_kb_avg / backend_page_tables_kb_avg), so the script refuses a
# run whose estimate exceeds VIGIL_BENCH_MAX_MB (default 12288) — the machine has no swap.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$root/build
if [[ $# -gt 0 && $1 != --* ]]; then build=$1; shift; fi
sandbox=$root/packaging/sandbox/sandbox.sh
eval "$("$sandbox" env)"
leader=$(curl -s -m 3 "$VIGIL_SANDBOX_PATRONI_URL/cluster" | jq -r '.members[] | select(.role == "leader") | .name')
[[ "$leader" =~ ^node([1-3])$ ]] || { echo "bench_locks: no leader found (is the sandbox up?)" >&2; exit 1; }
port=$((VIGIL_SANDBOX_PORT_BASE + 10 + ${BASH_REMATCH[1]} - 1))

connections=1000
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  [[ ${args[i]} == --connections ]] && connections=${args[i + 1]}
  [[ ${args[i]} == --connections=* ]] && connections=${args[i]#--connections=}
done

su_psql() { "$sandbox" psql "$leader" -X -q -A -t -c "$1"; }
cluster_settled() { # every member running, none pending a restart
  curl -s -m 3 "$VIGIL_SANDBOX_PATRONI_URL/cluster" |
    jq -e '[.members[] | select(.state == "running" and (.pending_restart // false) == false)] | length == 3' >/dev/null
}
set_max_connections() {
  echo "bench_locks: max_connections -> $1 (Patroni dynamic config, restarting every member)" >&2
  "$sandbox" patronictl edit-config -q -p "max_connections=$1" --force >/dev/null
  sleep 4 # Patroni's loop notices the change (pending restart)
  "$sandbox" patronictl restart hokm-ha --force >/dev/null 2>&1 || true
  # Lowering it: a standby keeps the primary's old value (from pg_control) until the primary has
  # restarted, so it may need a second restart.
  local i
  for ((i = 0; i < 90; i++)); do
    cluster_settled && return 0
    (( i % 10 == 9 )) && { "$sandbox" patronictl restart hokm-ha --pending --force >/dev/null 2>&1 || true; }
    sleep 2
  done
  echo "bench_locks: the cluster did not settle within 180 s" >&2; return 1
}

original=$(su_psql "SHOW max_connections")
need=$((connections + 200))
if (( original < need )); then
  backend_kb=${VIGIL_BENCH_BACKEND_KB:-1900}   # measured at 1,000 x 50 locks: 1.39 MB private + 0.46 MB page tables
  limit_mb=${VIGIL_BENCH_MAX_MB:-12288}
  estimate_mb=$((connections * backend_kb / 1024))
  avail_mb=$(awk '/MemAvailable/ { print int($2 / 1024) }' /proc/meminfo)
  echo "bench_locks: $connections connections need max_connections >= $need (now $original); estimated backend memory ${estimate_mb} MB (limit ${limit_mb} MB, available ${avail_mb} MB)" >&2
  if (( estimate_mb > limit_mb || estimate_mb + 2048 > avail_mb )); then
    echo "bench_locks: refusing: the estimate exceeds the limit or what the machine has available (no swap). Lower --connections or raise VIGIL_BENCH_MAX_MB." >&2
    exit 3
  fi
  restore() { set_max_connections "$original" || echo "bench_locks: could not put max_connections back to $original" >&2; }
  trap restore EXIT
  set_max_connections "$need"
  leader=$(curl -s -m 3 "$VIGIL_SANDBOX_PATRONI_URL/cluster" | jq -r '.members[] | select(.role == "leader") | .name')
  [[ "$leader" =~ ^node([1-3])$ ]] && port=$((VIGIL_SANDBOX_PORT_BASE + 10 + ${BASH_REMATCH[1]} - 1))
fi

cmake --build "$build" -j2 --target bench_locks >/dev/null
export VIGIL_ARTIFACTS_DIR=${VIGIL_ARTIFACTS_DIR:-$build/artifacts}
mkdir -p "$VIGIL_ARTIFACTS_DIR"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "bench_locks: leader $leader on port $port; targets: lock query < 50 ms on the server, model update < 20 ms, no UI stall > 50 ms" >&2
echo "bench_locks: load at start: $(cat /proc/loadavg)" >&2
"$build/tests/bench/bench_locks" --port "$port" "$@" | tee "$VIGIL_ARTIFACTS_DIR/bench_locks.json"
