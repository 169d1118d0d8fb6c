#!/usr/bin/env bash
# Fuzzes every parser of outside input with libFuzzer (tests/fuzz/fuzz_*.cpp, issue 18 §1):
#
#   tests/fuzz/run.sh SECONDS [RUNS]      (or: tests/fuzz/run.sh build, to build only)
#
# builds the fuzz configuration when needed (clang-15, -DVIGIL_FUZZ=ON, a build directory of its
# own), seeds each target's corpus from the recorded fixtures (tests/fixtures; the few targets
# with no recorded answer have hand-made seeds in tests/fuzz/seeds/<target>/), replays the
# target's regression inputs (tests/fixtures/fuzz/<target>/: crashes found and fixed before),
# then fuzzes it for SECONDS, or until RUNS executions when RUNS is given and comes first (the
# long run: `tests/fuzz/run.sh 1800 1000000`). One target at a time, one process each: the
# machine has 2 cores shared with others.
#
# Prints one line per target: executions, exec/s, coverage (cov: edges, ft: features, from
# libFuzzer's last status line), the corpus (inputs/bytes) and crashes; then how long the build
# and the runs took. Exits 1 when any target crashed or a regression input crashes again: the
# input is in <build>/fuzz/artifacts/<target>/; fix the parser (with a unit test), then copy the
# input to tests/fixtures/fuzz/<target>/ so every later run replays it first.
#
# Knobs: VIGIL_FUZZ_BUILD_DIR (default ./build-fuzz), VIGIL_FUZZ_TARGETS (names without the
# fuzz_ prefix, space-separated; default all), VIGIL_FUZZ_JOBS (build parallelism, default
# nproc). The corpora grow across runs in <build>/fuzz/corpus/<target>/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
secs=${1:?usage: tests/fuzz/run.sh SECONDS [RUNS] | tests/fuzz/run.sh build}
runs=${2:-}
BUILD=${VIGIL_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}
FIX=$ROOT/tests/fixtures
OUT=$BUILD/fuzz

if ! command -v clang++-15 >/dev/null 2>&1; then
  echo "fuzz: clang++-15 is not installed (packaging/install-deps.sh installs clang-15 and libfuzzer-15-dev)" >&2
  exit 2
fi

t0=$(date +%s)
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  # -O1 -g1: a third of -O2 -g's compile time (measured on locktreemodel.cpp with sanitizers:
  # 16.6 s against 40.4 s), line tables enough for the crash reports' stacks.
  # VIGIL_FUZZ_FLAGS replaces them (tests/run.sh: -O1 -g0, a third less again, for its 3 s runs).
  args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=${VIGIL_FUZZ_FLAGS:--O1 -g1} -DNDEBUG"
    -DVIGIL_FUZZ=ON -DVIGIL_BUILD_TESTS=OFF)
  command -v ninja >/dev/null 2>&1 && args+=(-G Ninja)
  command -v ccache >/dev/null 2>&1 && args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  CC=clang-15 CXX=clang++-15 cmake -S "$ROOT" -B "$BUILD" "${args[@]}" >/dev/null
fi
cmake --build "$BUILD" -j "${VIGIL_FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}" --target vigil_fuzz
build_s=$(( $(date +%s) - t0 ))
if [ "$secs" = build ]; then # tests/run.sh builds it in the background first
  echo "fuzz: built in ${build_s} s"
  exit 0
fi

# The recorded fixtures each target starts from (globs under tests/fixtures). "rows:" marks psql
# CSV answers: each gives two seeds, '#' + the file (its header names the columns) and its rows
# alone (read under the target's own column names, those of the real query).
seed_spec() {
  case $1 in
    patroni_cluster) echo "patroni/cluster*.json" ;;
    patroni_node) echo "patroni/patroni-*.json patroni/health-*.json patroni/primary-*.json patroni/replica-*.json" ;;
    patroni_history) echo "patroni/history-*.json" ;;
    patroni_config) echo "patroni/config*.json operations/config.json" ;;
    haproxy_csv) echo "haproxy/*.csv" ;;
    pgbouncer_pools) echo "rows:pgbouncer/show_pools.csv" ;;
    pgbouncer_databases) echo "rows:pgbouncer/show_databases.csv" ;;
    pgbouncer_console) echo "rows:pgbouncer/show_stats.csv rows:pgbouncer/show_clients.csv rows:pgbouncer/show_servers.csv rows:pgbouncer/show_config.csv" ;;
    route_probe) echo "rows:pgbouncer/route_probe_*.csv" ;;
    member_probe) echo "monitor/probe_*.json" ;;
    status_json) echo "operations/snapshot-healthy.json" ;;
    patroni_yaml) echo "patroni/yaml/*.yml patroni/yaml/*.yaml" ;;
    server_log) echo "logs/*.log" ;;
    pgdump_archive) echo "backup/pg_dump_hokm_game.head" ;;
    *) echo "" ;;
  esac
}

