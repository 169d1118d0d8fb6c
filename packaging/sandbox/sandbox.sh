#!/usr/bin/env bash
# Vigil local HA sandbox: etcd 3.4 + 3 x Patroni 3.0.2 / PostgreSQL 15 + HAProxy + PgBouncer,
# all on 127.0.0.1, all under one directory, managed by this one script.
#
# Run `sandbox.sh help` for the subcommands. Every process this script starts
#   * runs as the `postgres` OS user when the script runs as root (PostgreSQL and PgBouncer
#     refuse root), otherwise as the calling user;
#   * is detached (own session, stdin /dev/null, output to $DIR/log/*.log) and has its
#     PID recorded in $DIR/run/*.pid; a recorded PID only counts as ours while
#     /proc/PID/cmdline still mentions $DIR (guards against PID reuse);
#   * has its working directory inside $DIR, which lets `down` find stragglers
#     (e.g. postgres backends orphaned by a crash) without touching anybody else's processes.
#
# Several sandboxes can run side by side with different VIGIL_SANDBOX_PORT_BASE values.
set -euo pipefail

# ----------------------------------------------------------------------------------------
# Layout and constants
# ----------------------------------------------------------------------------------------
BASE="${VIGIL_SANDBOX_PORT_BASE:-64300}"
if ! [[ "$BASE" =~ ^[0-9]+$ ]] || (( BASE < 1024 || BASE > 65400 )); then
  echo "sandbox: VIGIL_SANDBOX_PORT_BASE must be a number between 1024 and 65400 (got '$BASE')" >&2; exit 2
fi
DIR="${VIGIL_SANDBOX_DIR:-/tmp/vigil-sandbox-$BASE}"
DIR="${DIR%/}"
if [[ "$DIR" != /* || "$DIR" == "/" || "$DIR" =~ [[:space:]\'\"\\] || ${#DIR} -gt 80 ]]; then
  # (short, plain paths only: unix sockets live there and paths are quoted in generated files)
  echo "sandbox: VIGIL_SANDBOX_DIR must be an absolute path of at most 80 characters without spaces or quotes" >&2
  exit 2
fi

SELF=$(readlink -f "$0")
HOST=127.0.0.1
SCOPE=hokm-ha
NODES=(node1 node2 node3)
PORT_ETCD=$((BASE + 0))
PORT_ETCD_PEER=$((BASE + 1))
PORT_RW=$((BASE + 30))
PORT_RO=$((BASE + 31))
PORT_STATS=$((BASE + 32))
PORT_BOUNCER=$((BASE + 40))
pg_port()   { echo $((BASE + 10 + ${1#node} - 1)); }   # node1 -> B+10
rest_port() { echo $((BASE + 20 + ${1#node} - 1)); }   # node1 -> B+20

PGBIN=/usr/lib/postgresql/15/bin
PY=/usr/bin/python3            # Debian's interpreter (has Patroni's modules; a pyenv one may not)
MARKER="$DIR/.vigil-sandbox"   # `down` only deletes a directory that carries this marker
RUN="$DIR/run"                 # pid files
LOG="$DIR/log"                 # daemon logs
SECRETS="$DIR/secrets.env"     # generated passwords (0600)
PGPASS="$DIR/pgpass"
SERVICEFILE="$DIR/pg_service.conf"
ENVFILE="$DIR/sandbox.env"
UP_TIMEOUT="${VIGIL_SANDBOX_UP_TIMEOUT:-120}"
CLEAN_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
SHAPEFILE="$DIR/shape"          # the shape chosen when the sandbox was first created
TLSFILE="$DIR/tls.mode"         # present: the sandbox was created with 'up --tls'
TLSDIR="$DIR/tls"               # its private CA, server and client certificates (no secrets)
WANT_METRICS=0                  # set by 'up --metrics'
# The metrics stack (up --metrics): Prometheus, Alertmanager and the exporters on B+50..
# shellcheck source=packaging/sandbox/metrics.sh
source "$(dirname "$SELF")/metrics.sh"

# The sandbox's shape (VIGIL_SANDBOX_SHAPE), fixed when its directory is created, since Patroni
# reads the DCS timings only at bootstrap:
#   fast        (default) ttl 10, loop_wait 2, retry_timeout 4: failovers in seconds, for tests;
#   production  Patroni's own defaults (ttl 30, loop_wait 10, retry_timeout 10) and, in
#               PgBouncer, a read-only database hokm_game_ro through HAProxy's read-only port,
#               beside the '*' fallback: a cluster shaped like the ones Vigil meets in the field.
# REST basic auth on unsafe methods, the '*' fallback database and 1,200 max_connections are in
# both shapes.
load_shape() { # [strict]: 'up' refuses a VIGIL_SANDBOX_SHAPE the existing sandbox does not have
  local wanted=${VIGIL_SANDBOX_SHAPE:-} strict=${1:-}
  if [[ -s "$SHAPEFILE" ]]; then
    SHAPE=$(<"$SHAPEFILE")
    if [[ -n "$strict" && -n "$wanted" && "$wanted" != "$SHAPE" ]]; then
      die "this sandbox ($DIR) was created with shape '$SHAPE', not '$wanted': run 'sandbox.sh down' first (Patroni reads its timings only at bootstrap)"
    fi
  else
    SHAPE=${wanted:-fast}
  fi
  case "$SHAPE" in
    fast)       TTL=10; LOOP_WAIT=2;  RETRY_TIMEOUT=4 ;;
    production) TTL=30; LOOP_WAIT=10; RETRY_TIMEOUT=10 ;;
    *) die "VIGIL_SANDBOX_SHAPE must be 'fast' or 'production' (got '$SHAPE')" ;;
  esac
}

# TLS (fixed at creation like the shape, since the certificates and pg_hba go with the data):
# 'up --tls' makes a private CA in $TLSDIR and turns TLS on everywhere: PostgreSQL (ssl=on,
# hostssl-only pg_hba), the Patroni REST API (https, client certificates checked on unsafe
# methods: verify_client optional), PgBouncer (TLS required from clients, verify-full towards
# HAProxy) and HAProxy's health checks (https, verified against the CA). Later subcommands read
# $TLSFILE, so they all speak https to Patroni without being told again.
TLS=0
[[ -e "$TLSFILE" ]] && TLS=1
rest_scheme() { if ((TLS)); then echo https; else echo http; fi; }
rest_url() { echo "$(rest_scheme)://$HOST:$(rest_port "$1")"; }

# Who runs the daemons.
if [[ $(id -u) -eq 0 ]]; then
  RUN_USER=postgres
  AS_USER=(setpriv --reuid=postgres --regid=postgres --init-groups --)   # execs: $! stays the daemon
else
  RUN_USER=$(id -un)
  AS_USER=()
fi

# ----------------------------------------------------------------------------------------
# Small helpers
# ----------------------------------------------------------------------------------------
say()  { printf '%s\n' "$*"; }
warn() { printf 'sandbox: %s\n' "$*" >&2; }
die()  { printf 'sandbox: %s\n' "$*" >&2; exit 1; }

# Hand a file/dir to the daemon user (no-op when not root).
own() { if [[ $(id -u) -eq 0 ]]; then chown "$RUN_USER:" "$@"; fi; }

# Random alphanumeric password.
genpw() { local p; p=$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 24 || true); echo "$p"; }

# Is PID alive? A zombie counts as dead (PID 1 may reap orphans only every few seconds).
alive() {
  local st
  kill -0 "$1" 2>/dev/null || return 1
  st=$(awk '/^State:/ { print $2 }' "/proc/$1/status" 2>/dev/null) || return 1
  [[ -n "$st" && "$st" != Z ]]
}

# Is PID alive and one of ours (its command line mentions our directory)?
is_ours() {
  local pid=$1
  [[ -n "$pid" && "$pid" =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' </proc/"$pid"/cmdline 2>/dev/null | grep -qF -- "$DIR/"
}

# PID recorded for a service, if that process is still alive and ours; empty otherwise.
svc_pid() {
  local f="$RUN/$1.pid" pid
  [[ -f "$f" ]] || return 0
  pid=$(<"$f")
  if is_ours "$pid"; then echo "$pid"; fi
}

# Postmaster PID of a node (from its postmaster.pid), if alive.
postmaster_pid() {
  local f="$DIR/$1/data/postmaster.pid" pid
  [[ -r "$f" ]] || return 0
  pid=$(head -n1 "$f" 2>/dev/null || true)
  if [[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid" && grep -q postgres /proc/"$pid"/comm 2>/dev/null; then
    echo "$pid"
  fi
}

# Postmaster plus all its children (backends, walsenders, background processes).
postgres_tree() {
  local pm; pm=$(postmaster_pid "$1")
  [[ -n "$pm" ]] || return 0
  echo "$pm"
  pgrep -P "$pm" 2>/dev/null || true
}

# Every live process whose working directory is inside $DIR and that is a daemon/client
# this script starts (catch-all for `down`, e.g. backends orphaned by a crashed postmaster).
stray_pids() {
  local f p comm
  while IFS= read -r f; do
    p=${f#/proc/}; p=${p%/cwd}
    [[ "$p" == "$$" || "$p" == "$BASHPID" ]] && continue
    comm=$(cat "/proc/$p/comm" 2>/dev/null) || continue
    case "$comm" in
      postgres|etcd|haproxy|pgbouncer|python3|patroni|psql|pgbench|pg_basebackup|pg_rewind|pg_ctl|sleep) echo "$p" ;;
      *) if is_ours "$p"; then echo "$p"; fi ;;
    esac
  done < <(find /proc/[0-9]*/cwd -maxdepth 0 \( -lname "$DIR" -o -lname "$DIR/*" \) 2>/dev/null || true)
}

