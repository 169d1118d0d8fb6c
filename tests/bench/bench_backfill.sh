#!/usr/bin/env bash
# Backfill benchmark (issue 17 §2): opening the 24 h and 7 d windows of the charts with history
# from the sandbox's real Prometheus. Prints, per window, the plot width, the step, the most
# points of any fetched series (never more than the width), the load time and the UI thread's
# longest stall (vigil_bench_backfill, StallProbe), and next to it what a DBA would run instead:
# curl of the same query_range at Prometheus's own default for a Grafana panel of that width
# (the same step), timed.
#
# A fresh sandbox's Prometheus holds minutes: fill a week first, or the windows fetch a handful of
# points (`packaging/sandbox/sandbox.sh prometheus-history 7`: synthetic values over the real
# label sets, written before the first scrape). The history held is printed first.
#
# Usage: tests/bench/bench_backfill.sh [BUILD_DIR]
# Env:   the sandbox's (eval "$(packaging/sandbox/sandbox.sh env)"), with --metrics.
# Needs: cmake --build BUILD_DIR --target vigil_bench_backfill
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${1:-$src/build}
bench="$build/tests/bench/vigil_bench_backfill"
[[ -x "$bench" ]] || { echo "bench_backfill: build it first: cmake --build $build --target vigil_bench_backfill" >&2; exit 2; }
[[ -n "${VIGIL_SANDBOX_PROMETHEUS_URL:-}" ]] || eval "$("$src/packaging/sandbox/sandbox.sh" env)"
[[ -n "${VIGIL_SANDBOX_PROMETHEUS_URL:-}" ]] || { echo "bench_backfill: the sandbox has no Prometheus (sandbox.sh up --metrics)" >&2; exit 2; }

held=$(curl -sS -G --max-time 30 "$VIGIL_SANDBOX_PROMETHEUS_URL/api/v1/query" \
  --data-urlencode 'query=(time() - min_over_time(timestamp(pg_up{scope="hokm-ha"})[8d:1h])) / 86400' |
  python3 -c 'import json, sys
r = json.load(sys.stdin)["data"]["result"]
print("%.2f" % max((float(s["value"][1]) for s in r), default=0))')
echo "== Prometheus holds $held day(s) of pg_up (fill with: sandbox.sh prometheus-history 7)"
echo "== Vigil: charts panel 1400x900, 6 range queries per window (load $(cut -d' ' -f1-3 /proc/loadavg))"
out=$(QT_QPA_PLATFORM=offscreen "$bench")
echo "$out"

echo "== curl: the connections query alone, same window and step"
now=$(date +%s)
while read -r window pixels step _; do
  [[ "$window" == window ]] && continue
  span=$([[ "$window" == 24h ]] && echo 86400 || echo 604800)
  t0=$(date +%s%N)
  body=$(curl -sS -G --max-time 30 "$VIGIL_SANDBOX_PROMETHEUS_URL/api/v1/query_range" \
    --data-urlencode 'query=sum by (state) (pg_stat_activity_count{scope="hokm-ha"})' \
    --data-urlencode "start=$((now - span))" --data-urlencode "end=$now" --data-urlencode "step=$step")
  t1=$(date +%s%N)
  points=$(printf '%s' "$body" | python3 -c 'import json, sys
r = json.load(sys.stdin)["data"]["result"]
print(max((len(s["values"]) for s in r), default=0))')
  printf '%-7s %8s %8s %14s %10d\n' "$window" "$pixels" "$step" "$points" $(((t1 - t0) / 1000000))
done <<<"$out"
