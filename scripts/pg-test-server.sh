#!/usr/bin/env bash
# A throwaway PostgreSQL server for the store conformance tests, started from
# Debian's binaries (package postgresql) and never as a system service.
#
#   scripts/pg-test-server.sh start DIR [PORT]   initdb into DIR/data, serve on
#                                                127.0.0.1:PORT (a free port when
#                                                omitted or 0), write the URL to
#                                                DIR/url and print it; TLS is
#                                                offered with the certificate
#                                                in DIR/ca.crt (DIR/other-ca.crt
#                                                is one it does not hold)
#   scripts/pg-test-server.sh stop DIR           stop it and delete DIR
#   scripts/pg-test-server.sh halt DIR           stop it (fast shutdown: every
#                                                session is cut), keeping DIR
#   scripts/pg-test-server.sh resume DIR         start a halted server again on
#                                                its port (a database outage
#                                                for the multi-node test)
#
# DIR must be a private directory of its own (under /tmp): start wipes it, stop
# deletes it. The server trusts every local connection (loopback only) and runs
# with fsync and synchronous_commit off: for tests only, never for data.
#
# initdb and postgres refuse to run as root; as root they run as the `postgres`
# account that the Debian package creates (TESSERA_PG_TEST_USER to choose
# another), through runuser, so CI needs no prompt and no sudo rules.
set -euo pipefail

usage() {
  echo "usage: $0 start DIR [PORT] | stop DIR | halt DIR | resume DIR" >&2
  exit 2
}

(($# >= 2)) || usage
command="$1"
dir="$2"
port="${3:-0}"
[[ "$dir" == /* ]] || dir="$(pwd)/$dir"

# Debian 12's PostgreSQL 15, else the newest installed major version;
# TESSERA_PG_BINDIR chooses other binaries (and nothing else is tried then).
bindir="${TESSERA_PG_BINDIR:-/usr/lib/postgresql/15/bin}"
if [[ -z "${TESSERA_PG_BINDIR:-}" && ! -x "$bindir/initdb" ]]; then
  newest="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [[ -n "$newest" ]] && bindir="$newest"
fi

# Runs a PostgreSQL binary as the server's owner.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u "$owner" -- "$@"
  else
    "$@"
  fi
}

owner="$(id -un)"
if [[ $(id -u) -eq 0 ]]; then
  owner="${TESSERA_PG_TEST_USER:-postgres}"
fi

stop_server() {
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
}

port_is_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

case "$command" in
  start)
    if [[ ! -x "$bindir/initdb" ]]; then
      echo "pg-test-server: PostgreSQL is not installed (no $bindir/initdb)." >&2
      echo "pg-test-server: install it with 'make test-deps' (Debian package postgresql)." >&2
      exit 1
    fi
    if ! id "$owner" >/dev/null 2>&1; then
      echo "pg-test-server: running as root, but user '$owner' does not exist to run PostgreSQL." >&2
      echo "pg-test-server: install the postgresql package or set TESSERA_PG_TEST_USER." >&2
      exit 1
    fi
    started=$(date +%s%N)
    stop_server  # a server left behind by an interrupted run
    rm -rf "$dir"
    mkdir -p -m 700 "$dir"
    [[ $(id -u) -eq 0 ]] && chown "$owner" "$dir"

    as_owner "$bindir/initdb" -D "$dir/data" -U tessera --auth=trust --encoding=UTF8 \
      --locale=C --no-sync --no-instructions >"$dir/initdb.log" 2>&1 || {
      cat "$dir/initdb.log" >&2
      exit 1
    }
    # TLS is on for the clients that ask (the URL says sslmode=disable, so
    # the other tests skip the handshake): a self-signed certificate for
    # 127.0.0.1, also in DIR/ca.crt for verify-full.
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 7 \
      -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
      -keyout "$dir/server.key" -out "$dir/ca.crt" >/dev/null 2>&1 || {
      echo "pg-test-server: openssl could not make a certificate" >&2
      exit 1
    }
    as_owner tee "$dir/data/server.crt" <"$dir/ca.crt" >/dev/null
    as_owner tee "$dir/data/server.key" <"$dir/server.key" >/dev/null
    as_owner chmod 600 "$dir/data/server.key"
    rm -f "$dir/server.key"
    # A certificate of another authority, which verify-full must refuse.
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 7 \
      -subj "/CN=127.0.0.1" -keyout /dev/null -out "$dir/other-ca.crt" >/dev/null 2>&1
    chmod 644 "$dir/ca.crt" "$dir/other-ca.crt"
    # Loopback only; the socket stays in DIR; durability off (tests only).
    as_owner tee -a "$dir/data/postgresql.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
shared_buffers = 32MB
log_min_messages = warning
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
EOF
    for attempt in 1 2 3 4 5; do
      candidate="$port"
      if [[ "$candidate" == 0 ]]; then
        # Below the kernel's ephemeral range (32768 up), where no outgoing
        # connection is handed the port, so `resume` finds it free again.
        candidate=$((20000 + RANDOM % 12000))
        port_is_free "$candidate" || continue
      fi
      if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $candidate" start >/dev/null; then
        url="postgres://tessera@127.0.0.1:$candidate/postgres?sslmode=disable"
        echo "$url" >"$dir/url"
        elapsed=$((($(date +%s%N) - started) / 1000000))
        echo "TESSERA_TEST_POSTGRES=$url (started in ${elapsed} ms, data in $dir)"
        exit 0
      fi
      # Taken between the check and the bind, or a fixed port in use.
      [[ "$port" == 0 ]] || break
      echo "pg-test-server: attempt $attempt on port $candidate failed, trying another" >&2
    done
    echo "pg-test-server: the server did not start; its log:" >&2
    cat "$dir/server.log" >&2 || true
    exit 1
    ;;
  halt)
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  resume)
    resume_port="$(sed -E 's|.*:([0-9]+)/.*|\1|' "$dir/url")"
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $resume_port" start >/dev/null
    ;;
  stop)
    [[ -d "$dir" ]] || exit 0
    if [[ -f "$dir/data/postmaster.pid" ]]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    fi
    rm -rf "$dir"
    ;;
  *)
    usage
    ;;
esac
