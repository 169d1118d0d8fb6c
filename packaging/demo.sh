#!/usr/bin/env bash
# Vigil's demo on a fresh Debian 12 machine, as root (or with sudo): installs whatever packages
# are missing, builds, starts the sandbox HA cluster with its game workload, and opens Vigil on it.
#
#   ./packaging/demo.sh            # needs a display (DISPLAY or WAYLAND_DISPLAY)
#   xvfb-run -a ./packaging/demo.sh   # on a headless machine (virtual X server)
#
# The sandbox keeps running after Vigil's window is closed so you can reopen it; stop it with
#   ./packaging/sandbox/sandbox.sh down
# Knobs: VIGIL_BUILD_DIR (default ./build), VIGIL_SANDBOX_PORT_BASE (default 64300),
# VIGIL_DEMO_WORKLOAD_SECONDS (default 3600; the workload stops by itself), VIGIL_DEMO_METRICS
# (default 1: the sandbox's Prometheus, Alertmanager and exporters; 0 leaves them out).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${VIGIL_BUILD_DIR:-$ROOT/build}
SANDBOX=$ROOT/packaging/sandbox/sandbox.sh
export VIGIL_SANDBOX_PORT_BASE=${VIGIL_SANDBOX_PORT_BASE:-64300}
WORKLOAD_SECONDS=${VIGIL_DEMO_WORKLOAD_SECONDS:-3600}
step() { printf '\n==> %s\n' "$*"; }

step "Installing missing packages"
"$ROOT/packaging/install-deps.sh"

# The display check comes after the dependencies: the message below suggests xvfb-run, which the
# dependency step installs.
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  cat >&2 <<MSG

demo: there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set), so Vigil's window
cannot open. The dependencies are installed now, xvfb-run included: on a headless machine, run
the demo under a virtual X server:

    xvfb-run -a ./packaging/demo.sh

Or run it from a desktop session or with ssh -X.
The headless command works without a display:  ./build/bin/vigil status --patroni URL
MSG
  exit 1
fi

step "Building in $BUILD"
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVIGIL_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j "$(nproc 2>/dev/null || echo 2)" --target vigil

step "Starting the sandbox cluster and its metrics stack (port base $VIGIL_SANDBOX_PORT_BASE)"
# --metrics: Prometheus (base + 50), Alertmanager (+51) and the exporters scrape the cluster from
# the start, so its history is there when Vigil opens. VIGIL_DEMO_METRICS=0 leaves them out.
if [ "${VIGIL_DEMO_METRICS:-1}" != 0 ]; then "$SANDBOX" up --metrics; else "$SANDBOX" up; fi
eval "$("$SANDBOX" env)"

step "Starting the game workload for ${WORKLOAD_SECONDS} s (stops by itself)"
"$SANDBOX" workload --seconds "$WORKLOAD_SECONDS"

step "Opening Vigil on the sandbox"
# SQL goes through libpq's own sources (PGSERVICEFILE/PGPASSFILE/PGUSER from 'sandbox.sh env'):
# no password on this command line.
exec "$BUILD/bin/vigil" \
  --patroni "$VIGIL_SANDBOX_PATRONI_URL" \
  --haproxy-stats "$VIGIL_SANDBOX_HAPROXY_STATS_URL" \
  --pgbouncer "service=vigil-bouncer-admin"
