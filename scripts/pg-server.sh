#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests and benchmarks: Debian's `postgresql`
# package, initdb and pg_ctl in a folder of its own, a Unix socket in that folder and
# no TCP port at all (so any port number is free), trust authentication for the role
# `slac`, and a database `slac`. As root, the server runs as the `postgres` user.
#
#   pg-server.sh start DIR   starts it (DIR must not exist) and prints its URI:
#                            postgresql:///slac?host=DIR&port=5432&user=slac
#   pg-server.sh stop DIR    stops it (fast shutdown) and removes DIR
#   pg-server.sh bindir      prints the folder of the server binaries, or fails
set -euo pipefail

port=5432

bindir() {
  local d
  if command -v pg_config >/dev/null && d="$(pg_config --bindir 2>/dev/null)" && [ -x "$d/initdb" ]; then
    echo "$d"
    return 0
  fi
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ]; then
      echo "$d"
      return 0
    fi
  done
  echo "pg-server.sh: no PostgreSQL server binaries (initdb); install Debian's postgresql package" >&2
  return 1
}

# Runs a server binary as the user that owns DIR's data.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "${1:-}" in
  bindir)
    bindir
    ;;
  start)
    dir="${2:?usage: pg-server.sh start DIR}"
    bin="$(bindir)"
    mkdir "$dir"
    dir="$(cd "$dir" && pwd)"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U slac --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
      "-c listen_addresses='' -c unix_socket_directories='$dir' -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    "$bin/createdb" -h "$dir" -p "$port" -U slac slac
    echo "postgresql:///slac?host=$dir&port=$port&user=slac"
    ;;
  stop)
    dir="${2:?usage: pg-server.sh stop DIR}"
    bin="$(bindir)"
    if [ -d "$dir/data" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: pg-server.sh start DIR | stop DIR | bindir" >&2
    exit 2
    ;;
esac
