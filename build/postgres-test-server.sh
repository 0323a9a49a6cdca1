#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests, from Debian's packages.
#
#   build/postgres-test-server.sh [start]   start it (or find it running) and print
#                                            export TRACKER_TEST_POSTGRES='...'
#   build/postgres-test-server.sh halt      stop the server but keep its data (outage tests)
#   build/postgres-test-server.sh stop      stop the server and delete its data
#
# Typical use:  eval "$(build/postgres-test-server.sh)"; dotnet test ...; build/postgres-test-server.sh stop
#
# Environment:
#   TRACKER_PG_TEST_DIR   where the cluster lives (default /tmp/tracker-postgres-test); one
#                         directory is one server, so tests can run their own beside the shared one
#   TRACKER_PG_TEST_PORT  first port to try (default 55432); the next free one is used if taken,
#                         also when the bind fails because an outgoing connection holds the port
#                         (55432 lies in Linux's ephemeral range, 32768-60999)
#   TRACKER_PG_TEST_SOCKET=1  listen on a Unix socket in TRACKER_PG_TEST_DIR instead of TCP: no port
#                         that anything else could take, so a halted server starts again at the
#                         same address (the throwaway servers of the outage and recovery tests)
#   TRACKER_PG_BIN        PostgreSQL's bin directory (default /usr/lib/postgresql/15/bin)
#
# Quiet on success (only the export line on stdout); on failure says why on stderr, with the
# server log's tail, and exits non-zero. Safe to run several times and concurrently.
set -euo pipefail

dir="${TRACKER_PG_TEST_DIR:-/tmp/tracker-postgres-test}"
first_port="${TRACKER_PG_TEST_PORT:-55432}"
use_socket="${TRACKER_PG_TEST_SOCKET:-0}"
# The Unix socket's file name carries a port number; nothing listens on it over TCP.
socket_port=5432
data="$dir/data"
log="$dir/server.log"
port_file="$dir/port"

fail() {
  echo "postgres-test-server: $*" >&2
  if [[ -f "$log" ]]; then
    echo "--- last lines of $log ---" >&2
    tail -n 20 "$log" >&2 || true
  fi
  exit 1
}

find_bin() {
  if [[ -n "${TRACKER_PG_BIN:-}" ]]; then
    [[ -x "$TRACKER_PG_BIN/pg_ctl" ]] || fail "TRACKER_PG_BIN=$TRACKER_PG_BIN has no pg_ctl"
    echo "$TRACKER_PG_BIN"
    return
  fi
  if [[ ! -x /usr/lib/postgresql/15/bin/pg_ctl ]] && ! compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null; then
    [[ "$(id -u)" == 0 ]] || fail "PostgreSQL is not installed and we are not root: apt-get install postgresql"
    echo "postgres-test-server: installing Debian's postgresql package" >&2
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -q && apt-get install -y -q -o DPkg::Lock::Timeout=120 --no-install-recommends postgresql; } >"/tmp/tracker-postgres-apt.log" 2>&1 \
      || fail "apt-get install postgresql failed, see /tmp/tracker-postgres-apt.log"
  fi
  if [[ -x /usr/lib/postgresql/15/bin/pg_ctl ]]; then
    echo /usr/lib/postgresql/15/bin
    return
  fi
  # Another Debian release ships another major version: take the newest installed.
  local newest
  newest="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "$newest" && -x "$newest/pg_ctl" ]] || fail "no PostgreSQL server binaries under /usr/lib/postgresql"
  echo "$newest"
}

# initdb and the server refuse to run as root: run them as the postgres user then.
as_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

give_to_owner() {
  if [[ "$(id -u)" == 0 ]]; then
    chown postgres: "$@"
  fi
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {
  local p
  for ((p = first_port; p < first_port + 100; p++)); do
    if ! port_in_use "$p"; then
      echo "$p"
      return
    fi
  done
  fail "no free port in $first_port..$((first_port + 99))"
}

is_running() {
  [[ -f "$data/PG_VERSION" ]] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

print_env() {
  if [[ "$use_socket" == 1 ]]; then
    echo "export TRACKER_TEST_POSTGRES='Host=$dir;Port=$socket_port;Username=postgres;Database=postgres'"
  else
    echo "export TRACKER_TEST_POSTGRES='Host=127.0.0.1;Port=$(cat "$port_file");Username=postgres;Database=postgres'"
  fi
}

init_cluster() {
  rm -rf "$data"
  mkdir -p "$data"
  give_to_owner -R "$dir"
  as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
    || fail "initdb failed: $(tail -n 5 "$dir/initdb.log")"
  # A test server: loopback only (TCP or a Unix socket in its own directory), durability traded
  # for speed (the tests kill Tracker, never this server), room for the pools of many concurrent
  # test stores.
  if [[ "$use_socket" == 1 ]]; then
    printf "listen_addresses = ''\nunix_socket_directories = '%s'\n" "$dir" >>"$data/postgresql.conf"
  else
    printf "listen_addresses = '127.0.0.1'\nunix_socket_directories = ''\n" >>"$data/postgresql.conf"
  fi
  cat >>"$data/postgresql.conf" <<'EOF'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
}

start() {
  mkdir -p "$dir"
  give_to_owner "$dir"
  if is_running; then
    print_env
    return
  fi
  [[ -f "$data/PG_VERSION" ]] || init_cluster
  if [[ "$use_socket" == 1 ]]; then
    launch "$socket_port" || fail "pg_ctl start failed"
    wait_ready -h "$dir" -p "$socket_port"
    return
  fi
  # Keep the port across halt/start so existing connection strings work again; move if taken.
  # A port held by an outgoing connection looks free to port_in_use (nothing listens on it) and
  # only the bind tells: then try the next one.
  local port attempt
  if [[ -f "$port_file" ]] && ! port_in_use "$(cat "$port_file")"; then
    port="$(cat "$port_file")"
  else
    port="$(pick_port)"
  fi
  for ((attempt = 0; attempt < 10; attempt++)); do
    if launch "$port"; then
      echo "$port" >"$port_file"
      give_to_owner "$port_file"
      wait_ready -h 127.0.0.1 -p "$port"
      return
    fi
    grep -q "Address already in use" "$log" || fail "pg_ctl start failed"
    first_port=$((port + 1))
    port="$(pick_port)"
  done
  fail "pg_ctl start failed: every port tried was in use"
}

# Starts the server on the port (a TCP port, or the socket file's number); fails if it exits.
launch() {
  : >"$log"
  give_to_owner "$log"
  # 9>&-: the server must not inherit (and so hold forever) our lock.
  as_owner "$bin/pg_ctl" -D "$data" -l "$log" -o "-p $1" -w -t 60 start >/dev/null 2>&1 9>&-
}

wait_ready() {
  local i
  for ((i = 0; i < 60; i++)); do
    if "$bin/pg_isready" -q "$@" -U postgres -d postgres -t 2; then
      print_env
      return
    fi
    sleep 0.5
  done
  fail "server ($*) is not ready after 30 s"
}

halt() {
  if is_running; then
    as_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null 2>&1 || fail "pg_ctl stop failed"
  fi
}

command="${1:-start}"
bin="$(find_bin)"
mkdir -p "$(dirname "$dir")"
# One caller at a time per server directory.
exec 9>"$dir.lock"
flock -w 120 9 || fail "timed out waiting for the lock $dir.lock"

case "$command" in
  start) start ;;
  halt) halt ;;
  stop)
    halt
    rm -rf "$dir" "$dir.lock"
    ;;
  *) fail "unknown command '$command' (start, halt or stop)" ;;
esac
