#!/usr/bin/env bash
# Installs what Tessera needs to build, run and test, from Debian 12 packages
# only. Idempotent: installs nothing when everything is present.
#   scripts/install-deps.sh          build + run
#   scripts/install-deps.sh --test   also what the tests and benchmarks use
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libsodium-dev libsqlite3-dev libpq-dev libcli11-dev libtomlplusplus-dev
  libspdlog-dev libfmt-dev openssl libc-ares-dev
)
if [[ "${1:-}" == "--test" ]]; then
  # chromium: the browser that tests/clients/browser.test.mjs drives through
  # playwright-core (/usr/bin/chromium); those tests fail without it.
  # dnsmasq-base: the DNS server (without its system service) that src/dns's tests run (/usr/sbin/dnsmasq).
  # postgresql: the server binaries (/usr/lib/postgresql/15/bin) that
  # scripts/pg-test-server.sh runs for every test on PostgreSQL, and `psql`
  # (postgresql-client, a dependency), with which tests/clients/server.mjs makes
  # a database per server; the tests start and stop their own server, the
  # package's system service is unused.
  packages+=(googletest libgtest-dev libgmock-dev nodejs npm curl chromium dnsmasq-base postgresql)
fi

missing=()
for p in "${packages[@]}"; do
  # nodejs/npm may come from another source than Debian: accept any install.
  case "$p" in
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "Installing: ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
