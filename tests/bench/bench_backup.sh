#!/usr/bin/env bash
# Benchmark: a full backup through Vigil against the tool a DBA would use instead. The same
# database (vigil_bench: pgbench -i at scale BENCH_SCALE, default 10, made on the leader and
# dropped at the end) is dumped from the same replica by plain `pg_dump -Fc` (what a DBA types:
# on Debian that is pg_wrapper, a Perl script that execs the versioned pg_dump), by the versioned
# binary itself, and by `vigil backup` (table sizes, pg_dump -Fc -v with the progress parsed,
# the archive's header and SHA-256 of the file, FILE.sha256, the audit log entry; it runs the
# versioned binary as pg_wrapper would, without the Perl start), RUNS times each (default 5),
# in turns whose order rotates, so that load on this shared machine falls on all alike. Prints
# every run, the medians and Vigil's overhead against both. Target: overhead <= 5 % against
# `pg_dump`; the figure against the versioned binary is Vigil's own cost, printed beside it.
#
# Usage: VIGIL_SANDBOX_PORT_BASE=B tests/bench/bench_backup.sh [RUNS]
source "$(dirname "$0")/common.sh"
RUNS=${1:-5}
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
direct() { # RUN -> ms: the binary pg_wrapper execs
  local t0; t0=$(now_ms)
  PGPASSFILE="$VIGIL_SANDBOX_DIR/pgpass" "$PGDUMP_BIN" -Fc -h 127.0.0.1 -p "$rport" -U postgres \
    -f "$OUT/direct$1.dump" "$DB"
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

# The newest versioned pg_dump: the one pg_wrapper runs for a remote server, and Vigil too.
PGDUMP_BIN=$(ls -d /usr/lib/postgresql/*/bin/pg_dump 2>/dev/null | sort -V | tail -1)
[[ -n "$PGDUMP_BIN" ]] || PGDUMP_BIN=$(command -v pg_dump)
echo "pg_dump on PATH: $(readlink -f "$(command -v pg_dump)"); versioned binary: $PGDUMP_BIN"
echo "warming up (one run each, not counted)"
plain w >/dev/null; direct w >/dev/null; viaVigil w >/dev/null
p=(); d=(); v=()
for ((r = 1; r <= RUNS; r++)); do
  case $((r % 3)) in
    1) p+=("$(plain "$r")"); d+=("$(direct "$r")"); v+=("$(viaVigil "$r")") ;;
    2) v+=("$(viaVigil "$r")"); p+=("$(plain "$r")"); d+=("$(direct "$r")") ;;
    0) d+=("$(direct "$r")"); v+=("$(viaVigil "$r")"); p+=("$(plain "$r")") ;;
  esac
  echo "run $r: pg_dump -Fc ${p[-1]} ms, $PGDUMP_BIN ${d[-1]} ms, vigil backup ${v[-1]} ms"
done
pm=$(printf '%s\n' "${p[@]}" | median)
dm=$(printf '%s\n' "${d[@]}" | median)
vm=$(printf '%s\n' "${v[@]}" | median)
echo "file sizes: pg_dump $(stat -c %s "$OUT/plain1.dump") B, vigil $(stat -c %s "$OUT/vigil1.dump") B"
echo "median wall time: pg_dump -Fc ${pm} ms, versioned pg_dump ${dm} ms, vigil backup ${vm} ms"
awk -v v="$vm" -v p="$pm" -v d="$dm" 'BEGIN {
  o = (v - p) * 100 / p; od = (v - d) * 100 / d
  printf "overhead of vigil backup against pg_dump = %.1f %%; target <= 5 %%: %s\n", o, (o <= 5 ? "MET" : "NOT MET")
  printf "overhead against the versioned binary (Vigil'"'"'s own cost: start, sizes, hash, audit) = %.1f %% (%d ms)\n", od, v - d
}'
