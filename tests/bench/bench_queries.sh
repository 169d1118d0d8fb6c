#!/usr/bin/env bash
# Benchmark 2: server time of Vigil's monitoring query per member and cycle, from
# pg_stat_statements, with ~1,000 extra backends open on the leader (the sandbox has
# max_connections=1200). Steps: open the backends (pgbench clients that mostly sleep, so they sit
# idle like an application's pool), reset pg_stat_statements on every member, run
# `vigil status --watch 1` for a while, then sum total_exec_time / calls of the statements that
# carry Vigil's marker ("vigil:member_probe"). Target: under 2 ms per node per cycle.
#
# The probe has two kinds of cycle (resources/sql/monitor_member.sql): a cheap one every second
# (the backends attached to a database from pg_stat_get_db_numbackends, corrected by what the
# last breakdown counted; no pg_stat_get_activity(NULL); its own prepared statement, without the
# "full cycles only" lines), and a full one with the exact total and the connection breakdown by
# state/application/database, paced by its cost: the probe reports its own server time
# ("server_ms"), and the breakdown may add 0.5 ms per cycle on average (breakdownIntervalFor in
# services/monitor/memberprobequery.h; every cycle on a small server, at most 10 s apart). Both
# statements carry the marker, so pg_stat_statements (summed over the two) gives the honest
# AVERAGE per cycle over the run; how many cycles had the breakdown is counted from vigil's
# --json output (breakdown_age_ms 0); the cost of each kind is printed apart from repeated
# EXECUTEs (the probe's own "server_ms", which also counts executor start-up and any
# re-planning, outside pg_stat_statements' figure) and from the backend's own CPU time
# (/proc/PID/schedstat). The two ways to count backends are timed apart too.
#
# The total Vigil causes (issue 13): each GET /patroni makes Patroni run one query on its
# PostgreSQL (api.py get_postgresql_status: pg_stat_get_wal_senders() joined with
# pg_stat_get_activity(pid), 1-2 ms at 1,000 backends). HAProxy's health checks (GET /primary and
# /replica, every second) run the same statement, so the calls Vigil triggers are the calls per
# second during the run minus those of a window of the same length without Vigil just before it
# (BASE_SECONDS); times their mean server time during the run. Vigil's own count is exact: each
# answered GET /patroni gives the member's rest channel a new last_ok in vigil's --json output
# (a request that got no answer is not counted there). The total printed per member and for all
# members is the probe's server time per second plus Patroni's for Vigil's requests (that exact
# count times the statement's mean), in ms per second of wall time; the baseline difference is
# printed beside it as a cross-check.
#
# Usage: VIGIL_SANDBOX_PORT_BASE=B [IDLE_SLEEP=S] [BASE_SECONDS=S] [DETAILS=0]
#        [VIGIL_BINARY=path] tests/bench/bench_queries.sh [BACKENDS] [SECONDS]
# DETAILS=0 stops after the run's figures (the totals), skipping the per-statement analyses.
source "$(dirname "$0")/common.sh"
BACKENDS=${1:-1000}
SECONDS_RUN=${2:-30}
leader=$(curl -s -m 2 "$VIGIL_SANDBOX_PATRONI_URL/cluster" | jq -r '.members[] | select(.role == "leader") | .name')
[[ -n "$leader" ]] || { echo "bench: no leader" >&2; exit 2; }
lport=$(pg_port "$leader")
work=$(mktemp -d)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Idle-ish clients: each sleeps IDLE_SLEEP seconds (default 2) between trivial queries. With
# 2 s, 1,000 clients started together wake together: a burst of 1,000 queries every 2 s
# (500 per second) that keeps a 2-core machine's run queue long, and the probe's wall time
# (what pg_stat_statements counts) includes waiting for a CPU. IDLE_SLEEP=30 is closer to an
# application pool's idle connections.
IDLE_SLEEP=${IDLE_SLEEP:-2}
ulimit -n 8192 2>/dev/null || true
printf '\\sleep %s s\nSELECT 1;\n' "$IDLE_SLEEP" >"$work/idle.sql"
echo "opening $BACKENDS backends on the leader $leader (port $lport) with pgbench (each: SELECT 1 every $IDLE_SLEEP s)"
PGPASSFILE="$VIGIL_SANDBOX_DIR/pgpass" PGAPPNAME=bench-idle pgbench -n -h 127.0.0.1 -p "$lport" -U postgres \
  -c "$BACKENDS" -j 4 -T $((SECONDS_RUN + 120)) -f "$work/idle.sql" postgres >"$work/pgbench.log" 2>&1 &
