#!/usr/bin/env bash
# A private PostgreSQL engine for the tests that stop and start the engine itself (the shared one
# of scripts/postgres.sh keeps serving every other test):
#   postgres-private.sh init             -> prints a new directory holding a fresh cluster
#   postgres-private.sh start DIR PORT   -> serves it on 127.0.0.1:PORT (role voxca_test, trust)
#   postgres-private.sh stop DIR         -> fast shutdown (open transactions are cut)
#   postgres-private.sh destroy DIR      -> stops it and removes the directory
# Exits 3 when there is no PostgreSQL server binary. As root it runs the engine as `postgres`.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] && [ -x "$bin/initdb" ] || { echo "no PostgreSQL server binaries" >&2; exit 3; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$1" in
  init)
    dir=$(mktemp -d /tmp/voxca-pg.XXXXXX)
    chmod 0755 "$dir"
    [ "$(id -u)" -ne 0 ] || chown postgres "$dir"
    as_pg "$bin/initdb" -D "$dir/data" -U voxca_test -A trust --no-sync >/dev/null
    echo "$dir"
    ;;
  start)
    as_pg "$bin/pg_ctl" -D "$2/data" -l "$2/log" -w -t 30 \
      -o "-p $3 -k $2 -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$2/data" -m fast -w -t 30 stop >/dev/null
    ;;
  destroy)
    as_pg "$bin/pg_ctl" -D "$2/data" -m immediate -w stop >/dev/null 2>&1 || true
    case "$2" in /tmp/voxca-pg.*) rm -rf "$2" ;; esac
    ;;
  *) echo "usage: $0 init | start DIR PORT | stop DIR | destroy DIR" >&2; exit 2 ;;
esac
