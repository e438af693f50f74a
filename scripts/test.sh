#!/usr/bin/env bash
# Runs every test against a built tree: ctest (unit, store, HTTP) and the real
# client libraries from npm (tests/clients).
set -euo pipefail
build="${1:-build}"
root="$(cd "$(dirname "$0")/.." && pwd)"

ctest --test-dir "$build" --output-on-failure -j "$(nproc)"

export TESSERA_BIN="$root/$build/src/app/tessera"
cd "$root/tests/clients"
if [[ ! -d node_modules ]] || ! cmp -s package.json node_modules/.package.json.installed; then
  npm install --no-audit --no-fund --loglevel=error
  cp package.json node_modules/.package.json.installed
fi
node --test ./*.test.mjs
