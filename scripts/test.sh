#!/usr/bin/env bash
# Runs every test against a built tree: ctest (unit, store, HTTP) and the real
# client libraries from npm (tests/clients), each on SQLite and on PostgreSQL,
# then, with PostgreSQL, three nodes on one database (tests/multinode).
#
#   TESSERA_TEST_BACKENDS="sqlite postgres"   the default: both
#   TESSERA_TEST_BACKENDS=sqlite              only what needs no PostgreSQL
#                                             (ctest -LE postgres; clients on SQLite)
#   TESSERA_TEST_BACKENDS=postgres            only what needs PostgreSQL
#                                             (ctest -L postgres; clients on PostgreSQL)
#
# ctest starts and stops its own throwaway PostgreSQL (the `postgres` fixture).
# The client suite on PostgreSQL runs against one started here with
# scripts/pg-test-server.sh and stopped on exit, unless TESSERA_TEST_POSTGRES
# names a server of your own.
set -euo pipefail
build="${1:-build}"
root="$(cd "$(dirname "$0")/.." && pwd)"
backends="${TESSERA_TEST_BACKENDS:-sqlite postgres}"

on_sqlite=false
on_postgres=false
for backend in $backends; do
  case "$backend" in
    sqlite) on_sqlite=true ;;
    postgres) on_postgres=true ;;
    *)
      echo "test.sh: TESSERA_TEST_BACKENDS: unknown backend '$backend' (sqlite, postgres)" >&2
      exit 2
      ;;
  esac
done

if ! $on_sqlite && ! $on_postgres; then
  echo "test.sh: TESSERA_TEST_BACKENDS names no backend" >&2
  exit 2
fi

seconds() { date +%s; }

ctest_filter=()
$on_sqlite || ctest_filter=(-L postgres)
$on_postgres || ctest_filter=(-LE postgres)
started=$(seconds)
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" "${ctest_filter[@]}"
echo "test.sh: ctest took $(($(seconds) - started)) s"

export TESSERA_BIN="$root/$build/src/app/tessera"
cd "$root/tests/clients"
if [[ ! -d node_modules ]] || ! cmp -s package.json node_modules/.package.json.installed; then
  npm install --no-audit --no-fund --loglevel=error
  cp package.json node_modules/.package.json.installed
fi

if $on_sqlite; then
  started=$(seconds)
  TESSERA_TEST_DATABASE=sqlite node --test ./*.test.mjs
  echo "test.sh: the client suite on SQLite took $(($(seconds) - started)) s"
fi

if $on_postgres; then
  started=$(seconds)
  if [[ -z "${TESSERA_TEST_POSTGRES:-}" ]]; then
    pg_dir="$(mktemp -d /tmp/tessera-pg-clients-XXXXXX)"
    trap '"$root/scripts/pg-test-server.sh" stop "$pg_dir"' EXIT
    "$root/scripts/pg-test-server.sh" start "$pg_dir" >/dev/null
    TESSERA_TEST_POSTGRES="$(cat "$pg_dir/url")"
  fi
  TESSERA_TEST_DATABASE=postgres TESSERA_TEST_POSTGRES="$TESSERA_TEST_POSTGRES" \
    node --test ./*.test.mjs
  echo "test.sh: the client suite on PostgreSQL took $(($(seconds) - started)) s"
  # Three nodes on a PostgreSQL of the test's own, which it stops and restarts.
  started=$(seconds)
  node --test "$root/tests/multinode/multinode.test.mjs"
  echo "test.sh: the multi-node test took $(($(seconds) - started)) s"
fi
