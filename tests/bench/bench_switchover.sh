#!/usr/bin/env bash
# Zero-error switchover, measured (issues 6 and 13). On the sandbox cluster, runs pgbench through
# PgBouncer at a fixed rate during
#   (a) a plain `patronictl switchover` (what a DBA would run instead), there and back;
#   (b) `vigil switchover --pause-clients` with the profile's REST URL the LEADER's, there and back;
#   (c) the same with the profile's REST URL a REPLICA's, there and back (the switchover must
#       still go to the leader, issue 13);
# and prints, for each: failed transactions (pgbench's failures plus aborted clients — a client
# that loses its connection aborts, taking its remaining transactions with it), the longest a
# client waited (pgbench's max schedule lag: how late the latest transaction started against its
# schedule), the longest stall between two completions, and the switchover's duration.
# Goal (issue 13): 0 failed transactions and a longest client wait <= 3 s in every vigil case.
# Run it on both shapes: VIGIL_SANDBOX_SHAPE=production has Patroni's default loop_wait of 10 s.
#
# Usage: tests/bench/bench_switchover.sh [BUILD_DIR]   (needs `vigil` built in BUILD_DIR/bin)
# Env:   VIGIL_SANDBOX_PORT_BASE (default 64300), BENCH_SECONDS (default 40), BENCH_CLIENTS (4),
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
lag = re.search(r"schedule lag: avg [\d.]+ \(max ([\d.]+)\) ms", out)
max_wait = float(lag.group(1)) / 1000 if lag else float("nan")
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
      f"longest_client_wait_s={max_wait:.2f} "
      f"failed_total={pg_failed + aborted} longest_client_stall_s={stall:.2f}"
      f"{' (aborted clients never recovered)' if aborted else ''} "
      f"longest_stall_surviving_clients_s={stall_surviving:.2f} switchover_command_s={t1 - t0:.1f}")
PY
  echo "--- $name: switchover command output (tail)"; tail -n 25 "$dir/switch.out" | sed 's/^/    /'
  grep -E "aborted|error|ERROR|FATAL" "$dir/pgbench.err" | head -n 5 | sed 's/^/    pgbench: /' || true
}

member_url() { curl -sf "$REST/cluster" | python3 -c 'import json,sys; print(next(m["api_url"].rsplit("/",1)[0] for m in json.load(sys.stdin)["members"] if m["name"]==sys.argv[1]))' "$1"; }
SUMMARY="$WORK/summary.txt"; : >"$SUMMARY"

# (a) plain patronictl switchover, there and back
CONFIG="$VIGIL_SANDBOX_DIR/node1/patroni.yml"
for leg in there back; do
  wait_healthy
  L=$(leader); C=$(replica)
  echo "== (a) patronictl switchover $L -> $C ($leg), pgbench through PgBouncer ($CLIENTS clients, $RATE tps, $SECONDS_RUN s)"
  run_case "patronictl-$leg" /usr/bin/python3 /usr/bin/patronictl -c "$CONFIG" switchover \
    --leader "$L" --candidate "$C" --force | tee -a "$SUMMARY"
done

# (b), (c) vigil switchover --pause-clients: profile URL the leader's, then a replica's
vigil_switchover() { # URL CANDIDATE
  env VIGIL_REST_PASSWORD="$VIGIL_SANDBOX_REST_PASSWORD" "$VIGIL" switchover \
    --patroni "$1" --haproxy-stats "$VIGIL_SANDBOX_HAPROXY_STATS_URL" \
    --pgbouncer "service=vigil-bouncer-admin" --rest-user "$VIGIL_SANDBOX_REST_USER" \
    --sql "service=vigil-sandbox" --candidate "$2" --pause-clients --confirm hokm-ha \
    --audit-log "$WORK/audit.jsonl"
}
for url_of in leader replica; do
  for leg in there back; do
    wait_healthy
    L=$(leader); C=$(replica)
    if [[ $url_of == leader ]]; then U=$(member_url "$L"); else U=$(member_url "$C"); fi
    echo "== vigil switchover --pause-clients $L -> $C ($leg), profile URL = the $url_of's ($U)"
    run_case "vigil-url-$url_of-$leg" vigil_switchover "$U" "$C" | tee -a "$SUMMARY"
  done
done

# (d) does a CHECKPOINT on the leader just before the pause shorten the demote's shutdown
# checkpoint, and so the clients' wait (issue 13)? The same as (b), a CHECKPOINT first.
checkpoint_then_switchover() { psql_rw -c CHECKPOINT && vigil_switchover "$@"; }
for leg in there back; do
  wait_healthy
  L=$(leader); C=$(replica)
  echo "== CHECKPOINT, then vigil switchover --pause-clients $L -> $C ($leg), profile URL = the leader's"
  run_case "vigil-checkpoint-first-$leg" checkpoint_then_switchover "$(member_url "$L")" "$C" | tee -a "$SUMMARY"
done
wait_healthy

echo
echo "== summary (shape ${VIGIL_SANDBOX_SHAPE:-fast}, loop_wait ${VIGIL_SANDBOX_LOOP_WAIT:-?} s; goal: vigil 0 failed and longest client wait <= 3 s)"
grep -E '^(patronictl|vigil)-' "$SUMMARY" | python3 -c '
import re, sys
ok = True
for line in sys.stdin:
    name = line.split(":")[0]
    f = dict(re.findall(r"(\w+)=([\d.na]+)", line))
    failed, wait = int(f["failed_total"]), float(f["longest_client_wait_s"])
    took = f["switchover_command_s"]
    verdict = ""
    if name.startswith("vigil"):
        met = failed == 0 and wait <= 3.0
        ok &= met
        verdict = "MET" if met else "NOT MET"
    print(f"  {name:28s} failed={failed:3d}  longest_client_wait={wait:6.2f} s  switchover={took} s  {verdict}")
print("vigil cases:", "ALL MET" if ok else "NOT ALL MET")
'
