#!/usr/bin/env bash
# Soak (issue 18 §4): one vigil-gui (offscreen) watches three sandbox clusters side by side at
# 1 s refresh for HOURS, with the game workload on, a switchover on each cluster every 10 minutes
# and a replica restart on each every 15 (both through the product: `vigil switchover` /
# `vigil restart ... --confirm`). Every minute it samples the GUI's RSS, open fds, threads and CPU,
# the longest UI stall so far (the opt-in probe VIGIL_STALL_LOG) and, per member, the number of
# Vigil's backends; at the end it prints the RSS slope, the fd and backend ranges and the stalls.
#
# Usage: tests/bench/soak.sh HOURS [BUILD_DIR]      (HOURS may be a fraction: 0.05 = 3 min)
# Env:   VIGIL_SOAK_DIR  where samples.csv, stalls.log, ops.log, summary.txt go
#                        (default /tmp/vigil-soak-<UTC time>)
#        VIGIL_SOAK_BASES  sandbox port bases (default "64500 64600 64700"); each sandbox lives in
#                          /tmp/vigil-<base> and is torn down at the end (also on Ctrl-C).
#        VIGIL_SOAK_SAMPLE_EVERY / _SWITCHOVER_EVERY / _RESTART_EVERY  seconds (60 / 600 / 900),
#                          shorter for a trial run of the script itself.
#        VIGIL_SOAK_GUI_WRAPPER  opt-in command line the GUI is started under, e.g.
#                          "heaptrack -o /tmp/soak-heap" (split at spaces); the samples then
#                          follow the vigil-gui process the wrapper starts, not the wrapper.
# One GUI process for the three clusters: the window watches every open profile side by side
# (ClusterListView + one ClusterMonitor each), so three saved profiles in a private settings file
# (XDG_CONFIG_HOME) reopened at start are the multi-cluster layout a wall screen would run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
hours=${1:?usage: soak.sh HOURS [BUILD_DIR]}
build=${2:-$src/build}
gui="$build/bin/vigil-gui"
vigil="$build/bin/vigil"
sandbox="$src/packaging/sandbox/sandbox.sh"
read -r -a bases <<<"${VIGIL_SOAK_BASES:-64500 64600 64700}"
out=${VIGIL_SOAK_DIR:-/tmp/vigil-soak-$(date -u +%Y%m%dT%H%M)}
duration=$(awk -v h="$hours" 'BEGIN { printf "%d", h * 3600 }')
sample_every=${VIGIL_SOAK_SAMPLE_EVERY:-60} switchover_every=${VIGIL_SOAK_SWITCHOVER_EVERY:-600}
restart_every=${VIGIL_SOAK_RESTART_EVERY:-900}
[[ -x "$gui" && -x "$vigil" ]] || { echo "soak: build vigil and vigil-gui first ($build/bin)" >&2; exit 2; }
((duration >= 60)) || { echo "soak: HOURS must give at least one minute" >&2; exit 2; }
mkdir -p "$out"/{config/Vigil,home,runtime}
chmod 700 "$out/runtime"
log() { echo "$(date -u +%H:%M:%S) $*" | tee -a "$out/ops.log"; }
sb() { local b=$1; shift; VIGIL_SANDBOX_PORT_BASE=$b VIGIL_SANDBOX_DIR=/tmp/vigil-$b "$sandbox" "$@"; }

