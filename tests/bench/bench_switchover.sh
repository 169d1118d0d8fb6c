#!/usr/bin/env bash
# Zero-error switchover, measured (issue 6). On the sandbox cluster, runs pgbench through
# PgBouncer during
#   (a) a plain POST /switchover (curl), and
#   (b) the wizard's pause-clients switchover: `vigil switchover --pause-clients --confirm hokm-ha`,
# and prints, for both: failed transactions (pgbench's failures plus aborted clients — a client
# that loses its connection aborts, taking its remaining transactions with it), the longest
# client stall (the largest gap between consecutive transaction completions across all clients,
# from pgbench's per-transaction log) and the switchover's duration.
#
# Usage: tests/bench/bench_switchover.sh [BUILD_DIR]   (needs `vigil` built in BUILD_DIR/bin)
# Env:   VIGIL_SANDBOX_PORT_BASE (default 54300), BENCH_SECONDS (default 40), BENCH_CLIENTS (4),
#        BENCH_RATE (transactions/s over all clients, default 200), BENCH_SWITCH_AFTER (8 s).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
BUILD=${1:-$SRC/build}
VIGIL="$BUILD/bin/vigil"
SANDBOX=${VIGIL_SANDBOX_SCRIPT:-/work/main/packaging/sandbox/sandbox.sh}
[[ -x "$SANDBOX" ]] || SANDBOX="$SRC/packaging/sandbox/sandbox.sh"
[[ -x "$VIGIL" ]] || { echo "bench: $VIGIL not built" >&2; exit 2; }
SECONDS_RUN=${BENCH_SECONDS:-40}
CLIENTS=${BENCH_CLIENTS:-4}
RATE=${BENCH_RATE:-200}
SWITCH_AFTER=${BENCH_SWITCH_AFTER:-8}

