# Shared setup of the benchmarks in tests/bench/ (sourced, not run).
# Needs a running sandbox: VIGIL_SANDBOX_PORT_BASE selects it (default 64300), and the vigil
# binary (VIGIL_BINARY, default build/bin/vigil of this checkout).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SANDBOX="$ROOT/packaging/sandbox/sandbox.sh"
VIGIL="${VIGIL_BINARY:-$ROOT/build/bin/vigil}"
[[ -x "$VIGIL" ]] || { echo "bench: no vigil binary at $VIGIL (build it, or set VIGIL_BINARY)" >&2; exit 2; }
eval "$("$SANDBOX" env)"
"$SANDBOX" status >/dev/null 2>&1 || { echo "bench: the sandbox (base $VIGIL_SANDBOX_PORT_BASE) is not healthy; run '$SANDBOX up'" >&2; exit 2; }

# The command line of a full `vigil status` on the sandbox (REST + SQL + HAProxy + PgBouncer).
vigil_status_args=(status --patroni "$VIGIL_SANDBOX_PATRONI_URL" --user vigil
  --haproxy-stats "$VIGIL_SANDBOX_HAPROXY_STATS_URL"
  --pgbouncer "host=127.0.0.1 port=$VIGIL_SANDBOX_PGBOUNCER_PORT dbname=pgbouncer user=vigil")

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# median of the numbers on stdin
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# PostgreSQL port of a member
pg_port() { echo $((VIGIL_SANDBOX_PORT_BASE + 10 + ${1#node} - 1)); }

# psql as postgres on a member (password from the sandbox's pgpass)
su_psql() { local n=$1; shift; "$SANDBOX" psql "$n" -X -q -A -t "$@"; }

# CPU nanoseconds a process (all its threads) has run so far, from /proc/PID/schedstat
cpu_ns() {
  local t total=0
  for t in /proc/"$1"/task/*/schedstat; do total=$((total + $(cut -d' ' -f1 "$t"))); done
  echo "$total"
}

# CPU seconds (user + system) a process has used so far, from /proc/PID/stat
cpu_seconds() {
  local tck; tck=$(getconf CLK_TCK)
  awk -v t="$tck" '{ printf "%.2f\n", ($14 + $15) / t }' "/proc/$1/stat"
}

# Stops a `vigil status --watch` started in the background: SIGINT (it exits at once), and
# SIGKILL if it is still there 5 s later, so that no Vigil outlives the benchmark.
stop_vigil() {
  local pid=$1 i
  kill -INT "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
