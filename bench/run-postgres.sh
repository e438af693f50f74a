#!/usr/bin/env bash
# The PostgreSQL backend beside SQLite: client_credentials issuance, token
# introspection and the Heroku authorization list, measured with wrk on
#   - one node on a durable SQLite file,
#   - one node on PostgreSQL,
#   - three nodes on the same PostgreSQL, each loaded by its own wrk with a
#     third of the connections (what a round-robin balancer hands each node;
#     no proxy in the path), their requests/s summed.
# PostgreSQL is a throwaway server (scripts/pg-test-server.sh: loopback,
# fsync and synchronous_commit off, as in the tests). Writes
# bench/results/<UTC timestamp>-postgres.md.
#   bench/run-postgres.sh path/to/tessera [duration-seconds] [rounds]
# Each figure is the median of `rounds` rounds, the configurations
# interleaved within a round, since the machine is shared and noisy.
set -euo pipefail
tessera="$(realpath "${1:?usage: bench/run-postgres.sh path/to/tessera [seconds] [rounds]}")"
duration="${2:-10}"
rounds="${3:-3}"
connections=32
threads=2
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="$(mktemp -d)"
pg_dir="$(mktemp -d /tmp/tessera-bench-pg-XXXXXX)"  # the server's owner must reach it
results="$here/results"
mkdir -p "$results"
# shellcheck source=bench/lib.sh
source "$here/lib.sh"
bench_install wrk

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  "$root/scripts/pg-test-server.sh" stop "$pg_dir" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

"$root/scripts/pg-test-server.sh" start "$pg_dir" >/dev/null
pg_url="$(cat "$pg_dir/url")"

serve() {  # database -> prints the port of a new node on it
  local port
  port=$(free_port)
  "$tessera" serve --database "$1" --listen "127.0.0.1:$port" --access-log false \
    --rate-limit-capacity 1000000000 --rate-limit-per-minute 1000000000 \
    >/dev/null 2>>"$work/tessera.err" &
  pids+=($!)
  wait_ready "http://127.0.0.1:$port" >&2
  echo "$port"
}

declare -A paths=([client_credentials]=/oauth/token [introspect]=/oauth/introspect
                  [authorizations]=/oauth/authorizations)

sqlite_port=$(serve "sqlite://$work/tessera.db")
bench_prepare sqlite "sqlite://$work/tessera.db" "$sqlite_port"
pg_ports=()
for _ in 1 2 3; do pg_ports+=("$(serve "$pg_url")"); done
bench_prepare postgres "$pg_url" "${pg_ports[0]}"

# measure_one NAME ENDPOINT PORT: one node, every connection.
measure_one() {
  run "$1-$2" "http://127.0.0.1:$3${paths[$2]}" -s "$work/$1-$2.lua"
}

# measure_three ENDPOINT: one wrk per node at once, a third of the
# connections each; requests/s summed, the worst p99, non-2xx summed.
measure_three() {
  local endpoint=$1 i share pids_wrk=()
  for i in 0 1 2; do
    share=$(((connections + 2 - i) / 3))
    wrk -t1 -c"$share" -d"${duration}s" --latency -s "$work/postgres-$endpoint.lua" \
      "http://127.0.0.1:${pg_ports[$i]}${paths[$endpoint]}" > "$work/three-$endpoint-$i.txt" &
    pids_wrk+=($!)
  done
  wait "${pids_wrk[@]}"
  cat "$work"/three-"$endpoint"-*.txt | awk '
    /^Requests\/sec/ { rps += $2 }
    $1 == "99%" { v = $2; ms = v + 0; if (v ~ /us$/) ms /= 1000; else if (v ~ /[0-9]s$/ && v !~ /ms$/) ms *= 1000
                  if (ms > worst) { worst = ms; p99 = v } }
    /Non-2xx/ { bad += $5 }
    END { printf "%.2f %s %d\n", rps, p99, bad }'
}

for endpoint in client_credentials introspect authorizations; do
  for config in sqlite postgres1 postgres3; do : > "$work/$config-$endpoint.all"; done
done
for round in $(seq "$rounds"); do
  for endpoint in client_credentials introspect authorizations; do
    measure_one sqlite "$endpoint" "$sqlite_port" >> "$work/sqlite-$endpoint.all"
    measure_one postgres "$endpoint" "${pg_ports[0]}" >> "$work/postgres1-$endpoint.all"
    measure_three "$endpoint" >> "$work/postgres3-$endpoint.all"
  done
  echo "round $round done" >&2
done

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$results/$stamp-postgres.md"
{
  echo "# Benchmark $stamp: PostgreSQL beside SQLite"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, shared by wrk, every node and PostgreSQL $(psql --version | awk '{print $3}');"
  echo "$connections connections in all, keep-alive, loopback, ${duration}s per run, median of $rounds interleaved rounds (all rounds below)."
  echo "Tessera: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown), access log off."
  echo "SQLite: a durable file (WAL, synchronous=NORMAL). PostgreSQL: the test server (fsync and synchronous_commit off)."
  echo "Three nodes: one wrk per node with a third of the connections, requests/s summed, the worst p99."
  echo
  echo "| endpoint | SQLite, 1 node | PostgreSQL, 1 node | PostgreSQL, 3 nodes |"
  echo "| --- | ---: | ---: | ---: |"
  for endpoint in client_credentials introspect authorizations; do
    case $endpoint in
      client_credentials) label='`POST /oauth/token` (client_credentials)' ;;
      introspect) label='`POST /oauth/introspect` (live token)' ;;
      authorizations) label='`GET /oauth/authorizations`' ;;
    esac
    row="| $label"
    for config in sqlite postgres1 postgres3; do
      set -- $(median < "$work/$config-$endpoint.all")
      row="$row | $1 req/s, p99 $2"
      if [[ "$3" != 0 ]]; then row="$row, $3 non-2xx"; fi
    done
    echo "$row |"
  done
  echo
  for endpoint in client_credentials introspect authorizations; do
    for config in sqlite postgres1 postgres3; do
      echo "- $config $endpoint rounds (requests/s p99 non-2xx): $(paste -sd';' "$work/$config-$endpoint.all")"
    done
  done
} > "$out"
cat "$out"
echo "written to $out"
