#!/usr/bin/env bash
# Benchmark 3: client CPU per minute of `vigil status --watch 1` (3 members over REST and SQL,
# HAProxy, PgBouncer, findings, a report per second) against `pg_activity --refresh 1` on ONE
# member, both running at the same time on the same sandbox. pg_activity is a curses program: it
# runs inside `script` (a pseudo-terminal), fed by a sleeping pipe so it never sees EOF.
# CPU = utime + stime from /proc/PID/stat. Target: vigil <= 1/10 of pg_activity.
#
# With WORKLOAD=1 the sandbox's game workload (pgbench through PgBouncer, idle and blocked
# sessions) runs during the measurement, so both tools have something to show.
#
# Where vigil's CPU goes (perf record --call-graph dwarf on `vigil status --watch 1`, quiet
# sandbox, Qt 6.4.2): about three quarters is HTTP — five requests per cycle (GET /cluster,
# three GET /patroni, HAProxy's CSV). Patroni 3.0.2 answers HTTP/1.0 and closes, so four of
# them open a new TCP connection every cycle (connect/close on loopback, charged to the
# client), and Qt's HTTP stack reads every status and header line ONE BYTE PER read() syscall
# (QHttpNetworkReplyPrivate::readStatus/readHeader on an unbuffered socket): ~120 syscalls per
# response, ~17 % of vigil's CPU. The SQL probes, PgBouncer, JSON parsing and the terminal
# report are the remaining quarter. (That profile predates issue 13: a quiet cluster's members
# now get GET /patroni, like GET /cluster, every 5 s while their SQL probe agrees with it, so
# about 0.8 Patroni GETs per second instead of 4.)
#
# Usage: VIGIL_SANDBOX_PORT_BASE=B [WORKLOAD=1] tests/bench/bench_cpu.sh [SECONDS]
source "$(dirname "$0")/common.sh"
DURATION=${1:-60}
command -v pg_activity >/dev/null || { echo "bench: pg_activity is not installed (apt-get install pg-activity)" >&2; exit 2; }
leader=$(curl -s -m 2 "$VIGIL_SANDBOX_PATRONI_URL/cluster" | jq -r '.members[] | select(.role == "leader") | .name')
lport=$(pg_port "${leader:-node1}")
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ "${WORKLOAD:-0}" == 1 ]]; then "$SANDBOX" workload stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
if [[ "${WORKLOAD:-0}" == 1 ]]; then
  echo "starting the sandbox workload"
  "$SANDBOX" workload --seconds $((DURATION + 60)) >/dev/null
fi

"$VIGIL" "${vigil_status_args[@]}" --watch 1 >/dev/null 2>&1 &
vpid=$!; pids+=("$vpid")

sleep $((DURATION + 30)) | TERM=xterm script -qfec \
  "stty cols 200 rows 50; exec env PGPASSFILE='$VIGIL_SANDBOX_DIR/pgpass' pg_activity -h 127.0.0.1 -p $lport -U postgres -d postgres --refresh 1" \
  /dev/null >/dev/null 2>&1 &
spid=$!; pids+=("$spid")
# The process whose name is pg_activity (python sets it from the script's name), not `script`
# or the shell that starts it, which carry the same command line until the exec.
apid=""
for ((i = 0; i < 100; i++)); do
  for p in $(pgrep -f "pg_activity -h 127.0.0.1 -p $lport" || true); do
    [[ "$(cat "/proc/$p/comm" 2>/dev/null)" == pg_activity ]] && apid=$p
  done
  [[ -n "$apid" ]] && break
  sleep 0.2
done
[[ -n "$apid" ]] || { echo "bench: pg_activity did not start" >&2; exit 1; }
pids+=("$apid")

sleep 3 # both past their start-up
v0=$(cpu_seconds "$vpid"); a0=$(cpu_seconds "$apid")
vn0=$(cpu_ns "$vpid"); an0=$(cpu_ns "$apid")
echo "measuring for $DURATION s: vigil pid $vpid (3 members + HAProxy + PgBouncer), pg_activity pid $apid (member $leader)"
sleep "$DURATION"
v1=$(cpu_seconds "$vpid"); a1=$(cpu_seconds "$apid")
vn1=$(cpu_ns "$vpid"); an1=$(cpu_ns "$apid")
kill -0 "$apid" 2>/dev/null || { echo "bench: pg_activity exited during the run" >&2; exit 1; }
# Two clocks: utime+stime (/proc/PID/stat, sampled at 100 Hz ticks: coarse, and biased for a
# process that runs in short bursts, as vigil does) and the scheduler's run time
# (/proc/PID/schedstat, nanoseconds, summed over all threads). The verdict uses the latter.
awk -v v0="$v0" -v v1="$v1" -v a0="$a0" -v a1="$a1" -v vn0="$vn0" -v vn1="$vn1" -v an0="$an0" -v an1="$an1" -v d="$DURATION" 'BEGIN {
  v = (v1 - v0) * 60 / d; a = (a1 - a0) * 60 / d
  printf "CPU seconds per minute (ticks, utime+stime): vigil status --watch 1: %.2f s; pg_activity --refresh 1: %.2f s\n", v, a
  v = (vn1 - vn0) / 1e9 * 60 / d; a = (an1 - an0) / 1e9 * 60 / d
  printf "CPU seconds per minute (schedstat run time): vigil status --watch 1: %.3f s; pg_activity --refresh 1: %.3f s\n", v, a
  if (v > 0 && a > 0) printf "ratio vigil/pg_activity = %.3f (1/%.1f); target <= 0.100: %s\n", v / a, a / v, (v / a <= 0.1 ? "MET" : "NOT MET")
  else printf "bench: no CPU time measured (vigil %.3f s, pg_activity %.3f s)\n", v, a
}'

# The floor: what one HTTP GET costs through QNetworkAccessManager (Vigil's one HTTP stack)
# against a bare socket, on the same sandbox, and what vigil's Patroni requests cost at that
# price alone: 4 per second when GET /cluster and 3 x GET /patroni go every cycle, 0.8 per
# second on a quiet cluster, where both come every clusterIntervalMs (5 s).
http_bench="$ROOT/build/tests/bench/vigil_bench_http"
if [[ -x "$http_bench" ]]; then
  out=$("$http_bench" "$VIGIL_SANDBOX_PATRONI_URL/patroni" 300) || true
  echo "$out"
  nam_us=$(awk '/QNetworkAccessManager:/ { print $2 }' <<<"$out")
  [[ -n "$nam_us" ]] && awk -v u="$nam_us" -v a="$(awk -v a0="$an0" -v a1="$an1" -v d="$DURATION" 'BEGIN { print (a1 - a0) / 1e9 * 60 / d }')" 'BEGIN {
    f = 4 * 60 * u / 1e6; q = 0.8 * 60 * u / 1e6
    printf "floor: 4 Patroni GETs per second through QNetworkAccessManager = %.3f CPU s per minute = 1/%.1f of pg_activity in this run, before any SQL, HAProxy, PgBouncer or report\n", f, a / f
    printf "floor on a quiet cluster (0.8 Patroni GETs per second): %.3f CPU s per minute = 1/%.1f of pg_activity\n", q, a / q }'
else
  echo "(for the HTTP floor, build it: make -C $ROOT/build vigil_bench_http)"
fi