# JSON targets get a dictionary: JSON's tokens and every key of the recorded JSON answers.
make_dict() {
  local dict=$OUT/json.dict
  {
    printf '%s\n' '"{"' '"}"' '"["' '"]"' '":"' '","' '"null"' '"true"' '"false"' '"-1"' '"1e999"' '"\\u0000"'
    cat "$FIX"/patroni/*.json "$FIX"/monitor/*.json "$FIX"/operations/*.json |
      grep -oE '"[A-Za-z0-9_]+" *:' | sed -E 's/ *:$//; s/"/\\"/g; s/^/"/; s/$/"/' | sort -u
  } >"$dict"
  echo "$dict"
}

seed_target() {
  local target=$1 dir=$OUT/seeds/$1 spec item f n=0
  rm -rf "$dir"
  mkdir -p "$dir"
  for spec in $(seed_spec "$target"); do
    item=${spec#rows:}
    for f in $FIX/$item; do
      [ -f "$f" ] || continue
      n=$((n + 1))
      if [ "$item" != "$spec" ]; then
        { printf '#'; cat "$f"; } >"$dir/$n-header-$(basename "$f")"
        tail -n +2 "$f" >"$dir/$n-rows-$(basename "$f")"
      else
        cp "$f" "$dir/$n-$(basename "$f")"
      fi
    done
  done
  if [ -d "$ROOT/tests/fuzz/seeds/$target" ]; then
    cp "$ROOT/tests/fuzz/seeds/$target"/* "$dir"/
  fi
}

mapfile -t all < <(sed -nE 's/^  ([a-z_]+)$/\1/p' "$ROOT/tests/fuzz/CMakeLists.txt")
read -r -a targets <<<"${VIGIL_FUZZ_TARGETS:-${all[*]}}"
dict=$(mkdir -p "$OUT" && make_dict)

printf '%-20s %10s %8s %6s %7s %14s %7s\n' target execs exec/s cov ft corpus crashes
t1=$(date +%s)
failed=0
for target in "${targets[@]}"; do
  bin=$OUT/fuzz_$target
  art=$OUT/artifacts/$target
  corpus=$OUT/corpus/$target
  log=$OUT/$target.log
  rm -rf "$art"
  mkdir -p "$art" "$corpus"
  seed_target "$target"
  # Regression inputs first: each is run once; a crash here is a fixed bug come back.
  mapfile -t regressions < <(find "$FIX/fuzz/$target" -type f ! -name '*.md' 2>/dev/null | sort)
  if [ ${#regressions[@]} -gt 0 ] && ! "$bin" "${regressions[@]}" >"$OUT/$target.regressions.log" 2>&1; then
    printf '%-20s regression input crashes again, see %s\n' "$target" "$OUT/$target.regressions.log"
    failed=1
    continue
  fi
  opts=(-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
        -artifact_prefix="$art/")
  [ -n "$runs" ] && opts+=(-runs="$runs")
  case $target in patroni_* | member_probe | status_json) opts+=(-dict="$dict") ;; esac
  # QSettings keeps every file it read in a process-wide cache, so each input allocates more
  # than it frees and libFuzzer runs a full LeakSanitizer scan after it: 70 execs/s instead of
  # 1,500. No scan ever found a leak there; ASan's leak check at exit stays on.
  [ "$target" = profile_import ] && opts+=(-detect_leaks=0)
  rc=0
  "$bin" "${opts[@]}" "$corpus" "$OUT/seeds/$target" >"$log" 2>&1 || rc=$?
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log")
  rate=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+)/\1/p' "$log")
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
  corp=$(sed -nE 's/.* corp: ([0-9]+\/[0-9A-Za-z]+).*/\1/p' <<<"$last")
  crashes=$(find "$art" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  printf '%-20s %10s %8s %6s %7s %14s %7s\n' "$target" "${execs:-?}" "${rate:-?}" "${cov:-?}" \
    "${ft:-?}" "${corp:-?}" "$crashes"
  if [ "$rc" -ne 0 ] || [ "$crashes" -gt 0 ]; then
    echo "  $target FAILED (exit $rc): see $log; the input is in $art/" >&2
    failed=1
  fi
done
run_s=$(( $(date +%s) - t1 ))
echo "fuzz: build ${build_s} s, runs ${run_s} s (${#targets[@]} targets, ${secs} s${runs:+ or $runs runs} each)"
exit $failed
