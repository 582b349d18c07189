#!/usr/bin/env bash
# Starts the PostgreSQL the tests use and prints, as shell exports, where it is:
#   VOXCA_TEST_PG_URL=jdbc:postgresql://127.0.0.1:<port>/  VOXCA_TEST_PG_USER  VOXCA_TEST_PG_PASSWORD
# (a role that may create databases: each test class creates its own). Uses Debian's packaged
# cluster (`pg_ctlcluster <version> main start`, as root, as CI runs); prints nothing when there is
# no PostgreSQL, or when not root and the cluster is down (tests that need it then skip, outside CI).
set -euo pipefail
command -v pg_lsclusters >/dev/null || exit 0
read -r ver cluster port status _ < <(pg_lsclusters -h | head -1) || exit 0
[ -n "${ver:-}" ] || exit 0
if [ "$status" != online ]; then
  [ "$(id -u)" -eq 0 ] || exit 0
  pg_ctlcluster --skip-systemctl-redirect "$ver" "$cluster" start >&2
fi
psql_su() { runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(id -u)" -eq 0 ]; then
  if [ "$(psql_su -c "SELECT 1 FROM pg_roles WHERE rolname = 'voxca_test'")" != 1 ]; then
    psql_su -c "CREATE ROLE voxca_test LOGIN CREATEDB PASSWORD 'voxca_test'" >&2
  fi
  # DROP DATABASE ... WITH (FORCE) must also end an autovacuum worker busy on a test database
  psql_su -c "GRANT pg_signal_backend TO voxca_test" >/dev/null 2>&1 || true
fi
echo "export VOXCA_TEST_PG_URL=jdbc:postgresql://127.0.0.1:$port/"
echo "export VOXCA_TEST_PG_USER=voxca_test"
echo "export VOXCA_TEST_PG_PASSWORD=voxca_test"
