#!/usr/bin/env bash
# GUI benchmark on the sandbox: 3 members polled every 1 s, 1,000 extra idle backends on the
# leader, 24 h of chart history filled in; reports CPU seconds per minute, RSS, and the longest
# event-loop stalls of the UI thread (targets: p99 <= 16 ms, max <= 50 ms, RSS < 150 MB).
#
# Usage: tests/bench/bench_gui.sh [BUILD_DIR] [SECONDS]
# Needs a running sandbox (VIGIL_SANDBOX_PORT_BASE selects it; packaging/sandbox/sandbox.sh up).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${1:-$src/build}
seconds=${2:-60}
bench="$build/tests/bench/vigil_bench_gui"
sandbox="$src/packaging/sandbox/sandbox.sh"
[[ -x "$bench" ]] || { echo "bench_gui: build it first: make -C $build vigil_bench_gui" >&2; exit 2; }
eval "$("$sandbox" env)"
base=$VIGIL_SANDBOX_PORT_BASE

# Open 1,000 idle backends on the leader (through HAProxy's read-write port): pgbench clients
# that connect once and then sleep; they end by themselves after the benchmark's duration.
idle_sql=$(mktemp)
echo "\\sleep 30 s" >"$idle_sql"
ulimit -n 8192 2>/dev/null || true
PGAPPNAME=bench-idle pgbench -n -h 127.0.0.1 -p "$VIGIL_SANDBOX_RW_PORT" -U vigil -c 1000 -j 4 \
  -T $((seconds + 40)) -f "$idle_sql" postgres >/tmp/vigil-bench-pgbench.log 2>&1 &
pgbench_pid=$!
cleanup() { kill "$pgbench_pid" 2>/dev/null || true; wait "$pgbench_pid" 2>/dev/null || true; rm -f "$idle_sql"; }
trap cleanup EXIT
for _ in $(seq 1 60); do
  n=$(psql -X -At -h 127.0.0.1 -p "$VIGIL_SANDBOX_RW_PORT" -U vigil -d postgres \
        -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'bench-idle'" 2>/dev/null || echo 0)
  [[ "$n" -ge 1000 ]] && break
  sleep 1
done
echo "bench_gui: $n idle backends open on the leader"

QT_QPA_PLATFORM=offscreen "$bench" --seconds "$seconds" \
  --patroni "$VIGIL_SANDBOX_PATRONI_URL" --name hokm-ha \
  --sql "dbname=postgres user=vigil" \
  --haproxy-stats "$VIGIL_SANDBOX_HAPROXY_STATS_URL" --haproxy-backend rw \
  --pgbouncer "host=127.0.0.1 port=$VIGIL_SANDBOX_PGBOUNCER_PORT dbname=pgbouncer user=pgbouncer_admin" \
  | tee /tmp/vigil-bench-gui.txt

# Verdict against the targets.
val() { grep "^$1=" /tmp/vigil-bench-gui.txt | cut -d= -f2; }
awk -v p99="$(val stall_p99_ms)" -v mx="$(val stall_max_ms)" -v rss="$(val rss_peak_mb)" 'BEGIN {
  ok = (p99 <= 16) && (mx <= 50) && (rss < 150);
  printf "bench_gui: stall p99 %.1f ms (<= 16), max %.1f ms (<= 50), peak RSS %.0f MB (< 150): %s\n", p99, mx, rss, ok ? "within targets" : "OUTSIDE TARGETS";
}'
