#!/usr/bin/env bash
# Blocker-tree benchmark on the local sandbox (issue 5): as many sessions and locks as the
# sandbox allows (max_connections=1200, max_locks_per_transaction=128), measured with the GUI's
# own query, model and view. Usage: tests/bench/bench_locks.sh [BUILD_DIR] [bench_locks options]
# Needs a running sandbox (packaging/sandbox/sandbox.sh up) with the same VIGIL_SANDBOX_PORT_BASE.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
shift || true
sandbox=$root/packaging/sandbox/sandbox.sh
eval "$("$sandbox" env)"
leader=$(curl -s -m 3 "$VIGIL_SANDBOX_PATRONI_URL/cluster" | jq -r '.members[] | select(.role == "leader") | .name')
[[ "$leader" =~ ^node([1-3])$ ]] || { echo "bench_locks: no leader found (is the sandbox up?)" >&2; exit 1; }
port=$((VIGIL_SANDBOX_PORT_BASE + 10 + ${BASH_REMATCH[1]} - 1))
make -C "$build" -j2 bench_locks >/dev/null
export VIGIL_ARTIFACTS_DIR=${VIGIL_ARTIFACTS_DIR:-$build/artifacts}
mkdir -p "$VIGIL_ARTIFACTS_DIR"
echo "bench_locks: leader $leader on port $port; targets: lock query < 50 ms on the server, model update < 20 ms, no UI stall > 50 ms" >&2
"$build/tests/bench/bench_locks" --port "$port" "$@" | tee "$VIGIL_ARTIFACTS_DIR/bench_locks.json"