gui_pid="" wrapper_pid="" ops_pids=()
cleanup() {
  trap - EXIT INT TERM
  log "cleanup: stopping the GUI, the operations and the sandboxes"
  if [[ -n "$gui_pid" ]]; then
    kill -TERM "$gui_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$gui_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$gui_pid" 2>/dev/null || true
  fi
  if [[ -n "$wrapper_pid" ]]; then # let the wrapper write its output (heaptrack: a few seconds)
    for _ in $(seq 1 600); do kill -0 "$wrapper_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  local p b
  for p in "${ops_pids[@]}"; do
    pkill -TERM -P "$p" 2>/dev/null || true # the vigil command the operation runs
    kill -TERM "$p" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  for b in "${bases[@]}"; do sb "$b" down >>"$out/sandbox.log" 2>&1 || true; done
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# --- Sandboxes, one pgpass for all three (per-port lines), three saved profiles -------------
: >"$out/pgpass"
chmod 600 "$out/pgpass"
profiles=()
for b in "${bases[@]}"; do
  log "sandbox $b: up"
  sb "$b" up >>"$out/sandbox.log" 2>&1 || { log "sandbox $b did not come up (see $out/sandbox.log)"; exit 1; }
  sb "$b" env >"$out/env-$b.sh"
  cat "/tmp/vigil-$b/pgpass" >>"$out/pgpass"
  profiles+=("soak-$b")
done
{
  echo "[ui]"
  echo "openProfiles=$(IFS=,; echo "${profiles[*]}")"
  echo "[profiles]"
  for b in "${bases[@]}"; do
    printf 'soak-%s\\%s\n' "$b" "patroniUrl=http://127.0.0.1:$((b + 20))" \
      "$b" 'sqlConninfo="dbname=postgres user=vigil"' \
      "$b" "haproxyStatsUrl=\"http://127.0.0.1:$((b + 32))/;csv\"" \
      "$b" "haproxyReadWriteBackend=rw" \
      "$b" "pgbouncerConninfo=\"host=127.0.0.1 port=$((b + 40)) dbname=pgbouncer user=pgbouncer_admin\"" \
      "$b" "restUser=patroni"
  done
} >"$out/config/Vigil/vigil.conf"
for b in "${bases[@]}"; do
  log "sandbox $b: workload on for the whole run"
  sb "$b" workload --seconds $((duration + 900)) >>"$out/sandbox.log" 2>&1 || log "sandbox $b: workload did not start cleanly"
done

# --- The GUI: private settings, no password from Vigil (libpq reads the pgpass) ------------
log "starting vigil-gui on ${profiles[*]} (offscreen, 1 s refresh, stall probe on)"
read -r -a wrapper <<<"${VIGIL_SOAK_GUI_WRAPPER:-}"
descendant_gui() { # the vigil-gui process below PID (children, then their children)
  local c
  for c in $(pgrep -P "$1" || true); do
    [[ $(cat "/proc/$c/comm" 2>/dev/null) == vigil-gui ]] && { echo "$c"; return; }
    descendant_gui "$c"
  done
}
env -i PATH="$PATH" HOME="$out/home" XDG_CONFIG_HOME="$out/config" XDG_RUNTIME_DIR="$out/runtime" \
  QT_QPA_PLATFORM=offscreen PGPASSFILE="$out/pgpass" VIGIL_STALL_LOG="$out/stalls.log" \
  "${wrapper[@]}" "$gui" >"$out/gui.log" 2>&1 &
gui_pid=$!
if ((${#wrapper[@]})); then
  # The wrapper (heaptrack is a shell script) starts vigil-gui as a descendant: sample that one.
  # Ending the wrapper's GUI with SIGTERM lets the wrapper finish its own output.
  wrapper_pid=$gui_pid
  for _ in $(seq 1 100); do
    p=$(descendant_gui "$wrapper_pid" | head -n 1)
    [[ -n "$p" ]] && { gui_pid=$p; break; }
    sleep 0.2
  done
  log "wrapper ${wrapper[*]} (pid $wrapper_pid) runs vigil-gui pid $gui_pid"
fi
start=$(date +%s)

# --- Operations: each in the background, one at a time per cluster --------------------------
declare -A busy next_sw next_rs
for i in "${!bases[@]}"; do
  b=${bases[$i]}
  busy[$b]="" next_sw[$b]=$((switchover_every + i * switchover_every / 3))
  next_rs[$b]=$((restart_every + i * restart_every / 3 + restart_every / 9))
done
# Alive and not a zombie (kill -0 succeeds on an unreaped child).
alive() { [[ -r /proc/$1/status ]] && ! grep -q '^State:.*Z' "/proc/$1/status"; }
op_running() { [[ -n "${busy[$1]}" ]] && alive "${busy[$1]}"; }
replica_of() { curl -s -m 5 "http://127.0.0.1:$(($1 + 20))/cluster" | jq -r '[.members[] | select(.role != "leader" and .state == "running")] | .[(now | floor) % length].name // empty'; }
switchover() {
  local b=$1 t0=$SECONDS rc=0
  # shellcheck disable=SC1090
  source "$out/env-$b.sh"
  PGAPPNAME=soak-cli VIGIL_REST_PASSWORD="$VIGIL_SANDBOX_REST_PASSWORD" "$vigil" switchover \
    --patroni "$VIGIL_SANDBOX_PATRONI_URL" --rest-user "$VIGIL_SANDBOX_REST_USER" \
    --haproxy-stats "$VIGIL_SANDBOX_HAPROXY_STATS_URL" --sql "dbname=postgres user=vigil" \
    --audit-log "$out/audit.log" --confirm hokm-ha >"$out/op-$b.last" 2>&1 </dev/null || rc=$?
  log "sandbox $b: switchover rc=$rc in $((SECONDS - t0)) s: $(tail -n 2 "$out/op-$b.last" | tr '\n' ' ' | cut -c1-200)"
  # The workload's sessions are pinned to the leader it started on: restart it on the new one.
  sb "$b" workload --seconds $((duration + 900)) >>"$out/sandbox.log" 2>&1 || log "sandbox $b: workload restart failed"
}
restart_replica() {
  local b=$1 t0=$SECONDS rc=0 m
  # shellcheck disable=SC1090
  source "$out/env-$b.sh"
  m=$(replica_of "$b" || true)
  [[ -n "$m" ]] || { log "sandbox $b: no running replica to restart"; return; }
  PGAPPNAME=soak-cli VIGIL_REST_PASSWORD="$VIGIL_SANDBOX_REST_PASSWORD" "$vigil" restart "$m" \
    --patroni "$VIGIL_SANDBOX_PATRONI_URL" --rest-user "$VIGIL_SANDBOX_REST_USER" \
    --audit-log "$out/audit.log" --confirm hokm-ha >"$out/op-$b.last" 2>&1 </dev/null || rc=$?
  log "sandbox $b: restart of replica $m rc=$rc in $((SECONDS - t0)) s: $(tail -n 1 "$out/op-$b.last" | cut -c1-200)"
}

# --- Sampling ----------------------------------------------------------------------------------
members=()
for b in "${bases[@]}"; do for n in 1 2 3; do members+=("c${b}_node$n"); done; done
# Vigil's backends on a member: application_name LIKE 'vigil%', without the sandbox script's own
# psql (vigil-sandbox); the soak's CLI operations run as soak-cli. NA when the member is down.
backends() {
  PGPASSFILE="$out/pgpass" PGCONNECT_TIMEOUT=3 PGAPPNAME=soak-sampler timeout 10 psql -X -At \
    -h 127.0.0.1 -p "$1" -U postgres -d postgres -c "SELECT count(*) FILTER (WHERE application_name LIKE 'vigil%' AND application_name <> 'vigil-sandbox') || ' ' || coalesce(string_agg(application_name || '/' || state, ',' ORDER BY application_name) FILTER (WHERE application_name LIKE 'vigil%'), '-') FROM pg_stat_activity" 2>/dev/null || echo "NA -"
}
stall_max() { awk '$2 == "stall" && $3 > m { m = $3 } END { printf "%.1f", m + 0 }' "$out/stalls.log" 2>/dev/null || echo 0; }
echo "utc,elapsed_s,rss_kib,fds,threads,cpu_s,ui_runq_s,stall_max_ms,ops_busy,$(IFS=,; echo "${members[*]}")" >"$out/samples.csv"
sample() {
  local t=$1 rss fds thr cpu runq row b n r busy_list=""
  rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$gui_pid/status")
  thr=$(awk '/^Threads:/ { print $2 }' "/proc/$gui_pid/status")
  fds=$(find "/proc/$gui_pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
  cpu=$(awk -v t="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / t }' "/proc/$gui_pid/stat")
  # Seconds the UI thread has waited for a CPU (run queue), so far: the load's share of stalls.
  runq=$(awk '{ printf "%.2f", $2 / 1e9 }' "/proc/$gui_pid/task/$gui_pid/schedstat")
  for b in "${bases[@]}"; do op_running "$b" && busy_list+="$b+"; done
  row="$(date -u +%FT%TZ),$t,$rss,$fds,$thr,$cpu,$runq,$(stall_max),${busy_list:-none}"
  for b in "${bases[@]}"; do
    for n in 0 1 2; do
      r=$(backends $((b + 10 + n)))
      row+=",${r%% *}"
      echo "$t c${b}_node$((n + 1)) $r" >>"$out/backends-detail.log"
    done
  done
  echo "$row" >>"$out/samples.csv"
  # Where the RSS is: the main heap (brk, the UI thread's small allocations), anonymous mmaps
  # (large blocks: the chart rings, other threads' arenas) and file mappings, in KiB.
  awk -v t="$t" '/^[0-9a-f]+-[0-9a-f]+ / { k = $6 == "[heap]" ? "heap" : ($6 == "" ? "anon" : "mapped") }
    /^Rss:/ { s[k] += $2 }
    END { printf "%s heap %d anon %d mapped %d\n", t, s["heap"], s["anon"], s["mapped"] }' \
    "/proc/$gui_pid/smaps" >>"$out/smaps.log" 2>/dev/null || true
}

# --- The run ----------------------------------------------------------------------------------
# From here on Ctrl-C (or SIGTERM) ends the run early but still prints the summary of what was
# sampled (a second one stops at once).
stopped_early=""
trap 'log "interrupted: ending the run early, the summary follows"; stopped_early=yes
      trap '"'"'log interrupted; exit 130'"'"' INT TERM' INT TERM
log "soak: $duration s, samples every $sample_every s into $out/samples.csv"
next_sample=$sample_every
while :; do
  now=$(($(date +%s) - start))
  alive "$gui_pid" || { log "vigil-gui exited early (see $out/gui.log)"; break; }
  if ((now >= next_sample)); then sample "$now"; next_sample=$((next_sample + sample_every)); fi
  ((now < duration)) && [[ -z "$stopped_early" ]] || break
  for b in "${bases[@]}"; do
    op_running "$b" && continue
    if ((now >= next_sw[$b])); then
      switchover "$b" &
      busy[$b]=$! ops_pids+=($!) next_sw[$b]=$((next_sw[$b] + switchover_every))
    elif ((now >= next_rs[$b])); then
      restart_replica "$b" &
      busy[$b]=$! ops_pids+=($!) next_rs[$b]=$((next_rs[$b] + restart_every))
    fi
  done
  sleep 2
done
gui_alive=yes
alive "$gui_pid" || gui_alive=no

# --- Summary ----------------------------------------------------------------------------------
summarize() {
  echo "soak: $(date -u +%F), ${duration} s planned, $(($(date +%s) - start)) s run${stopped_early:+ (ended early by a signal)}, GUI alive at the end: $gui_alive"
  echo "clusters: ${profiles[*]} in one vigil-gui (offscreen), 1 s refresh, workload on"
  echo "operations: $(grep -c 'switchover rc=0' "$out/ops.log") switchovers ok, $(grep -c 'switchover rc=[1-9]' "$out/ops.log") failed; $(grep -c 'restart of replica .* rc=0' "$out/ops.log") replica restarts ok, $(grep -c 'restart of replica .* rc=[1-9]' "$out/ops.log") failed"
  awk -F, -v nm="$(IFS=,; echo "${members[*]}")" -v every="$sample_every" '
    NR == 1 { next }
    { n++; x = $2 / 3600; y = $3; sx += x; sy += y; sxx += x * x; sxy += x * y
      if ($2 >= 600) { m++; tx += x; ty += y; txx += x * x; txy += x * y }
      if (n == 1 || $4 < fmin) fmin = $4; if (n == 1 || $4 > fmax) fmax = $4
      if (n == 1 || $3 < rmin) rmin = $3; if (n == 1 || $3 > rmax) rmax = $3
      if (n == 1) { rfirst = $3; tfirst = $2; q0 = $7 } rlast = $3; tlast = $2; cpu = $6; thr = $5; q1 = $7
      split(nm, names, ",")
      for (i = 10; i <= NF; i++) {
        if ($i == "NA") { na[i]++; continue }
        if (!(i in lo) || $i < lo[i]) lo[i] = $i; if (!(i in hi) || $i > hi[i]) hi[i] = $i
        if ($9 == "none") { if (!(i in qlo) || $i < qlo[i]) qlo[i] = $i; if (!(i in qhi) || $i > qhi[i]) qhi[i] = $i }
      }
      # Per cluster (3 members): the leader moves with each switchover, so its total is the figure
      # that must stay constant.
      for (c = 0; 10 + 3 * c + 2 <= NF; c++) {
        a = 10 + 3 * c; if ($a == "NA" || $(a + 1) == "NA" || $(a + 2) == "NA") continue
        s = $a + $(a + 1) + $(a + 2)
        if (!(c in clo) || s < clo[c]) clo[c] = s; if (!(c in chi) || s > chi[c]) chi[c] = s
        if ($9 == "none") { if (!(c in cqlo) || s < cqlo[c]) cqlo[c] = s; if (!(c in cqhi) || s > cqhi[c]) cqhi[c] = s }
      }
    }
    function slope(k, a, b, aa, ab) { d = k * aa - a * a; return d > 0 ? (k * ab - a * b) / d : 0 }
    END {
      printf "samples: %d (every %d s, %.0f..%.0f s)\n", n, every, tfirst, tlast
      printf "RSS KiB: first %d, last %d, min %d, max %d\n", rfirst, rlast, rmin, rmax
      printf "RSS slope (least squares): %.0f KiB/h over the whole run; %.0f KiB/h after the first 10 min (%d samples)\n", slope(n, sx, sy, sxx, sxy), slope(m, tx, ty, txx, txy), m
      printf "open fds: min %d, max %d; threads at the end %d; GUI CPU %.1f s\n", fmin, fmax, thr, cpu
      printf "UI thread waiting for a CPU (run queue, /proc schedstat): %.1f s in %.0f s, %.0f ms per minute\n", q1 - q0, tlast - tfirst, (tlast > tfirst ? (q1 - q0) * 60000 / (tlast - tfirst) : 0)
      print "Vigil backends per member (min..max over all samples; min..max with no operation in flight; samples NA = member down):"
      for (i = 10; i <= NF; i++)
        printf "  %-18s %s..%s   quiet %s..%s   NA %d\n", names[i - 9], lo[i], hi[i], (i in qlo) ? qlo[i] : "-", (i in qhi) ? qhi[i] : "-", na[i] + 0
      print "Vigil backends per cluster (sum of its 3 members, samples with all 3 up):"
      for (c = 0; c in clo; c++) {
        split(names[3 * c + 1], cn, "_")
        printf "  %-18s %s..%s   quiet %s..%s\n", cn[1], clo[c], chi[c], (c in cqlo) ? cqlo[c] : "-", (c in cqhi) ? cqhi[c] : "-"
      }
    }' "$out/samples.csv"
  awk -v t0="$(date -u -d "@$start" +%FT%T)" -v t1="$(date -u -d "@$((start + 60))" +%FT%T)" '
    $2 == "stall" { n++; if ($3 > 50) big++; if ($3 > m) { m = $3; at = $1 }
                    if (substr($1, 1, 19) >= t1) { if ($3 > m2) { m2 = $3; at2 = $1 } if ($3 > 50) big2++ } }
    $2 == "max" { ticks = $6 }
    END { printf "UI stalls (event-loop lateness of a 4 ms timer): %d ticks, %d over 10 ms, %d over 50 ms; longest %.1f ms at %s\n", ticks, n, big, m, at
          printf "  after the first minute (startup): longest %.1f ms at %s, %d over 50 ms\n", m2, at2, big2 }' "$out/stalls.log"
  echo "longest stalls:"
  awk '$2 == "stall"' "$out/stalls.log" | sort -k3 -n -r | head -n 8 | sed 's/^/  /'
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (other engineers' builds share them)"
}
summarize | tee "$out/summary.txt"
[[ $gui_alive == yes ]]
