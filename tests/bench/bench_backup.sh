#!/usr/bin/env bash
# Benchmark: a full backup through Vigil against the tool a DBA would use instead. The same
# database (vigil_bench: pgbench -i at scale BENCH_SCALE, default 10, made on the leader and
# dropped at the end) is dumped from the same replica by plain `pg_dump -Fc` and by `vigil
# backup` (version check, table sizes, pg_dump -Fc -v with the progress parsed, SHA-256 of the
# file, FILE.sha256, the audit log entry), RUNS times each (default 3), alternating, so that
# load on this shared machine falls on both alike. Prints every run, the medians and Vigil's
# overhead. Target: overhead <= 5 %.
#
# Usage: VIGIL_SANDBOX_PORT_BASE=B tests/bench/bench_backup.sh [RUNS]
source "$(dirname "$0")/common.sh"
RUNS=${1:-3}
SCALE=${BENCH_SCALE:-10}
DB=vigil_bench
OUT=$(mktemp -d /tmp/vigil-bench-backup.XXXXXX)
PW=$(sed -n 's/^PW_POSTGRES=//p' "$VIGIL_SANDBOX_DIR/secrets.env")
cleanup() {
  rm -rf "$OUT"
  su_psql leader -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT

leader=$("$SANDBOX" patronictl list -f json | python3 -c 'import json,sys; print([m["Member"] for m in json.load(sys.stdin) if m["Role"] == "Leader"][0])')
replica=$("$SANDBOX" patronictl list -f json | python3 -c 'import json,sys; print([m["Member"] for m in json.load(sys.stdin) if m["Role"] != "Leader"][0])')
lport=$(pg_port "$leader")
rport=$(pg_port "$replica")

echo "making $DB on $leader (pgbench -i -s $SCALE)"
su_psql leader -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null
su_psql leader -d postgres -c "CREATE DATABASE $DB" >/dev/null
PGPASSWORD=$PW pgbench -q -i -s "$SCALE" -h 127.0.0.1 -p "$lport" -U postgres "$DB" >/dev/null 2>&1
# Wait until the replica has it all (the same count of accounts).
want=$((SCALE * 100000))
for ((i = 0; i < 120; i++)); do
  got=$(su_psql "$replica" -d "$DB" -c "SELECT count(*) FROM pgbench_accounts" 2>/dev/null || echo 0)
  [[ "$got" == "$want" ]] && break
  sleep 1
done
[[ "$got" == "$want" ]] || { echo "bench: $replica has $got of $want rows" >&2; exit 2; }
size=$(su_psql "$replica" -d "$DB" -c "SELECT pg_size_pretty(pg_database_size('$DB'))")
echo "database $DB: $size on $replica (port $rport); pg_dump: $(pg_dump --version)"

plain() { # RUN -> ms
  local t0; t0=$(now_ms)
  PGPASSFILE="$VIGIL_SANDBOX_DIR/pgpass" pg_dump -Fc -h 127.0.0.1 -p "$rport" -U postgres \
    -f "$OUT/plain$1.dump" "$DB"
  echo $(( $(now_ms) - t0 ))
}
viaVigil() { # RUN -> ms; the password through PGPASSWORD, which Vigil moves into a 0600 file
  local t0; t0=$(now_ms)
  env -u PGPASSFILE PGPASSWORD="$PW" XDG_DATA_HOME="$OUT/data" "$VIGIL" backup \
    --sql "host=127.0.0.1 port=$rport dbname=postgres user=postgres" \
    --database "$DB" --out "$OUT/vigil$1.dump" >/dev/null 2>"$OUT/vigil$1.err" ||
    { cat "$OUT/vigil$1.err" >&2; exit 1; }
  echo $(( $(now_ms) - t0 ))
}

echo "warming up (one run each, not counted)"
plain w >/dev/null; viaVigil w >/dev/null
p=(); v=()
for ((r = 1; r <= RUNS; r++)); do
  if ((r % 2)); then p+=("$(plain "$r")"); v+=("$(viaVigil "$r")")
  else v+=("$(viaVigil "$r")"); p+=("$(plain "$r")"); fi
  echo "run $r: pg_dump -Fc ${p[-1]} ms, vigil backup ${v[-1]} ms"
done
pm=$(printf '%s\n' "${p[@]}" | median)
vm=$(printf '%s\n' "${v[@]}" | median)
echo "file sizes: pg_dump $(stat -c %s "$OUT/plain1.dump") B, vigil $(stat -c %s "$OUT/vigil1.dump") B"
echo "median wall time: pg_dump -Fc ${pm} ms, vigil backup ${vm} ms"
awk -v v="$vm" -v p="$pm" 'BEGIN { o = (v - p) * 100 / p; printf "overhead of vigil backup = %.1f %%; target <= 5 %%: %s\n", o, (o <= 5 ? "MET" : "NOT MET") }'