# Live (non-zombie) members of process group $1.
group_alive() { ps -e -o pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { n++ } END { exit !n }'; }

# Send SIGTERM (or $2) to the given pids, wait up to $1 seconds, then SIGKILL survivors.
terminate() {
  local wait_s=$1 sig=$2; shift 2
  local pids=("$@") left=() p i
  ((${#pids[@]})) || return 0
  kill -CONT "${pids[@]}" 2>/dev/null || true     # a frozen process can't act on SIGTERM
  kill "-$sig" "${pids[@]}" 2>/dev/null || true
  for ((i = 0; i < wait_s * 5; i++)); do
    left=()
    for p in "${pids[@]}"; do alive "$p" && left+=("$p"); done
    ((${#left[@]})) || return 0
    sleep 0.2
  done
  warn "escalating to SIGKILL for pid(s) ${left[*]}"
  kill -KILL "${left[@]}" 2>/dev/null || true
  sleep 0.2
}

# Is something listening on TCP port $1?
port_listening() { [[ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]]; }

# Line of `ss -Hltnp` output ($2) for a listener on port $1 (empty if none).
port_holder() { awk -v p=":$1" 'substr($4, length($4) - length(p) + 1) == p { print; exit }' <<<"$2"; }

# All PIDs that legitimately hold one of our ports.
our_pids() {
  local s n
  for s in etcd haproxy pgbouncer "${NODES[@]}"; do svc_pid "$s"; done
  for n in "${NODES[@]}"; do postmaster_pid "$n"; done
  metrics_pids
}

# Warn when this sandbox's ports (B .. B+56) overlap the kernel's ephemeral ports: the local
# port of any outgoing connection on the machine may take one of them for a moment, and a
# server starting then cannot listen there (a CI run lost its TLS sandbox to PgBouncer's
# "bind(): Address already in use" on 57340 this way).
ephemeral_overlap() {
  local lo hi
  read -r lo hi </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || return 0
  if (( BASE <= hi && BASE + 56 >= lo )); then
    echo "sandbox: warning: ports $BASE..$((BASE + 56)) lie in the kernel's ephemeral range $lo-$hi;" \
      "an outgoing connection may hold one when a server starts. Prefer a VIGIL_SANDBOX_PORT_BASE" \
      "above $hi." >&2
  fi
}

# Fail if any of this sandbox's ports is held by a process that is not ours.
check_ports() {
  local ours port line pid n listeners
  ours=" $(our_pids | tr '\n' ' ') "
  listeners=$(ss -Hltnp 2>/dev/null || true)   # one call: -p is slow (it walks /proc)
  local ports=("$PORT_ETCD" "$PORT_ETCD_PEER" "$PORT_RW" "$PORT_RO" "$PORT_STATS" "$PORT_BOUNCER")
  for n in "${NODES[@]}"; do ports+=("$(pg_port "$n")" "$(rest_port "$n")"); done
  # shellcheck disable=SC2207
  if ((WANT_METRICS)) || metrics_enabled; then ports+=($(metrics_ports)); fi
  for port in "${ports[@]}"; do
    line=$(port_holder "$port" "$listeners")
    [[ -n "$line" ]] || continue
    pid=$(grep -o 'pid=[0-9]*' <<<"$line" | head -n1 | cut -d= -f2 || true)
    # A listener without an owner is a socket whose process is exiting (a postmaster killed a
    # moment ago): seen in the etcd-killed drill on a loaded machine. Look again for up to 5 s.
    local tries=0
    while [[ -z "$pid" && -n "$line" ]] && ((tries++ < 10)); do
      sleep 0.5
      line=$(port_holder "$port" "$(ss -Hltnp 2>/dev/null || true)")
      pid=$(grep -o 'pid=[0-9]*' <<<"$line" | head -n1 | cut -d= -f2 || true)
    done
    [[ -n "$line" ]] || continue
    if [[ -n "$pid" && "$ours" == *" $pid "* ]]; then continue; fi
    if [[ -n "$pid" ]]; then
      local cwd; cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null || true)
      if [[ "$cwd" == "$DIR" || "$cwd" == "$DIR/"* ]]; then continue; fi
    fi
    die "port $port (needed by this sandbox, base $BASE) is already in use by something that is not this sandbox:
    $line
  Pick another VIGIL_SANDBOX_PORT_BASE or stop that process."
  done
}

# HTTP GET with short timeouts (REST endpoints are unauthenticated for GET in Patroni 3.0.2).
# https URLs (a TLS sandbox's REST API) are verified against the sandbox CA, with its client
# certificate.
http_get() {
  local tls=()
  [[ "$1" == https://* ]] && tls=(--cacert "$TLSDIR/ca.crt" --cert "$TLSDIR/client.crt" --key "$TLSDIR/client.key")
  curl -fsS "${tls[@]}" --connect-timeout 1 --max-time "${2:-2}" "$1" 2>/dev/null
}

# ----------------------------------------------------------------------------------------
# Directory, secrets and configuration files
# ----------------------------------------------------------------------------------------
ensure_dir() {
  if [[ -e "$DIR" && ! -e "$MARKER" ]]; then
    if [[ -n "$(ls -A "$DIR" 2>/dev/null)" ]]; then
      die "$DIR exists, is not empty and is not a Vigil sandbox (no $MARKER); refusing to use it"
    fi
  fi
  mkdir -p "$DIR" "$RUN" "$LOG" "$DIR/workload" "$DIR/archive"
  chmod 0700 "$DIR"
  touch "$MARKER"
  own "$DIR" "$RUN" "$LOG" "$DIR/workload" "$DIR/archive" "$MARKER"
  if [[ $(id -u) -eq 0 ]] && ! "${AS_USER[@]}" test -w "$DIR" -a -x "$DIR"; then
    die "$DIR is not reachable by the '$RUN_USER' user (is a parent directory private, e.g. /root?); use a VIGIL_SANDBOX_DIR under /tmp"
  fi
}

# Passwords: generated once per sandbox dir, stored 0600.
load_secrets() {
  [[ -n "${SHAPE:-}" ]] || load_shape
  if [[ ! -s "$SECRETS" ]]; then
    ( umask 077
      {
        echo "PW_POSTGRES=$(genpw)"
        echo "PW_REPLICATOR=$(genpw)"
        echo "PW_VIGIL=$(genpw)"
        echo "PW_PGBOUNCER_ADMIN=$(genpw)"
        echo "PW_HOKM_APP=$(genpw)"
        echo "PW_REST=$(genpw)"
      } >"$SECRETS" )
    own "$SECRETS"
  fi
  # shellcheck disable=SC1090
  source "$SECRETS"
  REST_USER=patroni
}

# Write a file (content on stdin) with mode 0600, owned by the daemon user.
write_private() { ( umask 077; cat >"$1" ); chmod 0600 "$1"; own "$1"; }

# The TLS sandbox's private CA and certificates, made once per directory with openssl (EC P-256,
# valid 825 days): ca.crt/ca.key; server.crt/server.key (SAN localhost and 127.0.0.1) for
# PostgreSQL, the Patroni REST API and PgBouncer; client.crt/client.key (CN vigil) for REST
# clients (Vigil, patronictl, Patroni's calls to its peers, curl here) and, optionally, libpq's
# sslcert. Keys are 0600 and owned by the daemon user (PostgreSQL refuses others).
make_tls_files() {
  [[ -s "$TLSDIR/client.crt" ]] && return 0
  command -v openssl >/dev/null || die "openssl is required for 'up --tls'"
  mkdir -p "$TLSDIR"
  ( cd "$TLSDIR" && umask 077
    local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
    openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.crt -days 825 \
      -subj "/CN=Vigil sandbox CA $BASE" -addext basicConstraints=critical,CA:TRUE \
      -addext keyUsage=critical,keyCertSign,cRLSign
    printf 'subjectAltName=DNS:localhost,IP:%s\nextendedKeyUsage=serverAuth\n' "$HOST" >server.ext
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    local who
    for who in server client; do
      local cn=localhost; [[ $who == client ]] && cn=vigil
      openssl req "${ec[@]}" -keyout "$who.key" -out "$who.csr" -subj "/CN=$cn"
      openssl x509 -req -in "$who.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 825 \
        -extfile "$who.ext" -out "$who.crt"
    done
    rm -f ./*.csr ./*.ext ca.srl
    chmod 0644 ./*.crt
  ) >>"$LOG/tls.log" 2>&1 || die "could not make the TLS certificates (see $LOG/tls.log)"
  own -R "$TLSDIR"
  chmod 0755 "$TLSDIR"
}

write_patroni_config() {
  local n=$1 pp rp hba=host tls_rest="" tls_ctl="" tls_params="" tls_auth=""
  pp=$(pg_port "$n"); rp=$(rest_port "$n")
  if ((TLS)); then
    # TLS through Patroni's own configuration (it owns postgresql.conf; no ALTER SYSTEM), and
    # only hostssl rules: a connection without TLS finds no pg_hba entry.
    hba=hostssl
    tls_rest="
  certfile: $TLSDIR/server.crt
  keyfile: $TLSDIR/server.key
  cafile: $TLSDIR/ca.crt
  verify_client: optional    # a client certificate is required for unsafe methods"
    tls_ctl="
ctl:                         # patronictl and Patroni's calls to its peers' REST APIs
  insecure: false
  cacert: $TLSDIR/ca.crt
  certfile: $TLSDIR/client.crt
  keyfile: $TLSDIR/client.key"
    tls_params="
    ssl: 'on'
    ssl_cert_file: $TLSDIR/server.crt
    ssl_key_file: $TLSDIR/server.key
    ssl_ca_file: $TLSDIR/ca.crt
    ssl_min_protocol_version: TLSv1.2"
    tls_auth="
      sslmode: verify-full
      sslrootcert: $TLSDIR/ca.crt"
  fi
  mkdir -p "$DIR/$n"; own "$DIR/$n"
  write_private "$DIR/$n/patroni.yml" <<EOF
# Generated by packaging/sandbox/sandbox.sh -- do not edit (rewritten by every 'up').
scope: $SCOPE
namespace: /service/
name: $n

log:
  level: INFO

restapi:
  listen: $HOST:$rp
  connect_address: $HOST:$rp
  authentication:            # Patroni 3.0.2: protects unsafe methods only; GETs stay open
    username: $REST_USER
    password: $PW_REST$tls_rest
$tls_ctl

etcd3:
  hosts: $HOST:$PORT_ETCD

bootstrap:
  dcs:
    ttl: $TTL
    loop_wait: $LOOP_WAIT
    retry_timeout: $RETRY_TIMEOUT
    maximum_lag_on_failover: 1048576
    postgresql:
      use_pg_rewind: true
      remove_data_directory_on_rewind_failure: true
      remove_data_directory_on_diverged_timelines: true
      use_slots: true
      parameters:
        wal_level: replica
        hot_standby: 'on'
        wal_log_hints: 'on'
        max_connections: 1200
        max_locks_per_transaction: 128
        max_wal_senders: 10
        max_replication_slots: 10
        wal_keep_size: 128MB
        shared_preload_libraries: pg_stat_statements
        pg_stat_statements.track: all
        track_io_timing: 'on'
        password_encryption: scram-sha-256
        log_min_duration_statement: 1000   # in the DCS, so a test can set it to 0 (local wins)
        # WAL archiving into one folder the members share, as a real archive is shared: the
        # primary archives (mode on), Vigil's archiver view and its "archiving fails" finding
        # watch it. In the DCS, so a test can break the command through PATCH /config.
        # A segment already archived by the old primary is archived again by the new one after a
        # failover: an identical copy counts as done (cmp), a different one is refused.
        archive_mode: 'on'
        archive_command: 'if test -f $DIR/archive/%f; then cmp -s %p $DIR/archive/%f; else cp %p $DIR/archive/%f; fi'
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
    - auth: scram-sha-256

postgresql:
  listen: $HOST:$pp
  connect_address: $HOST:$pp
  data_dir: $DIR/$n/data
  bin_dir: $PGBIN
  pgpass: $DIR/$n/pgpass
  authentication:
    superuser:
      username: postgres
      password: $PW_POSTGRES$tls_auth
    replication:
      username: replicator
      password: $PW_REPLICATOR$tls_auth
  parameters:
    unix_socket_directories: '$DIR'
    shared_buffers: 32MB
    logging_collector: 'on'
    log_directory: log
    log_line_prefix: '%m [%p] %q%u@%d/%a '$tls_params
  basebackup:                # fast checkpoint: a spread one can stall a new replica for minutes
    - checkpoint: fast
  pg_hba:
    - $hba replication replicator 127.0.0.1/32 scram-sha-256
    - $hba all all 127.0.0.1/32 scram-sha-256

watchdog:
  mode: 'off'

tags:
  nofailover: false
  noloadbalance: false
  clonefrom: false
  nosync: false
EOF
}

write_haproxy_config() {
  local n servers_rw="" servers_ro="" check_tls=""
  # A TLS sandbox's REST API speaks https: the checks do too, verified against the sandbox CA
  # and the name in the server certificate (the PostgreSQL traffic itself passes through as TCP;
  # TLS is between the client and PostgreSQL).
  ((TLS)) && check_tls=" check-ssl verify required ca-file $TLSDIR/ca.crt verifyhost localhost"
  for n in "${NODES[@]}"; do
    servers_rw+="    server $n $HOST:$(pg_port "$n") check port $(rest_port "$n")$check_tls"$'\n'
    servers_ro+="    server $n $HOST:$(pg_port "$n") check port $(rest_port "$n")$check_tls"$'\n'
  done
  write_private "$DIR/haproxy.cfg" <<EOF
# Generated by packaging/sandbox/sandbox.sh -- do not edit (rewritten by every 'up').
global
    maxconn 4000
    log stdout format raw local0 notice
    stats socket $DIR/haproxy.sock mode 600 level admin

defaults
    mode tcp
    log global
    retries 2
    maxconn 3000
    timeout connect 4s
    timeout client 12h
    timeout server 12h
    timeout check 2s
    default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions

listen stats
    mode http
    bind $HOST:$PORT_STATS
    stats enable
    stats uri /
    stats refresh 5s
    # HAProxy's built-in Prometheus exporter (PROMEX; Debian's build has it): scraped by the
    # metrics stack (metrics.sh).
    http-request use-service prometheus-exporter if { path /metrics }

# Read-write: follows the Patroni leader (GET /primary answers 200 only on the leader).
listen rw
    bind $HOST:$PORT_RW
    option httpchk
    http-check send meth GET uri /primary
    http-check expect status 200
$servers_rw
# Read-only: the streaming replicas (GET /replica answers 200 only on healthy replicas).
listen ro
    bind $HOST:$PORT_RO
    balance roundrobin
    option httpchk
    http-check send meth GET uri /replica
    http-check expect status 200
$servers_ro
EOF
}

write_pgbouncer_config() {
  write_private "$DIR/pgbouncer.ini" <<EOF
; Generated by packaging/sandbox/sandbox.sh -- do not edit (rewritten by every 'up').
[databases]
hokm_game = host=$HOST port=$PORT_RW dbname=hokm_game
postgres = host=$HOST port=$PORT_RW dbname=postgres
$(if [[ $SHAPE == production ]]; then echo "hokm_game_ro = host=$HOST port=$PORT_RO dbname=hokm_game"; fi)
* = host=$HOST port=$PORT_RW

[pgbouncer]
listen_addr = $HOST
listen_port = $PORT_BOUNCER
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $DIR/pgbouncer-users.txt
admin_users = pgbouncer_admin
stats_users = pgbouncer_admin, vigil
pool_mode = transaction
ignore_startup_parameters = extra_float_digits,options
max_client_conn = 2500
default_pool_size = 20
reserve_pool_size = 5
server_connect_timeout = 5
server_login_retry = 1
log_connections = 0
log_disconnections = 0
$(if ((TLS)); then cat <<TLSCONF
; TLS sandbox: clients must use TLS; towards PostgreSQL (through HAProxy) verify-full.
client_tls_sslmode = require
client_tls_cert_file = $TLSDIR/server.crt
client_tls_key_file = $TLSDIR/server.key
client_tls_ca_file = $TLSDIR/ca.crt
server_tls_sslmode = verify-full
server_tls_ca_file = $TLSDIR/ca.crt
TLSCONF
fi)
EOF
  # Plain-text passwords (0600) let PgBouncer do SCRAM towards both clients and servers.
  write_private "$DIR/pgbouncer-users.txt" <<EOF
"postgres" "$PW_POSTGRES"
"vigil" "$PW_VIGIL"
"hokm_app" "$PW_HOKM_APP"
"pgbouncer_admin" "$PW_PGBOUNCER_ADMIN"
EOF
}

write_client_files() {
  local n ports=() p
  for n in "${NODES[@]}"; do ports+=("$(pg_port "$n")"); done
  ports+=("$PORT_RW" "$PORT_RO" "$PORT_BOUNCER")
  {
    for p in "${ports[@]}"; do
      echo "$HOST:$p:*:postgres:$PW_POSTGRES"
      echo "$HOST:$p:*:vigil:$PW_VIGIL"
      echo "$HOST:$p:*:hokm_app:$PW_HOKM_APP"
      echo "$HOST:$p:*:replicator:$PW_REPLICATOR"
    done
    echo "$HOST:$PORT_BOUNCER:*:pgbouncer_admin:$PW_PGBOUNCER_ADMIN"
  } | write_private "$PGPASS"

  # A TLS sandbox's services verify the server (verify-full against the sandbox CA).
  local ssl=""
  ((TLS)) && ssl="sslmode=verify-full"$'\n'"sslrootcert=$TLSDIR/ca.crt"$'\n'
  {
    echo "# Generated by packaging/sandbox/sandbox.sh (sandbox base $BASE)"
    printf '[vigil-sandbox]\nhost=%s\nport=%s\ndbname=postgres\nuser=vigil\npassfile=%s\n%s\n' "$HOST" "$PORT_RW" "$PGPASS" "$ssl"
    for n in "${NODES[@]}"; do
      printf '[vigil-%s]\nhost=%s\nport=%s\ndbname=postgres\nuser=vigil\npassfile=%s\n%s\n' "$n" "$HOST" "$(pg_port "$n")" "$PGPASS" "$ssl"
    done
    printf '[vigil-bouncer-admin]\nhost=%s\nport=%s\ndbname=pgbouncer\nuser=pgbouncer_admin\npassfile=%s\n%s' "$HOST" "$PORT_BOUNCER" "$PGPASS" "$ssl"
  } | write_private "$SERVICEFILE"

  env_lines | write_private "$ENVFILE"
}

env_lines() {
  local urls="" n
  for n in "${NODES[@]}"; do urls+="$(rest_url "$n") "; done
  cat <<EOF
export VIGIL_SANDBOX_DIR='$DIR'
export VIGIL_SANDBOX_PORT_BASE='$BASE'
export VIGIL_SANDBOX_PATRONI_URL='$(rest_url node1)'
export VIGIL_SANDBOX_PATRONI_URLS='${urls% }'
export VIGIL_SANDBOX_HAPROXY_STATS_URL='http://$HOST:$PORT_STATS/;csv'
export VIGIL_SANDBOX_PGBOUNCER_PORT='$PORT_BOUNCER'
export VIGIL_SANDBOX_RW_PORT='$PORT_RW'
export VIGIL_SANDBOX_RO_PORT='$PORT_RO'
export VIGIL_SANDBOX_REST_USER='$REST_USER'
export VIGIL_SANDBOX_SHAPE='$SHAPE'
export VIGIL_SANDBOX_LOOP_WAIT='$LOOP_WAIT'
export VIGIL_SANDBOX_TTL='$TTL'
export VIGIL_SANDBOX_REST_PASSWORD='$PW_REST'
export PGPASSFILE='$PGPASS'
export PGSERVICEFILE='$SERVICEFILE'
export PGUSER='vigil'
export PGDATABASE='postgres'
export PGHOST='$HOST'
EOF
  # TLS: where the CA and the client certificate are (paths only; keys are files, never values).
  if ((TLS)); then
    cat <<EOF
export VIGIL_SANDBOX_TLS='1'
export VIGIL_SANDBOX_CA_FILE='$TLSDIR/ca.crt'
export VIGIL_SANDBOX_CLIENT_CERT='$TLSDIR/client.crt'
export VIGIL_SANDBOX_CLIENT_KEY='$TLSDIR/client.key'
EOF
  else
    echo "export VIGIL_SANDBOX_TLS='0'"
  fi
  metrics_env_lines
}

write_all_configs() {
  local n
  for n in "${NODES[@]}"; do write_patroni_config "$n"; done
  write_haproxy_config
  write_pgbouncer_config
  write_client_files
}

# ----------------------------------------------------------------------------------------
# Starting daemons
# ----------------------------------------------------------------------------------------
# launch NAME CMD...: start CMD detached, as the daemon user, with a clean environment
# (no PG* variables of the caller leak into Patroni/pg_basebackup), cwd $DIR, output to
# $LOG/NAME.log, and record its PID in $RUN/NAME.pid.
launch() {
  local name=$1; shift
  local logf="$LOG/$name.log" pid
  (
    cd "$DIR"
    ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    # Not a process-group leader here, so setsid(1) calls setsid() and execs (no fork):
    # $! below is the daemon itself once setpriv/env have exec'd.
    exec setsid "${AS_USER[@]}" env -i PATH="$CLEAN_PATH" HOME="$DIR" LANG=C.UTF-8 LC_ALL=C.UTF-8 \
      TZ=UTC "$@" </dev/null >>"$logf" 2>&1
  ) &
  pid=$!
  echo "$pid" >"$RUN/$name.pid"
  own "$RUN/$name.pid"
  # Until the subshell has exec'd, $pid's command line is this script's, not the daemon's: on
  # a loaded machine that took longer than 0.3 s and a healthy etcd was reported as exited.
  # Wait (up to 10 s) for the exec, then 0.3 s more to catch a daemon that dies at once.
  local i
  for ((i = 0; i < 100; i++)); do
    is_ours "$pid" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  sleep 0.3
  if ! is_ours "$pid"; then
    warn "$name exited right after start; last lines of $logf:"
    tail -n 20 "$logf" >&2 || true
    return 1
  fi
}

# wait_port PORT SECONDS: wait until something listens on PORT.
wait_port() {
  local i
  for ((i = 0; i < $2 * 5; i++)); do
    port_listening "$1" && return 0
    sleep 0.2
  done
  return 1
}

start_etcd() {
  if [[ -n "$(svc_pid etcd)" ]]; then return 0; fi
  say "starting etcd (client $PORT_ETCD, peer $PORT_ETCD_PEER)"
  mkdir -p "$DIR/etcd"; own "$DIR/etcd"
  launch etcd /usr/bin/etcd \
    --name "vigil-etcd-$BASE" \
    --data-dir "$DIR/etcd/data" \
    --listen-client-urls "http://$HOST:$PORT_ETCD" \
    --advertise-client-urls "http://$HOST:$PORT_ETCD" \
    --listen-peer-urls "http://$HOST:$PORT_ETCD_PEER" \
    --initial-advertise-peer-urls "http://$HOST:$PORT_ETCD_PEER" \
    --initial-cluster "vigil-etcd-$BASE=http://$HOST:$PORT_ETCD_PEER" \
    --initial-cluster-token "vigil-sandbox-$BASE" \
    --initial-cluster-state new \
    --auto-compaction-retention 1 \
    --log-level warn || die "etcd failed to start (see $LOG/etcd.log)"
  local i
  for ((i = 0; i < 100; i++)); do
    http_get "http://$HOST:$PORT_ETCD/health" | grep -q '"health":"true"' && return 0
    sleep 0.2
  done
  die "etcd did not become healthy within 20 s (see $LOG/etcd.log)"
}

start_node() {
  local n=$1
  if [[ -n "$(svc_pid "$n")" ]]; then return 0; fi
  say "starting $n (Patroni REST $(rest_port "$n"), PostgreSQL $(pg_port "$n"))"
  launch "$n" "$PY" /usr/bin/patroni "$DIR/$n/patroni.yml" || die "$n failed to start (see $LOG/$n.log)"
}

start_haproxy() {
  if [[ -n "$(svc_pid haproxy)" ]]; then return 0; fi
  /usr/sbin/haproxy -c -q -f "$DIR/haproxy.cfg" || die "invalid HAProxy config $DIR/haproxy.cfg"
  say "starting HAProxy (rw $PORT_RW, ro $PORT_RO, stats $PORT_STATS)"
  launch haproxy /usr/sbin/haproxy -db -f "$DIR/haproxy.cfg" || die "HAProxy failed to start (see $LOG/haproxy.log)"
  wait_port "$PORT_STATS" 10 || die "HAProxy is not listening on $PORT_STATS"
  # Servers start out UP in HAProxy until their checks fail; wait (bounded) until the first
  # checks have run so that rw does not briefly route to a replica right after a start.
  # (Only when a leader exists, i.e. not during the initial bootstrap.)
  [[ -n "$(leader_name 2>/dev/null || true)" ]] || return 0
  local i
  for ((i = 0; i < 50; i++)); do
    [[ "$(haproxy_up_count rw)" == 1 ]] && [[ "$(haproxy_up_count ro)" != 3 ]] && return 0
    sleep 0.2
  done
  warn "HAProxy's rw listener does not see exactly one leader yet"
}

# Number of servers HAProxy currently reports UP in listener $1 (rw/ro).
haproxy_up_count() {
  http_get "http://$HOST:$PORT_STATS/;csv" | awk -F, -v px="$1" '
    NR == 1 { for (i = 1; i <= NF; i++) { h = $i; sub(/^# /, "", h); c[h] = i }; next }
    $c["pxname"] == px && $c["svname"] ~ /^node/ && $c["status"] ~ /^UP/ { n++ }
    END { print n + 0 }'
}

start_pgbouncer() {
  if [[ -n "$(svc_pid pgbouncer)" ]]; then return 0; fi
  say "starting PgBouncer ($PORT_BOUNCER)"
  launch pgbouncer /usr/sbin/pgbouncer "$DIR/pgbouncer.ini" || die "PgBouncer failed to start (see $LOG/pgbouncer.log)"
  wait_port "$PORT_BOUNCER" 10 || die "PgBouncer is not listening on $PORT_BOUNCER"
}

# ----------------------------------------------------------------------------------------
# Cluster state (Patroni REST)
# ----------------------------------------------------------------------------------------
# /cluster JSON from the first node that answers.
cluster_json() {
  local n out
  for n in "${NODES[@]}"; do
    out=$(http_get "$(rest_url "$n")/cluster") && [[ -n "$out" ]] && { echo "$out"; return 0; }
  done
  return 1
}

# Name of the current leader (Patroni 3.0.2 says "leader", newer ones "primary").
leader_name() {
  local j; j=$(cluster_json) || return 1
  jq -r '[.members[] | select((.role == "leader" or .role == "primary" or .role == "master") and .state == "running")][0].name // empty' <<<"$j"
}

# Number of replicas the leader reports as streaming (pg_stat_replication via GET /patroni).
leader_streaming_count() {
  local l=$1 j
  j=$(http_get "$(rest_url "$l")/patroni") || { echo 0; return; }
  jq -r '[.replication // [] | .[] | select(.state == "streaming")] | length' <<<"$j"
}

# Healthy = a running leader + two replicas in state running (3.0.2) / streaming (newer),
# and the leader sees two walsenders streaming.
cluster_healthy() {
  local j l reps
  j=$(cluster_json) || return 1
  l=$(jq -r '[.members[] | select((.role == "leader" or .role == "primary" or .role == "master") and .state == "running")] | if length == 1 then .[0].name else empty end' <<<"$j")
  [[ -n "$l" ]] || return 1
  reps=$(jq -r '[.members[] | select((.role == "replica" or .role == "sync_standby") and (.state == "running" or .state == "streaming"))] | length' <<<"$j")
  (( reps >= 2 )) || return 1
  # Patroni's own view of the replicas' lag (from the DCS, refreshed every loop_wait) is within
  # maximum_lag_on_failover: right after provisioning wrote WAL it can still show a lag that
  # would make a replica unfit to promote, and a test must not start from that.
  jq -e '[.members[] | select(.role == "replica" or .role == "sync_standby")
          | select((.lag | type) != "number" or .lag > 1048576)] | length == 0' <<<"$j" >/dev/null || return 1
  (( $(leader_streaming_count "$l") >= 2 ))
}

# Run psql against PORT as USER (password from our pgpass), quietly, with a timeout.
# Usage: q PORT USER DB SQL...
q() {
  local port=$1 user=$2 db=$3; shift 3
  env -u PGSERVICE -u PGSERVICEFILE PGPASSFILE="$PGPASS" PGCONNECT_TIMEOUT=3 PGAPPNAME=vigil-sandbox \
    psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$HOST" -p "$port" -U "$user" -d "$db" "$@"
}

# ----------------------------------------------------------------------------------------
# Provisioning: roles, extensions, hokm_game database (idempotent)
# ----------------------------------------------------------------------------------------
provision() {
  local port=$1 ok
  # Quick path for a no-op 'up': already provisioned by this sandbox directory.
  if [[ -f "$RUN/provisioned" ]]; then
    # Asked in hokm_game (no such database: not provisioned); vigil reading the game tables is
    # newer than some sandboxes (the custom metrics need it), so it is checked too.
    ok=$(q "$port" postgres hokm_game -c "SELECT (SELECT count(*) FROM pg_roles
              WHERE rolname IN ('vigil', 'hokm_app', 'pgbouncer_admin')) = 3
          AND has_table_privilege('vigil', 'game_sessions', 'SELECT')" 2>/dev/null || true)
    [[ "$ok" == t ]] && return 0
  fi
  # Passwords go to psql on stdin (\set), never on a command line.
  { printf '\\set pw_vigil %s\n\\set pw_app %s\n\\set pw_admin %s\n' "$PW_VIGIL" "$PW_HOKM_APP" "$PW_PGBOUNCER_ADMIN"
    cat <<'SQL'
SET client_min_messages = warning;
SELECT format('CREATE ROLE %I LOGIN', r) FROM unnest(ARRAY['vigil','hokm_app','pgbouncer_admin']) r
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) \gexec
ALTER ROLE vigil LOGIN PASSWORD :'pw_vigil';
GRANT pg_monitor, pg_signal_backend TO vigil;
ALTER ROLE hokm_app LOGIN PASSWORD :'pw_app';
ALTER ROLE pgbouncer_admin LOGIN PASSWORD :'pw_admin';
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
SELECT 'CREATE DATABASE hokm_game OWNER hokm_app'
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'hokm_game') \gexec
SQL
  } | q "$port" postgres postgres -f - >/dev/null
  # Schema from the ops manual, owned by hokm_app; seed data only once.
  q "$port" postgres hokm_game -f - <<'SQL' >/dev/null
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
SET ROLE hokm_app;
CREATE TABLE IF NOT EXISTS game_sessions (
    id          bigserial PRIMARY KEY,
    player_id   int         NOT NULL,
    status      text        NOT NULL DEFAULT 'active',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS game_moves (
    id          bigserial PRIMARY KEY,
    game_id     bigint      NOT NULL REFERENCES game_sessions(id),
    player_id   int         NOT NULL,
    move        text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_game_sessions_active ON game_sessions (player_id, status) WHERE status = 'active';
CREATE INDEX IF NOT EXISTS idx_game_moves_game_created ON game_moves (game_id, created_at);
INSERT INTO game_sessions (player_id, status, created_at, updated_at)
SELECT 1 + (g % 500),
       (ARRAY['active','active','finished','abandoned'])[1 + g % 4],
       now() - (g || ' minutes')::interval, now() - (g || ' seconds')::interval
  FROM generate_series(1, 3000) g
 WHERE NOT EXISTS (SELECT 1 FROM game_sessions);
INSERT INTO game_moves (game_id, player_id, move, created_at)
SELECT 1 + (g % 3000), 1 + (g % 500),
       (ARRAY['lead','follow','trump','pass','hokm'])[1 + g % 5],
       now() - (g || ' seconds')::interval
  FROM generate_series(1, 12000) g
 WHERE NOT EXISTS (SELECT 1 FROM game_moves);
-- Vigil's monitoring role reads the game tables (the custom gaming metrics), nothing more.
GRANT SELECT ON game_sessions, game_moves TO vigil;
RESET ROLE;
ANALYZE game_sessions;
ANALYZE game_moves;
SQL
  touch "$RUN/provisioned"
}

# ----------------------------------------------------------------------------------------
# Subcommands
# ----------------------------------------------------------------------------------------
cmd_up() {
  local t0=$SECONDS n want_tls=0 a
  for a in "$@"; do
    case "$a" in
      --tls) want_tls=1 ;;
      --metrics) WANT_METRICS=1 ;;
      *) die "usage: sandbox.sh up [--tls] [--metrics]" ;;
    esac
  done
  command -v jq >/dev/null || die "jq is required"
  local fresh=0
  [[ -s "$SHAPEFILE" ]] || fresh=1
  ensure_dir
  load_shape strict
  if ((want_tls && !TLS)); then
    ((fresh)) || die "this sandbox ($DIR) was created without TLS: run 'sandbox.sh down' first"
    TLS=1
    make_tls_files
    touch "$TLSFILE"; own "$TLSFILE"
  fi
  [[ -s "$SHAPEFILE" ]] || { echo "$SHAPE" | write_private "$SHAPEFILE"; }
  load_secrets
  ephemeral_overlap
  check_ports
  write_all_configs
  for n in "${NODES[@]}"; do
    local p; p=$(svc_pid "$n")
    if [[ -n "$p" ]] && grep -q '^State:.*T' /proc/"$p"/status 2>/dev/null; then
      warn "$n is frozen (SIGSTOP); run 'sandbox.sh thaw $n'"
    fi
  done
  start_etcd
  for n in "${NODES[@]}"; do start_node "$n"; done
  start_haproxy
  start_pgbouncer

  # Wait (bounded) for: leader + 2 streaming replicas, rw port on the leader, PgBouncer.
  printf 'waiting for the cluster (leader + 2 streaming replicas, HAProxy rw, PgBouncer) '
  local deadline=$((SECONDS + UP_TIMEOUT)) ok=0 provisioned=0
  while ((SECONDS < deadline)); do
    if cluster_healthy; then
      if [[ "$(q "$PORT_RW" postgres postgres -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" == "f" ]]; then
        if ((provisioned == 0)); then
          local fresh=1; [[ -f "$RUN/provisioned" ]] && fresh=0
          if provision "$PORT_RW" 2>>"$LOG/provision.log"; then provisioned=1; fi
          # A first provisioning writes WAL: check the replicas' lag again before calling it healthy.
          if ((fresh)); then sleep 1; continue; fi
        fi
        if ((provisioned)) && [[ "$(q "$PORT_BOUNCER" postgres postgres -c 'SELECT 1' 2>/dev/null)" == "1" ]]; then
          ok=1; break
        fi
      fi
    fi
    printf '.'
    sleep 1
  done
  echo
  if ((ok == 0)); then
    warn "cluster not healthy after ${UP_TIMEOUT}s; logs are in $LOG (try 'sandbox.sh status')"
    cmd_status || true
    exit 1
  fi
  if ((WANT_METRICS)) || metrics_enabled; then
    local tm=$SECONDS
    metrics_up
    say "metrics stack up in $((SECONDS - tm)) s"
    write_client_files # the environment file now names Prometheus and Alertmanager
  fi
  say "sandbox up in $((SECONDS - t0)) s"
  summary
}

summary() {
  local n
  cat <<EOF

Vigil HA sandbox (scope $SCOPE, base $BASE) in $DIR
  etcd            http://$HOST:$PORT_ETCD   (peer $PORT_ETCD_PEER)
EOF
  for n in "${NODES[@]}"; do
    printf '  %-15s postgres %s   Patroni REST %s\n' "$n" "$(pg_port "$n")" "$(rest_url "$n")"
  done
  if ((TLS)); then
    cat <<EOF
  TLS             CA $TLSDIR/ca.crt, client certificate $TLSDIR/client.crt (+ .key);
                  PostgreSQL and PgBouncer require TLS, REST is https (client cert for actions)
EOF
  fi
  cat <<EOF
  HAProxy         rw $PORT_RW   ro $PORT_RO   stats http://$HOST:$PORT_STATS/  (CSV: http://$HOST:$PORT_STATS/;csv)
  PgBouncer       $PORT_BOUNCER (admin DB 'pgbouncer', user pgbouncer_admin)
$(metrics_summary)
  leader          $(leader_name || echo '?')

Credentials (also in $SECRETS, $PGPASS):
  postgres        $PW_POSTGRES   (superuser)
  replicator      $PW_REPLICATOR
  vigil           $PW_VIGIL   (pg_monitor, pg_signal_backend, SELECT on the game tables)
  hokm_app        $PW_HOKM_APP
  pgbouncer_admin $PW_PGBOUNCER_ADMIN
  Patroni REST    $REST_USER / $PW_REST

Environment for tests:  eval "\$($SELF env)"   (or: source $ENVFILE)
  PGPASSFILE=$PGPASS  PGSERVICEFILE=$SERVICEFILE
  services: vigil-sandbox, vigil-node1..3, vigil-bouncer-admin
EOF
}

cmd_env() {
  ensure_dir
  load_secrets
  [[ -f "$ENVFILE" ]] || write_client_files
  env_lines
}

# Align tab-separated columns (column(1) if present).
tabulate() { if command -v column >/dev/null; then column -t -s $'\t'; else cat; fi; }

cmd_status() {
  [[ -e "$MARKER" ]] || { say "no sandbox in $DIR"; return 1; }
  load_secrets
  local j healthy=1 n p l
  say "Vigil sandbox base $BASE in $DIR"
  for n in etcd "${NODES[@]}" haproxy pgbouncer workload; do
    p=$(svc_pid "$n")
    if [[ -n "$p" ]]; then
      if grep -q '^State:.*T' /proc/"$p"/status 2>/dev/null; then say "  process $n: pid $p (FROZEN)"
      else say "  process $n: pid $p"; fi
    else
      [[ "$n" == workload ]] || say "  process $n: not running"
    fi
  done
  metrics_status
  say "Patroni members (REST /cluster):"
  if j=$(cluster_json); then
    jq -r '.members[] | "  \(.name)\t\(.role)\t\(.state)\ttimeline=\(.timeline // "-")\tlag=\(.lag // (if .role == "leader" then "-" else "?" end))\t\(.host):\(.port)"' <<<"$j" | tabulate
    l=$(leader_name || true)
    if [[ -n "$l" ]]; then say "  streaming replicas seen by leader $l: $(leader_streaming_count "$l")"; fi
  else
    say "  no Patroni REST endpoint answers"
  fi
  cluster_healthy || healthy=0
  say "HAProxy backends (stats CSV):"
  local csv
  if csv=$(http_get "http://$HOST:$PORT_STATS/;csv"); then
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { h = $i; sub(/^# /, "", h); c[h] = i }; next }
             ($c["pxname"] == "rw" || $c["pxname"] == "ro") && $c["svname"] != "FRONTEND" {
               printf "  %-3s %-8s %s\n", $c["pxname"], $c["svname"], $c["status"] }' <<<"$csv"
  else
    say "  HAProxy stats not reachable on $PORT_STATS"
  fi
  if [[ "$(q "$PORT_BOUNCER" pgbouncer_admin pgbouncer -c 'SHOW VERSION' 2>/dev/null)" == *PgBouncer* ]]; then
    say "PgBouncer: reachable on $PORT_BOUNCER"
  else
    say "PgBouncer: NOT reachable on $PORT_BOUNCER"
  fi
  if ((healthy)); then say "overall: HEALTHY (leader + 2 streaming replicas)"; return 0; fi
  say "overall: NOT HEALTHY"
  return 1
}

stop_service() {
  local s=$1 p
  p=$(svc_pid "$s")
  if [[ -z "$p" ]]; then say "$s is not running"; rm -f "$RUN/$s.pid"; return 0; fi
  case "$s" in
    node*)
      say "stopping $s (Patroni pid $p, stops its PostgreSQL cleanly)"
      terminate 30 TERM "$p"
      # A postmaster Patroni did not get to stop (e.g. Patroni was frozen/killed): stop it too.
      local pm; pm=$(postmaster_pid "$s")
      if [[ -n "$pm" ]]; then
        # shellcheck disable=SC2046
        terminate 15 TERM $(postgres_tree "$s")
      fi ;;
    *)
      say "stopping $s (pid $p)"
      terminate 10 TERM "$p" ;;
  esac
  rm -f "$RUN/$s.pid"
}

cmd_stop() {
  local s=${1:-}
  case "$s" in
    haproxy|pgbouncer|node1|node2|node3|etcd) ;;
    *) die "usage: sandbox.sh stop haproxy|pgbouncer|node1|node2|node3|etcd" ;;
  esac
  [[ -e "$MARKER" ]] || die "no sandbox in $DIR"
  stop_service "$s"
}

cmd_start() {
  local s=${1:-}
  [[ -e "$MARKER" ]] || die "no sandbox in $DIR (run 'up' first)"
  load_secrets
  case "$s" in
    haproxy)   check_ports; start_haproxy ;;
    pgbouncer) check_ports; start_pgbouncer ;;
    etcd)      check_ports; start_etcd ;;
    node1|node2|node3)
      check_ports; start_node "$s"
      local i
      for ((i = 0; i < 150; i++)); do
        http_get "$(rest_url "$s")/patroni" >/dev/null && { say "$s REST answers"; return 0; }
        sleep 0.2
      done
      warn "$s started but its REST API does not answer yet" ;;
    *) die "usage: sandbox.sh start haproxy|pgbouncer|node1|node2|node3|etcd" ;;
  esac
}

cmd_kill_leader() {
  [[ -e "$MARKER" ]] || die "no sandbox in $DIR"
  local l p pids=()
  l=$(leader_name) || true
  [[ -n "$l" ]] || die "no leader found (REST /cluster)"
  p=$(svc_pid "$l")
  [[ -n "$p" ]] && pids+=("$p")
  # shellcheck disable=SC2207
  pids+=($(postgres_tree "$l"))
  ((${#pids[@]})) || die "no processes found for leader $l"
  kill -KILL "${pids[@]}" 2>/dev/null || true
  rm -f "$RUN/$l.pid"
  say "killed leader $l with SIGKILL (pids: ${pids[*]}; Patroni was ${p:-not running})"
}

# freeze/thaw: SIGSTOP/SIGCONT the member's Patroni and all its PostgreSQL processes.
cmd_signal_node() {
  local sig=$1 n=${2:-} p pids=()
  case "$n" in node1|node2|node3|etcd) ;; *) die "usage: sandbox.sh ${3} node1|node2|node3|etcd" ;; esac
  [[ -e "$MARKER" ]] || die "no sandbox in $DIR"
  if [[ "$n" == etcd ]]; then
    # The DCS itself: its connections hang, as in a network partition or a stalled disk.
    p=$(svc_pid etcd)
    [[ -n "$p" ]] || die "etcd is not running"
    kill "-$sig" "$p"
    say "${3}: sent SIG$sig to etcd ($p)"
    return
  fi
  p=$(svc_pid "$n")
  # shellcheck disable=SC2207
  local tree=($(postgres_tree "$n"))
  if [[ "$sig" == STOP ]]; then
    [[ -n "$p" ]] && pids+=("$p")
    pids+=("${tree[@]}")
  else
    pids+=("${tree[@]}")
    [[ -n "$p" ]] && pids+=("$p")
  fi
  ((${#pids[@]})) || die "$n has no running processes"
  kill "-$sig" "${pids[@]}"
  say "${3}: sent SIG$sig to $n (Patroni ${p:-none}, postgres: ${tree[*]:-none})"
}

cmd_psql() {
  local t=${1:-}; shift || true
  [[ -e "$MARKER" ]] || die "no sandbox in $DIR (run 'up' first)"
  local port user=postgres db=postgres
  case "$t" in
    node1|node2|node3) port=$(pg_port "$t") ;;
    rw) port=$PORT_RW ;;
    ro) port=$PORT_RO ;;
    bouncer) port=$PORT_BOUNCER ;;
    bouncer-admin) port=$PORT_BOUNCER; user=pgbouncer_admin; db=pgbouncer ;;
    leader) local l; l=$(leader_name) || true; [[ -n "$l" ]] || die "no leader"; port=$(pg_port "$l") ;;
    *) die "usage: sandbox.sh psql node1|node2|node3|rw|ro|bouncer|bouncer-admin|leader [psql args...]" ;;
  esac
  # Defaults via environment so that the caller's -d/-U options still win; password from pgpass.
  exec env -u PGSERVICE PGPASSFILE="$PGPASS" PGHOST="$HOST" PGPORT="$port" PGUSER="$user" \
    PGDATABASE="$db" psql "$@"
}

# patronictl against this cluster (Debian's interpreter; config of node1 carries the REST
# credentials, so switchover/restart etc. work).
cmd_patronictl() {
  [[ -e "$MARKER" ]] || die "no sandbox in $DIR (run 'up' first)"
  exec env -u PGSERVICE -u PGSERVICEFILE HOME="$DIR" "$PY" /usr/bin/patronictl -c "$DIR/node1/patroni.yml" "$@"
}

# ----------------------------------------------------------------------------------------
# Workload
# ----------------------------------------------------------------------------------------
workload_stop() {
  local p; p=$(svc_pid workload)
  if [[ -n "$p" ]]; then
    say "stopping workload (process group $p)"
    kill -TERM -- "-$p" 2>/dev/null || true
    local i
    for ((i = 0; i < 25; i++)); do group_alive "$p" || break; sleep 0.2; done
    kill -KILL -- "-$p" 2>/dev/null || true
  fi
  rm -f "$RUN/workload.pid"
}

# Verify the blocking tree on the leader; prints "direct depth2".
tree_shape() {
  q "$1" postgres hokm_game -F ' ' -c "
WITH a AS (SELECT pid FROM pg_stat_activity
            WHERE application_name = 'hokm-admin-batch' AND state = 'idle in transaction'),
     w AS (SELECT pid, pg_blocking_pids(pid) AS b FROM pg_stat_activity
            WHERE datname = 'hokm_game' AND wait_event_type = 'Lock')
SELECT (SELECT count(*) FROM w JOIN a ON w.b = ARRAY[a.pid]),
       (SELECT count(*) FROM w w3 JOIN w w2 ON w3.b = ARRAY[w2.pid] JOIN a ON w2.b = ARRAY[a.pid])"
}

blocking_report_sql="SELECT pid, application_name AS app, state, wait_event_type AS wait,
       pg_blocking_pids(pid) AS blocked_by, left(regexp_replace(query, '\s+', ' ', 'g'), 60) AS query
  FROM pg_stat_activity
 WHERE datname = 'hokm_game' AND (application_name = 'hokm-admin-batch' OR cardinality(pg_blocking_pids(pid)) > 0)
 ORDER BY backend_start"

cmd_workload() {
  local secs=600
  case "${1:-}" in
    stop) [[ -e "$MARKER" ]] || die "no sandbox in $DIR"; workload_stop; return 0 ;;
    --seconds)
      secs=${2:-}
      if ! [[ "$secs" =~ ^[0-9]+$ ]] || ((secs == 0)); then die "--seconds needs a positive number"; fi ;;
    "") ;;
    *) die "usage: sandbox.sh workload [--seconds N] | workload stop" ;;
  esac
  [[ -e "$MARKER" ]] || die "no sandbox in $DIR (run 'up' first)"
  load_secrets
  local l lport
  l=$(leader_name) || true
  [[ -n "$l" ]] || die "no leader; run 'up' first"
  lport=$(pg_port "$l")
  if [[ -n "$(svc_pid workload)" ]]; then say "a workload is already running; restarting it"; workload_stop; sleep 1; fi
  provision "$lport" || die "could not create hokm_game on the leader $l"

  # pgbench script: game traffic. Rows 1..99 are left alone (the blocking tree uses 1..3).
  cat >"$DIR/workload/game.sql" <<'SQL'
\set player random(1, 500)
\set game random(100, 3000)
BEGIN;
SELECT id, status, updated_at FROM game_sessions WHERE player_id = :player AND status = 'active' LIMIT 5;
INSERT INTO game_moves (game_id, player_id, move, created_at) VALUES (:game, :player, 'play', now());
UPDATE game_sessions SET updated_at = now() WHERE id = :game;
SELECT count(*) FROM game_moves WHERE game_id = :game AND created_at > now() - interval '1 hour';
END;
SQL
  own "$DIR/workload"
  say "starting workload for $secs s against leader $l (port $lport); log: $LOG/workload.log"
  # The runner is this script itself, detached in its own session / process group.
  ( cd "$DIR/workload"; exec setsid "$SELF" __workload-run "$secs" "$lport" "$DIR/" </dev/null >>"$LOG/workload.log" 2>&1 ) &
  echo "$!" >"$RUN/workload.pid"

  # Wait until the blocking tree has its shape (A blocks W1, W2; W2 blocks W3).
  local i shape=""
  for ((i = 0; i < 60; i++)); do
    shape=$(tree_shape "$lport" 2>/dev/null || true)
    [[ "$shape" == "2 1" ]] && break
    sleep 0.5
  done
  [[ "$shape" == "2 1" ]] || { warn "blocking tree not in place (got '$shape'); see $LOG/workload.log"; return 1; }
  say "workload running (pid file $RUN/workload.pid, process group $(<"$RUN/workload.pid")):"
  say "  - pgbench game traffic via PgBouncer $PORT_BOUNCER (app hokm-game-server, 2 clients, -R 10)"
  say "  - 3 idle + 2 idle-in-transaction sessions on the leader (hokm-lobby / hokm-game-server)"
  say "  - blocking tree on the leader: A (hokm-admin-batch) blocks W1 and W2; W2 blocks W3"
  say "  - slow queries via PgBouncer: ~1.5 s every 20 s, ~6 s every 60 s"
  say "  - ends by itself after $secs s; 'sandbox.sh workload stop' ends it now"
  say "blocking tree (pg_blocking_pids on $l):"
  q "$lport" postgres hokm_game -P footer=off -c "$blocking_report_sql" -A -F ' | ' -P tuples_only=off | sed 's/^/  /'
}

# Internal: the detached workload runner (process-group leader; killing the group ends it all).
workload_run() {
  local secs=$1 lport=$2 end
  end=$((SECONDS + secs))
  load_secrets
  trap 'trap - TERM INT; rm -f "$RUN/workload.pid"; kill -TERM -- -$$ 2>/dev/null; exit 0' TERM INT
  export PGPASSFILE="$PGPASS" PGHOST="$HOST" PGUSER=hokm_app PGDATABASE=hokm_game PGCONNECT_TIMEOUT=5
  unset PGSERVICE PGSERVICEFILE PGPORT PGOPTIONS
  # session APP PORT SQL: keep a session open with SQL executed, until the workload ends.
  session() { (echo "$3"; sleep "$secs") | PGAPPNAME="$1" psql -X -q -p "$2" >/dev/null 2>&1 & }
  echo "$(date -u +%T) workload: $secs s, leader port $lport"

  # Blocking tree, in order so the shape is deterministic.
  session hokm-admin-batch "$lport" "BEGIN; UPDATE game_sessions SET status = status, updated_at = now() WHERE id = 1; UPDATE game_sessions SET updated_at = now() WHERE id = 2;"
  sleep 1
  session hokm-game-server "$lport" "BEGIN; UPDATE game_sessions SET updated_at = now() WHERE id = 1;"      # W1
  sleep 0.5
  session hokm-game-server "$lport" "BEGIN; UPDATE game_sessions SET updated_at = now() WHERE id = 3; UPDATE game_sessions SET updated_at = now() WHERE id = 2;"  # W2
  sleep 1
  session hokm-game-server "$lport" "BEGIN; UPDATE game_sessions SET updated_at = now() WHERE id = 3;"      # W3

  # Idle and idle-in-transaction sessions.
  session hokm-lobby "$lport" "SELECT count(*) FROM game_sessions WHERE status = 'active';"
  session hokm-lobby "$lport" "SELECT 1;"
  session hokm-game-server "$lport" "SELECT now();"
  session hokm-game-server "$lport" "BEGIN; SELECT count(*) FROM game_moves WHERE game_id = 42;"
  session hokm-lobby "$lport" "BEGIN; SELECT id FROM game_sessions WHERE player_id = 7 AND status = 'active';"

  # Game traffic through PgBouncer (restarted if a failover breaks it).
  (
    while ((SECONDS < end - 2)); do
      PGAPPNAME=hokm-game-server pgbench -n -h "$HOST" -p "$PORT_BOUNCER" -U hokm_app -c 2 -j 1 -R 10 \
        -T $((end - SECONDS)) -P 60 -f "$DIR/workload/game.sql" hokm_game || true
      sleep 2
    done
  ) &

  # Slow queries through PgBouncer: ~1.5 s every 20 s, ~6 s about once a minute.
  (
    local i=0
    while ((SECONDS < end - 2)); do
      PGAPPNAME=hokm-game-server psql -X -q -p "$PORT_BOUNCER" -c \
        "SELECT count(*) FROM game_sessions s, pg_sleep(1.5) WHERE s.status = 'active'" >/dev/null || true
      if ((i % 3 == 0)); then
        PGAPPNAME=hokm-game-server psql -X -q -p "$PORT_BOUNCER" -c \
          "SELECT m.player_id, count(*) FROM game_moves m, pg_sleep(6) GROUP BY m.player_id ORDER BY 2 DESC LIMIT 10" >/dev/null || true
      fi
      i=$((i + 1))
      sleep 20 & wait $!
    done
  ) &

  sleep "$secs" & wait $!
  echo "$(date -u +%T) workload: time is up"
  rm -f "$RUN/workload.pid"
  trap - TERM INT
  kill -TERM -- -$$ 2>/dev/null || true
}

# ----------------------------------------------------------------------------------------
# down
# ----------------------------------------------------------------------------------------
cmd_down() {
  if [[ ! -e "$DIR" ]]; then say "nothing to do: $DIR does not exist"; return 0; fi
  [[ -e "$MARKER" ]] || die "$DIR is not a Vigil sandbox (no $MARKER); not touching it"
  local n p pids=()
  workload_stop >/dev/null
  # Thaw everything first: a SIGSTOPped process cannot act on SIGTERM.
  # shellcheck disable=SC2046
  kill -CONT $(stray_pids) 2>/dev/null || true
  metrics_down
  for n in pgbouncer haproxy; do
    p=$(svc_pid "$n"); [[ -n "$p" ]] && { say "stopping $n (pid $p)"; terminate 10 TERM "$p"; }
  done
  pids=()
  for n in "${NODES[@]}"; do p=$(svc_pid "$n"); [[ -n "$p" ]] && pids+=("$p"); done
  if ((${#pids[@]})); then say "stopping Patroni nodes (pids ${pids[*]}) and their PostgreSQL"; terminate 30 TERM "${pids[@]}"; fi
  # Any postmaster left over (found via postmaster.pid), with its children.
  pids=()
  # shellcheck disable=SC2207
  for n in "${NODES[@]}"; do pids+=($(postgres_tree "$n")); done
  if ((${#pids[@]})); then say "stopping left-over PostgreSQL (pids ${pids[*]})"; terminate 10 INT "${pids[@]}"; fi
  p=$(svc_pid etcd); [[ -n "$p" ]] && { say "stopping etcd (pid $p)"; terminate 10 TERM "$p"; }
  # Catch-all: anything still running from inside our directory.
  # shellcheck disable=SC2207
  pids=($(stray_pids))
  if ((${#pids[@]})); then warn "killing stragglers: ${pids[*]}"; kill -KILL "${pids[@]}" 2>/dev/null || true; sleep 0.5; fi
  # shellcheck disable=SC2207
  pids=($(stray_pids))
  ((${#pids[@]} == 0)) || die "processes still alive after SIGKILL: ${pids[*]} (not deleting $DIR)"
  rm -rf "$DIR"
  say "sandbox base $BASE is down; $DIR deleted"
}

usage() {
  cat <<EOF
Usage: sandbox.sh COMMAND [ARGS]

Local PostgreSQL HA sandbox for Vigil: etcd 3.4, three Patroni 3.0.2 nodes (scope $SCOPE,
members node1..node3) on PostgreSQL 15, HAProxy and PgBouncer, all on 127.0.0.1.

Commands:
  up [--tls] [--metrics] start whatever is not running (idempotent), wait until a leader and two
                         streaming replicas are up, HAProxy rw reaches the leader and PgBouncer
                         answers; print ports, URLs and credentials. --tls (when the sandbox is
                         created; kept by later commands): a private CA in DIR/tls, TLS required
                         by PostgreSQL and PgBouncer, https REST with client certificates.
                         --metrics (kept by later 'up's): Prometheus (B+50, scrapes every 5 s),
                         Alertmanager (B+51), node_exporter (B+52), pgbouncer_exporter (B+53),
                         postgres_exporter per member (B+54..56), HAProxy's /metrics on the
                         stats port, Patroni's /metrics; 'env' then names Prometheus and
                         Alertmanager (VIGIL_SANDBOX_PROMETHEUS_URL, ..._ALERTMANAGER_URL)
  load-rules FILE        metrics sandbox: check a Prometheus rules file (promtool), add it to
                         Prometheus's rule files and reload (e.g. from 'vigil export-rules')
  prometheus-history DAYS  metrics sandbox: DAYS of synthetic samples of the charts' series before
                         the first scrape (restarts Prometheus; for tests/bench/bench_backfill.sh)
  down                   stop everything of this sandbox and delete its directory
  status                 human summary; exit 0 when a leader + 2 streaming replicas, 1 otherwise
  kill-leader            crash the leader: SIGKILL its Patroni and all its PostgreSQL processes
  freeze NODE | thaw NODE
                         SIGSTOP / SIGCONT a member's Patroni and PostgreSQL processes, or
                         etcd (NODE = etcd: the DCS hangs)
  stop SERVICE | start SERVICE
                         clean stop / start of haproxy, pgbouncer, node1, node2, node3 (or etcd)
  env                    print export lines for a test harness:  eval "\$(sandbox.sh env)"
  psql TARGET [ARGS]     psql as postgres to node1|node2|node3|rw|ro|bouncer|leader, or as
                         pgbouncer_admin to bouncer-admin (the PgBouncer console)
  workload [--seconds N] background game workload (default 600 s): pgbench via PgBouncer, idle
                         and idle-in-transaction sessions, a blocking tree, slow queries
  workload stop          end the workload now
  patronictl [ARGS]      patronictl for this cluster (e.g. 'patronictl list', 'patronictl switchover')
  help                   this text

Environment:
  VIGIL_SANDBOX_PORT_BASE  port base B (default 64300, above the kernel's
                           ephemeral ports: see ephemeral_overlap). etcd B, B+1; PostgreSQL B+10..12;
                           Patroni REST B+20..22; HAProxy rw B+30, ro B+31, stats B+32; PgBouncer B+40;
                           with --metrics: Prometheus B+50, Alertmanager B+51, exporters B+52..56
  VIGIL_SANDBOX_DIR        sandbox directory (default /tmp/vigil-sandbox-B)
  VIGIL_SANDBOX_UP_TIMEOUT seconds 'up' waits for a healthy cluster (default 120)
  VIGIL_SANDBOX_SHAPE      fast (default: ttl 10, loop_wait 2) or production (Patroni's default
                           timings ttl 30, loop_wait 10, retry_timeout 10, and a read-only PgBouncer
                           database hokm_game_ro through HAProxy's ro port); fixed at creation
  VIGIL_SANDBOX_PROMETHEUS_RETENTION  --storage.tsdb.retention.time of Prometheus when it starts
                           (default 2d, or DAYS + 1 after prometheus-history DAYS)

Current: base $BASE, dir $DIR
EOF
}

main() {
  local cmd=${1:-help}; shift || true
  case "$cmd" in
    up)            cmd_up "$@" ;;
    down)          cmd_down "$@" ;;
    status)        cmd_status "$@" ;;
    kill-leader)   cmd_kill_leader "$@" ;;
    freeze)        cmd_signal_node STOP "${1:-}" freeze ;;
    thaw)          cmd_signal_node CONT "${1:-}" thaw ;;
    stop)          cmd_stop "$@" ;;
    start)         cmd_start "$@" ;;
    env)           cmd_env "$@" ;;
    psql)          cmd_psql "$@" ;;
    patronictl)    cmd_patronictl "$@" ;;
    workload)      cmd_workload "$@" ;;
    load-rules)    cmd_load_rules "$@" ;;
    prometheus-history) cmd_prometheus_history "$@" ;;
    __workload-run) workload_run "$@" ;;
    help|-h|--help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