pids+=($!)
for ((i = 0; i < 120; i++)); do
  n=$(su_psql "$leader" -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'bench-idle'" 2>/dev/null || echo 0)
  ((n >= BACKENDS)) && break
  sleep 1
done
echo "backends open on $leader: $n (client backends in total: $(su_psql "$leader" -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"))"
((n >= BACKENDS * 9 / 10)) || { echo "bench: could not open the backends; pgbench said:"; tail -5 "$work/pgbench.log"; exit 1; }

# Another Vigil on the sandbox (a demo, a forgotten --watch) would run the same statement: its
# calls would count here. Refuse rather than print a mixed figure.
others=$(su_psql "$leader" -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'vigil'")
((others == 0)) || { echo "bench: $others other Vigil session(s) on $leader already; stop them first" >&2; exit 2; }
# Patroni's /patroni statement (see above), and its calls and total server time on a member.
PATRONI_STMT="query LIKE '%pg_stat_get_wal_senders() w, pg_catalog.pg_stat_get_activity(pid)%'"
patroni_stmt() { # MEMBER -> "calls total_ms"
  su_psql "$1" -F ' ' -c "SELECT coalesce(sum(calls), 0), round(coalesce(sum(total_exec_time), 0)::numeric, 3) FROM pg_stat_statements WHERE $PATRONI_STMT"
}
reset_statements() { local m; for m in node1 node2 node3; do su_psql "$m" -c "SELECT pg_stat_statements_reset()" >/dev/null; done; }
BASE_SECONDS=${BASE_SECONDS:-$SECONDS_RUN}
echo "baseline: $BASE_SECONDS s without Vigil (Patroni's /patroni statement, run by HAProxy's checks)"
reset_statements
base_t0=$(now_ms)
sleep "$BASE_SECONDS"
declare -A base_calls
for m in node1 node2 node3; do read -r base_calls[$m] _ <<<"$(patroni_stmt "$m")"; done
base_s=$(awk -v a="$base_t0" -v b="$(now_ms)" 'BEGIN { print (b - a) / 1000 }')
reset_statements
run_t0=$(now_ms)
echo "running 'vigil status --watch 1' for $SECONDS_RUN s ($VIGIL)"
"$VIGIL" "${vigil_status_args[@]}" --watch 1 --json >"$work/watch.json" 2>/dev/null &
vpid=$!
pids+=($vpid)
# Vigil's own session on each member: its backend's CPU time (schedstat) over the run, per
# cycle, is the probe's cost without the wait for a CPU that wall times include (every cycle,
# vigil, three Patroni REST handlers, HAProxy and PgBouncer wake at the same instant). It
# includes executor start-up and the protocol round trip, which pg_stat_statements leaves out.
sleep 3
declare -A bpid cpu0 calls0
for m in node1 node2 node3; do
  bpid[$m]=$(su_psql "$m" -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'vigil' AND backend_type = 'client backend' ORDER BY backend_start LIMIT 1")
  cpu0[$m]=$(cut -d' ' -f1 "/proc/${bpid[$m]}/schedstat" 2>/dev/null || echo 0)
  calls0[$m]=$(su_psql "$m" -c "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE query LIKE '%vigil:member_probe%'")
done
sleep $((SECONDS_RUN - 3))
declare -A cpu1 calls1
for m in node1 node2 node3; do
  cpu1[$m]=$(cut -d' ' -f1 "/proc/${bpid[$m]}/schedstat" 2>/dev/null || echo 0)
  calls1[$m]=$(su_psql "$m" -c "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE query LIKE '%vigil:member_probe%'")
done
declare -A run_calls run_ms probe_ms
for m in node1 node2 node3; do
  read -r run_calls[$m] run_ms[$m] <<<"$(patroni_stmt "$m")"
  probe_ms[$m]=$(su_psql "$m" -c "SELECT round(coalesce(sum(total_exec_time), 0)::numeric, 3) FROM pg_stat_statements WHERE query LIKE '%vigil:member_probe%'")
done
run_s=$(awk -v a="$run_t0" -v b="$(now_ms)" 'BEGIN { print (b - a) / 1000 }')
stop_vigil "$vpid"

echo "server time Vigil causes per second (its probe + Patroni's /patroni statement for the requests Vigil sends; run $run_s s, baseline $base_s s):"
total_all=0
for m in node1 node2 node3; do
  asked=$(jq -r --arg m "$m" '.members[] | select(.name == $m) | .rest.last_ok // empty' "$work/watch.json" 2>/dev/null | sort -u | wc -l)
  snaps=$(jq -r '.sequence' "$work/watch.json" 2>/dev/null | wc -l)
  line=$(awk -v bc="${base_calls[$m]}" -v bs="$base_s" -v rc="${run_calls[$m]}" -v rm="${run_ms[$m]}" -v rs="$run_s" -v pm="${probe_ms[$m]}" -v n="$asked" 'BEGIN {
    extra = rc / rs - bc / bs; if (extra < 0) extra = 0
    mean = rc > 0 ? rm / rc : 0
    p = pm / rs; q = n / rs * mean
    printf "%.3f %.3f %.2f %.2f %.3f %.3f %.2f %.2f", p + q, p, rc / rs, bc / bs, mean, q, n / rs, extra }')
  read -r tot p rate brate mean q vrate extra <<<"$line"
  [[ "$m" == "$leader" ]] && tag=" (leader)" || tag=""
  echo "  $m$tag: $tot ms/s = probe $p ms/s + Patroni $q ms/s (Vigil's GET /patroni answered: $asked in $snaps cycles, $vrate/s; the statement's mean $mean ms; cross-check: $rate calls/s with Vigil, $brate without, difference $extra/s)"
  [[ "$m" == "$leader" ]] && leader_total=$tot
  total_all=$(awk -v a="$total_all" -v b="$tot" 'BEGIN { printf "%.3f", a + b }')
done
echo "VIGIL-CAUSED SERVER TIME: leader $leader_total ms/s; all members $total_all ms/s"

fresh=$(jq -r --arg l "$leader" '.members[] | select(.name == $l) | .connections.breakdown_age_ms // empty' "$work/watch.json" 2>/dev/null | awk '$1 == 0 { f++ } END { printf "%d of %d", f, NR }')
echo "cycles with the connection breakdown on $leader (from vigil's --json): $fresh"
echo "server time of the probe per cycle (pg_stat_statements, exec time only, cheap and full cycles together):"
worst=0
for m in node1 node2 node3; do
  line=$(su_psql "$m" -F ' ' -c "SELECT sum(calls), round((sum(total_exec_time) / nullif(sum(calls), 0))::numeric, 3),
                                        round(min(min_exec_time)::numeric, 3), round(max(max_exec_time)::numeric, 3)
                                   FROM pg_stat_statements WHERE query LIKE '%vigil:member_probe%'")
  read -r calls mean min max <<<"$line"
  conns=$(su_psql "$m" -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")
  echo "  $m: $calls cycles, mean $mean ms per cycle (min $min ms, max $max ms), $conns client backends"
  # Each statement apart (pg_stat_statements keeps the prepared statement's text: only the
  # full one reads the CTE "grp").
  su_psql "$m" -F ' ' -c "SELECT CASE WHEN query LIKE '%FROM grp%' THEN 'full' ELSE 'cheap' END,
                                 calls, round(mean_exec_time::numeric, 3), round(total_exec_time::numeric, 1)
                            FROM pg_stat_statements WHERE query LIKE '%vigil:member_probe%' ORDER BY 1" |
    while read -r kind n kmean ktotal; do
      echo "      $kind statement: $n runs, mean $kmean ms, $ktotal ms in all"
    done
  worst=$(awk -v a="$worst" -v b="${mean:-0}" 'BEGIN { print (b > a ? b : a) }')
done
echo "backend CPU of Vigil's own session per cycle during the run (schedstat; parse/bind/execute/send, no waiting):"
worst_cpu=0
for m in node1 node2 node3; do
  c=$(awk -v a="${cpu0[$m]}" -v b="${cpu1[$m]}" -v n=$((calls1[$m] - calls0[$m])) 'BEGIN { if (n > 0 && b > a) printf "%.3f", (b - a) / 1e6 / n; else print "n/a" }')
  echo "  $m: $c ms per cycle over $((calls1[$m] - calls0[$m])) cycles (backend pid ${bpid[$m]})"
  [[ "$c" != n/a ]] && worst_cpu=$(awk -v a="$worst_cpu" -v b="$c" 'BEGIN { print (b > a ? b : a) }')
done
[[ "${DETAILS:-1}" == 0 ]] && exit 0
sed -e 's/\$1::boolean/false/; s/\$2::boolean/true/' "$ROOT/resources/sql/monitor_member.sql" | grep -v '^ *--' >"$work/probe.sql"
{ echo "EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON)"; cat "$work/probe.sql"; } >"$work/explain.sql"
echo "one EXPLAIN ANALYZE of a full cycle on $leader (as vigil, planned here): $(PGPASSFILE="$VIGIL_SANDBOX_DIR/pgpass" psql -X -q -A -t -h 127.0.0.1 -p "$lport" -U vigil -d postgres -f "$work/explain.sql" | grep -E 'Planning Time|Execution Time' | tr '\n' ' ')"

# The prepared probe as Vigil runs it ($1 sizes, $2 breakdown): the full statement, and the
# cheap one (monitor_member_cheap.sql: the same text without its "full cycles only" lines)
# for the cycles that need neither.
{ echo 'PREPARE vigil_member_probe(boolean, boolean) AS'; grep -v '^ *--' "$ROOT/resources/sql/monitor_member.sql"
  echo 'PREPARE vigil_member_probe_cheap(boolean, boolean) AS'
  grep -v '^ *--' "$ROOT/resources/sql/monitor_member_cheap.sql"
} >"$work/prepare.sql"
echo 'EXECUTE vigil_member_probe_cheap(false, false);' >"$work/cheap.sql"
echo 'EXECUTE vigil_member_probe(false, true);' >"$work/full.sql"

# Server time of each kind of cycle as the probe itself reports it ("server_ms":
# clock_timestamp() - statement_timestamp(), planning included): 30 EXECUTEs in one session,
# median and minimum of the last 20 (the plan cache settles on its plan within the first 6).
# (EXPLAIN ANALYZE's "Execution Time" is not used: on this probe it printed a third of what
# pg_stat_statements and server_ms both measure.)
exec_ms() { # PORT FILE -> "median min" in ms
  local port=$1 file=$2 i
  { cat "$work/prepare.sql"; echo ';'
    for ((i = 0; i < 30; i++)); do cat "$file"; done; } >"$work/exec.sql"
  PGPASSFILE="$VIGIL_SANDBOX_DIR/pgpass" psql -X -q -A -t -h 127.0.0.1 -p "$port" -U vigil -d postgres -f "$work/exec.sql" |
    grep -o '"server_ms" : [0-9.]*' | awk '{ print $3 }' | tail -20 | sort -n |
    awk '{ a[NR] = $1 } END { printf "%.3f %.3f", a[int((NR + 1) / 2)], a[1] }'
}
# Two ways to count backends on PostgreSQL 15, each as a prepared statement run 20 times (median
# server time): per-backend accessors called once per backend (pg_stat_get_backend_idset with
# pg_stat_get_backend_client_port: how the probe counted the client backends every cycle
# before), and pg_stat_get_db_numbackends summed over pg_database (one loop inside the server
# per database: how it counts now, see monitor_member.sql).
count_ms() { # PORT EXPRESSION -> median server time of SELECT EXPRESSION
  local port=$1 expr=$2 i
  { echo "PREPARE c AS SELECT ($expr), round((extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000)::numeric, 3);"
    for ((i = 0; i < 20; i++)); do echo "EXECUTE c;"; done; } >"$work/count.sql"
  PGPASSFILE="$VIGIL_SANDBOX_DIR/pgpass" psql -X -q -A -t -F ' ' -h 127.0.0.1 -p "$port" -U vigil -d postgres -f "$work/count.sql" |
    awk '{ print $2 }' | sort -n | awk '{ a[NR] = $1 } END { printf "%.3f", a[int((NR + 1) / 2)] }'
}

# Wall times above include waiting for a CPU on a busy machine. The CPU time the backend itself
# spends is the contention-free figure: run a statement 200 times in one session and read the
# backend's run time from /proc/PID/schedstat (nanoseconds) before and after (as root; the
# backend is a local process).
cpu_per_run() { # PORT FILE [PREPARE] -> ms of backend CPU per execution (includes parse/plan)
  local port=$1 file=$2 i
  { echo 'SELECT pg_backend_pid() AS pid \gset'; echo '\setenv VPID :pid'
    [[ -n "${3:-}" ]] && cat "$3"   # once, before the measured loop (the PREPARE)
    echo "\\! cut -d' ' -f1 /proc/\$VPID/schedstat > $work/cpu0"
    for ((i = 0; i < 200; i++)); do cat "$file"; done
    echo "\\! cut -d' ' -f1 /proc/\$VPID/schedstat > $work/cpu1"; } >"$work/loop.sql"
  PGPASSFILE="$VIGIL_SANDBOX_DIR/pgpass" psql -X -q -h 127.0.0.1 -p "$port" -U vigil -d postgres -f "$work/loop.sql" >/dev/null
  awk -v a="$(cat "$work/cpu0")" -v b="$(cat "$work/cpu1")" 'BEGIN { printf "%.3f", (b - a) / 1e6 / 200 }'
}
echo 'SELECT count(*) FROM pg_stat_get_activity(NULL);' >"$work/activity.sql"
echo 'SELECT 1;' >"$work/one.sql"
# The pace vigil would choose from these costs (breakdownIntervalFor at 1 s cycles, budget
# 0.5 ms, at most 10 s): one full cycle in n = ceil((full - cheap) / 0.5), 1..10.
for m in "$leader" $(for x in node1 node2 node3; do [[ $x != "$leader" ]] && echo "$x"; done | head -1); do
  port=$(pg_port "$m")
  read -r cheap_med cheap_min <<<"$(exec_ms "$port" "$work/cheap.sql")"
  read -r full_med full_min <<<"$(exec_ms "$port" "$work/full.sql")"
  n=$(awk -v c="$cheap_med" -v f="$full_med" 'BEGIN { x = (f - c) / 0.5; n = int(x); if (n < x) n++; if (n < 1) n = 1; if (n > 10) n = 10; print n }')
  echo "server time on $m (server_ms, median/min of 20): cheap cycle $cheap_med/$cheap_min ms; full cycle (with breakdown) $full_med/$full_min ms;" \
       "expected average at 1 full in $n cycles: $(awk -v c="$cheap_med" -v f="$full_med" -v n="$n" 'BEGIN { printf "%.3f", ((n - 1) * c + f) / n }') ms;" \
       "counting the backends: per-backend accessors $(count_ms "$port" "SELECT count(*) FROM pg_stat_get_backend_idset() b WHERE pg_stat_get_backend_client_port(b) IS NOT NULL") ms," \
       "pg_stat_get_db_numbackends $(count_ms "$port" "SELECT sum(pg_stat_get_db_numbackends(oid)) FROM pg_database") ms"
  echo "backend CPU per execution on $m: cheap cycle (prepared) $(cpu_per_run "$port" "$work/cheap.sql" "$work/prepare.sql") ms;" \
       "full cycle (prepared) $(cpu_per_run "$port" "$work/full.sql" "$work/prepare.sql") ms;" \
       "bare pg_stat_get_activity(NULL) $(cpu_per_run "$port" "$work/activity.sql") ms; SELECT 1 $(cpu_per_run "$port" "$work/one.sql") ms"
done
# The same at Vigil's pace: once a second, on cold caches (the EXECUTEs above run back to back,
# hot). One psql session on the leader runs, ROUNDS times, each of these with a 1 s sleep
# before it: a cheap cycle, a cycle with sizes, a full cycle (breakdown), and one read of the
# backend-status array alone (the backends attached to a database, as the cheap cycle counts
# them) against the same statement without the read. Means of server_ms.
ROUNDS=${ROUNDS:-8}
{ cat "$work/prepare.sql"; echo ';'
  echo "PREPARE with_read AS SELECT sum(pg_stat_get_db_numbackends(oid)), round((extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000)::numeric, 3) AS server_ms FROM pg_database;"
  echo "PREPARE without_read AS SELECT sum(oid::int), round((extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000)::numeric, 3) AS server_ms FROM pg_database;"
  for ((i = 0; i < ROUNDS; i++)); do
    for stmt in "vigil_member_probe_cheap(false, false)" "vigil_member_probe(true, false)" "vigil_member_probe(false, true)" with_read without_read; do
      echo "SELECT pg_sleep(1) \\g /dev/null"
      echo "\\echo $stmt"
      echo "EXECUTE $stmt;"
    done
  done; } >"$work/cold.sql"
PGPASSFILE="$VIGIL_SANDBOX_DIR/pgpass" psql -X -q -A -t -F ' ' -h 127.0.0.1 -p "$lport" -U vigil -d postgres -f "$work/cold.sql" >"$work/cold.out"
cold_mean() { # STATEMENT -> mean server_ms of its runs in cold.out
  awk -v k="$1" '$0 == k { want = 1; next }
    want { want = 0; if (match($0, /"server_ms" : [0-9.]+/)) { split(substr($0, RSTART, RLENGTH), a, " : "); v = a[2] } else { v = $2 }
           s += v; n++ }
    END { if (n) printf "%.3f", s / n; else printf "n/a" }' "$work/cold.out"
}
echo "at Vigil's pace on $leader (a statement a second, cold caches; mean server_ms of $ROUNDS):" \
     "cheap cycle $(cold_mean "vigil_member_probe_cheap(false, false)") ms;" \
     "with sizes $(cold_mean "vigil_member_probe(true, false)") ms;" \
     "full cycle $(cold_mean "vigil_member_probe(false, true)") ms;" \
     "one backend-status read: $(cold_mean with_read) ms against $(cold_mean without_read) ms without it"
awk -v w="$worst" -v c="$worst_cpu" 'BEGIN {
  printf "worst node mean (pg_stat_statements, all cycles of the run): %.3f ms per cycle; target < 2 ms: %s\n", w, (w < 2 ? "MET" : "NOT MET")
  printf "worst node backend CPU of Vigil'"'"'s session per cycle: %.3f ms (%s 2 ms)\n", c, (c < 2 ? "under" : "NOT under") }'
