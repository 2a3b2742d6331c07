#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for Tacit's store tests.
#
#   scripts/postgres-test-server.sh start          # start (or reuse) it; prints the TCP URL
#   scripts/postgres-test-server.sh start --owner-pid PID  # ... and stop it when process PID exits
#   scripts/postgres-test-server.sh url [--socket] # the URL of the running cluster (TCP or unix socket)
#   scripts/postgres-test-server.sh status         # exit 0 when running
#   scripts/postgres-test-server.sh stop           # stop it and delete its files
#   scripts/postgres-test-server.sh pause|resume   # an outage: stop the server, keep its files and port; start it again
#
# The cluster lives in $TACIT_PG_DIR (default /tmp/tacit-pg-<uid>-<checksum of this checkout>, so
# two checkouts get two clusters), listens on 127.0.0.1 at a free port and on a unix socket in
# that directory, trusts local connections (no password; it is for tests only) and has a
# database `tacit_test` owned by the `postgres` role. PostgreSQL's initdb and postgres refuse to
# run as root, so as root every server command runs as the `postgres` OS user (runuser), which
# owns the directory. When no PostgreSQL binaries are installed, `apt-get install postgresql`
# installs them (as root, or through sudo). Progress goes to stderr; only URLs go to stdout.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
key="$(printf '%s' "$root" | cksum | cut -d' ' -f1)"
dir="${TACIT_PG_DIR:-/tmp/tacit-pg-$(id -u)-$key}"
data="$dir/data"
sock="$dir/socket"
log="$dir/postgres.log"
database=tacit_test

say() { echo "postgres-test-server: $*" >&2; }

bin_dir() {
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -z "$found" ] || [ ! -x "$found/initdb" ]; then
    say "no PostgreSQL server binaries in /usr/lib/postgresql; installing the postgresql package"
    local sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql >&2
    found="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  fi
  echo "$found"
}

# Runs a server command as the cluster's owner (postgres when we are root).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

running() {
  [ -f "$data/postmaster.pid" ] && [ -f "$dir/port" ] || return 1
  as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

port() { cat "$dir/port"; }
tcp_url() { echo "postgres://postgres@127.0.0.1:$(port)/$database"; }
socket_url() { echo "postgres:///$database?host=$sock&port=$(port)&user=postgres"; }

# A TCP port nobody listens on (bash's /dev/tcp connect fails on a free port).
free_port() {
  local candidate
  for _ in $(seq 1 50); do
    candidate=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  say "no free port found"
  return 1
}

start() {
  if running; then
    say "reusing the cluster in $dir (port $(port))"
    tcp_url
    return 0
  fi
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    say "initdb in $data"
    as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  as_owner mkdir -p "$sock"
  local attempt
  for attempt in 1 2 3; do
    free_port > "$dir/port"
    if as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
        -o "-p $(port) -k $sock -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null; then
      break
    fi
    say "start on port $(port) failed (attempt $attempt):"
    tail -n 5 "$log" >&2 || true
    [ "$attempt" -eq 3 ] && exit 1
  done
  if ! as_owner "$bin/psql" -h "$sock" -p "$(port)" -U postgres -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
    as_owner "$bin/createdb" -h "$sock" -p "$(port)" -U postgres "$database"
  fi
  say "running in $dir (port $(port), socket $sock)"
  if [ -n "$owner" ]; then
    # A detached watcher (no inherited stdout, so callers reading our output are not kept waiting).
    nohup setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; exec "$2" stop' \
      watcher "$owner" "$root/scripts/postgres-test-server.sh" </dev/null >/dev/null 2>&1 &
    say "will stop when process $owner exits"
  fi
  tcp_url
}

# An outage: the server stops (fast shutdown) but keeps its data, port and socket for resume.
pause() {
  running || { say "not running"; exit 1; }
  as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
  say "paused (port $(port) refuses connections until resume)"
}

resume() {
  [ -f "$dir/port" ] || { say "no cluster in $dir"; exit 1; }
  running && return 0
  as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
    -o "-p $(port) -k $sock -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
  say "resumed on port $(port)"
}

stop() {
  if [ -f "$data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  say "stopped; removed $dir"
}

bin="$(bin_dir)"
owner=""
if [ "${2:-}" = "--owner-pid" ]; then owner="${3:?--owner-pid needs a process id}"; fi
case "${1:-}" in
  start) start ;;
  stop) stop ;;
  pause) pause ;;
  resume) resume ;;
  status) running ;;
  url)
    running || { say "not running (start it first)"; exit 1; }
    if [ "${2:-}" = "--socket" ]; then socket_url; else tcp_url; fi
    ;;
  *)
    echo "usage: $0 start|stop|pause|resume|status|url [--socket]" >&2
    exit 2
    ;;
esac
