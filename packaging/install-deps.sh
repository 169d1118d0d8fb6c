#!/usr/bin/env bash
# Installs, idempotently, every Debian 12 package Vigil needs to build, test and run its sandbox.
# Run as root (or with sudo). Nothing is downloaded from anywhere but Debian's archive.
set -euo pipefail

PKGS=(
  # build
  cmake ninja-build g++ make pkg-config dpkg-dev file clang-format
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools
  qt6-l10n-tools libqt6svg6 qt6-qpa-plugins libgl-dev libqt6opengl6-dev libxkbcommon-dev libvulkan-dev
  libpq-dev libssl-dev qtkeychain-qt6-dev libyaml-cpp-dev libgtest-dev googletest
  # sandbox cluster
  postgresql-15 postgresql-client-15 patroni etcd-server etcd-client haproxy pgbouncer
  # metrics sandbox (sandbox.sh up --metrics) and promtool for the exported alerting rules
  prometheus prometheus-alertmanager prometheus-postgres-exporter prometheus-node-exporter
  prometheus-pgbouncer-exporter
  # tests, screenshots, packaging checks, benchmarks
  desktop-file-utils appstream xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools
  pg-activity hyperfine procps psmisc iproute2 curl ca-certificates fonts-dejavu-core
  python3-jsonschema
  # the health report's integration test reads the PDF (pdftotext, pdfinfo, pdftoppm)
  poppler-utils
  # fuzzing the parsers (tests/fuzz/run.sh): clang with libFuzzer, ASan and UBSan
  clang-15 libfuzzer-15-dev
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: run as root or install sudo: missing packages cannot be installed otherwise." >&2
    exit 1
  fi
fi

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PKGS[@]} packages already installed."
  exit 0
fi

echo "install-deps: installing ${#missing[@]} missing package(s): ${missing[*]}"
# Debian's maintainer scripts would start system-wide etcd, haproxy, pgbouncer, PostgreSQL and
# Prometheus (server, Alertmanager, exporters) services on the very ports the sandbox uses. A policy-rc.d that exits 101 forbids that; we only
# add one when none exists, and remove ours afterwards.
ours=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  ours=1
fi
trap '[ $ours -eq 1 ] && $SUDO rm -f /usr/sbin/policy-rc.d' EXIT

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

# Belt and braces: if a system service did start anyway, stop it so it cannot hold our ports.
for svc in etcd haproxy pgbouncer postgresql prometheus prometheus-alertmanager \
  prometheus-postgres-exporter prometheus-node-exporter prometheus-pgbouncer-exporter; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
    $SUDO systemctl stop "$svc" || true
  fi
done
echo "install-deps: done."