eval "$("$SANDBOX" env)"
"$SANDBOX" up >/dev/null
source "$VIGIL_SANDBOX_DIR/secrets.env" 2>/dev/null || true
REST="$VIGIL_SANDBOX_PATRONI_URL"
WORK=$(mktemp -d /tmp/vigil-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

psql_rw() { psql "host=127.0.0.1 port=$VIGIL_SANDBOX_RW_PORT dbname=postgres user=postgres" -XAtq "$@"; }
leader()  { curl -sf "$REST/cluster" | python3 -c 'import json,sys; print(next(m["name"] for m in json.load(sys.stdin)["members"] if m["role"]=="leader"))'; }
replica() { curl -sf "$REST/cluster" | python3 -c 'import json,sys; print(sorted(m["name"] for m in json.load(sys.stdin)["members"] if m["role"]!="leader" and m["state"] in ("running","streaming"))[0])'; }

wait_healthy() {
  local i
  for ((i = 0; i < 120; i++)); do
    if curl -sf "$REST/cluster" | python3 -c '
import json,sys
c=json.load(sys.stdin); m=c["members"]
ok=sum(1 for x in m if x["role"]=="leader" and x["state"]=="running")==1 and \
   sum(1 for x in m if x["role"]!="leader" and x["state"] in ("running","streaming") and isinstance(x.get("lag"),int))==2 and not c.get("pause")
sys.exit(0 if ok else 1)'; then return 0; fi
    sleep 1
  done
  echo "bench: the cluster did not become healthy" >&2; return 1
}

psql_rw -c "CREATE TABLE IF NOT EXISTS vigil_bench (id int PRIMARY KEY, v bigint NOT NULL DEFAULT 0);
            INSERT INTO vigil_bench SELECT g, 0 FROM generate_series(1, 1000) g ON CONFLICT DO NOTHING;"
cat >"$WORK/bench.sql" <<'SQL'
\set id random(1, 1000)
UPDATE vigil_bench SET v = v + 1 WHERE id = :id;
SQL

# run_case NAME COMMAND...: pgbench in the background, COMMAND after SWITCH_AFTER seconds.
run_case() {
  local name=$1; shift
  wait_healthy
  sleep 3 # HAProxy and PgBouncer settle
  local dir="$WORK/$name"; mkdir -p "$dir"
  local tstart; tstart=$(date +%s.%N)
  ( cd "$dir" && exec pgbench "host=127.0.0.1 port=$VIGIL_SANDBOX_PGBOUNCER_PORT dbname=postgres user=postgres" \
      -n -f "$WORK/bench.sql" -c "$CLIENTS" -j 2 -T "$SECONDS_RUN" -R "$RATE" -P 1 \
      --failures-detailed -l --log-prefix="$dir/tx" >"$dir/pgbench.out" 2>"$dir/pgbench.err" ) &
  local pid=$!
  sleep "$SWITCH_AFTER"
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >"$dir/switch.out" 2>&1 || echo "(switchover command exited $?)" >>"$dir/switch.out"
  t1=$(date +%s.%N)
  wait "$pid" || true
  python3 - "$dir" "$name" "$t0" "$t1" "$tstart" "$SECONDS_RUN" <<'PY'
import glob, re, sys
d, name, t0, t1 = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
run_end = float(sys.argv[5]) + float(sys.argv[6])
per_client = {}  # client id -> completion times of its successful transactions
failed = 0
for f in glob.glob(d + "/tx*"):
    for line in open(f):
        p = line.split()
        # client_id transaction_no time script_no time_epoch time_us [schedule_lag]
        if len(p) < 6: continue
        if not p[2].isdigit():  # "failed", "skipped", "serialization", "deadlock"
            failed += 1; continue
        per_client.setdefault(p[0], []).append(int(p[4]) + int(p[5]) / 1e6)
out = open(d + "/pgbench.out").read(); err = open(d + "/pgbench.err").read()
m = re.search(r"number of failed transactions: (\d+)", out)
pg_failed = int(m.group(1)) if m else failed
aborted = len(re.findall(r"client \d+ (?:script \d+ )?aborted", err))
end = run_end  # when pgbench would have ended (-T)
# Longest client stall: per client, the largest gap between two of its completions from 1 s
# before the switch on; a client that aborted stalls from its last completion to the run's
# planned end (-T): pgbench does not reconnect, so it never completes anything again.
aborted_ids = set(re.findall(r"client (\d+) (?:script \d+ )?aborted", err))
stall = 0.0
stall_surviving = 0.0  # the same among the clients that did not abort
for cid, ts in per_client.items():
    ts = sorted(ts)
    w = [t for t in ts if t >= t0 - 1]
    gaps = [b - a for a, b in zip(w, w[1:])]
    if cid not in aborted_ids:
        stall_surviving = max([stall_surviving] + gaps)
    if cid in aborted_ids:
        gaps.append(end - ts[-1])
    stall = max([stall] + gaps)
committed = sum(len(t) for t in per_client.values())
print(f"{name}: committed={committed} failed_transactions={pg_failed} aborted_clients={aborted} "
      f"failed_total={pg_failed + aborted} longest_client_stall_s={stall:.2f}"
      f"{' (aborted clients never recovered)' if aborted else ''} "
      f"longest_stall_surviving_clients_s={stall_surviving:.2f} switchover_command_s={t1 - t0:.1f}")
PY
  echo "--- $name: switchover command output (tail)"; tail -n 25 "$dir/switch.out" | sed 's/^/    /'
  grep -E "aborted|error|ERROR|FATAL" "$dir/pgbench.err" | head -n 5 | sed 's/^/    pgbench: /' || true
}

# (a) plain POST /switchover
L=$(leader); C=$(replica)
echo "== (a) plain POST /switchover $L -> $C, pgbench through PgBouncer ($CLIENTS clients, $RATE tps, $SECONDS_RUN s)"
# The REST password goes to curl on stdin (-K -), never on its command line.
plain_switchover() {
  printf 'user = "%s:%s"\n' "$VIGIL_SANDBOX_REST_USER" "$VIGIL_SANDBOX_REST_PASSWORD" |
    curl -sS -K - -X POST -H 'Content-Type: application/json' \
      -d "{\"leader\":\"$1\",\"candidate\":\"$2\"}" "$REST/switchover"
}
run_case plain plain_switchover "$L" "$C"

# (b) vigil switchover --pause-clients
wait_healthy
L=$(leader); C=$(replica)
echo "== (b) vigil switchover --pause-clients $L -> $C"
run_case pause-clients env VIGIL_REST_PASSWORD="$VIGIL_SANDBOX_REST_PASSWORD" "$VIGIL" switchover \
  --patroni "$REST" --haproxy-stats "$VIGIL_SANDBOX_HAPROXY_STATS_URL" \
  --pgbouncer "service=vigil-bouncer-admin" --rest-user "$VIGIL_SANDBOX_REST_USER" \
  --sql "service=vigil-sandbox" --candidate "$C" --pause-clients --confirm hokm-ha \
  --audit-log "$WORK/audit.jsonl"
wait_healthy
