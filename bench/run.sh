#!/usr/bin/env bash
# Reproducible HTTP benchmark: starts a built tessera on a fresh SQLite
# database and, in the same run, nginx serving a static "200 ok" as the
# machine's HTTP ceiling; measures each with wrk (keep-alive) and writes
# bench/results/<UTC timestamp>.md.
#   bench/run.sh path/to/tessera [duration-seconds] [connections] [rounds]
# The machine is shared and noisy, so the three measurements are interleaved
# over several rounds and each is reported as its median round.
set -euo pipefail
tessera="$(realpath "${1:?usage: bench/run.sh path/to/tessera [seconds] [connections]}")"
duration="${2:-10}"
connections="${3:-64}"
rounds="${4:-3}"
oauth_connections=32
threads=2
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
results="$here/results"
mkdir -p "$results"

# shellcheck source=bench/lib.sh
source "$here/lib.sh"
bench_install wrk nginx

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# --- nginx ceiling -----------------------------------------------------------
nginx_port=$(free_port)
mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes $(nproc);
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx;
  proxy_temp_path $work/nginx;
  fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx;
  scgi_temp_path $work/nginx;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port;
    location / { default_type text/plain; return 200 "ok"; }
  }
}
CONF
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)

# --- tessera -------------------------------------------------------------------
db="sqlite://$work/tessera.db"
port=$(free_port)
"$tessera" serve --database "$db" --listen "127.0.0.1:$port" \
  --rate-limit-capacity 1000000000 --rate-limit-per-minute 1000000000 >/dev/null 2>"$work/tessera.err" &
pids+=($!)
# The same database behind a second server without the access log, to show
# what the log costs.
quiet_port=$(free_port)
"$tessera" serve --database "$db" --listen "127.0.0.1:$quiet_port" --access-log false \
  --rate-limit-capacity 1000000000 --rate-limit-per-minute 1000000000 >/dev/null 2>>"$work/tessera.err" &
pids+=($!)
wait_ready "http://127.0.0.1:$port"
wait_ready "http://127.0.0.1:$quiet_port"
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$nginx_port/" >/dev/null && break; sleep 0.1; done

bench_prepare sqlite "$db" "$port"
token=$api_token
client_id=$(curl -sf -X POST "http://127.0.0.1:$port/oauth/clients" \
  -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"name":"bench","redirect_uri":"https://example.com/cb"}' | sed -E 's/.*"id":"([^"]+)".*/\1/')
wrk_script "$work/post.lua" POST "Bearer $token" \
  '{"name":"bench client","redirect_uri":"https://example.com/cb"}' application/json

: > "$work/nginx_static.all"; : > "$work/get_client.all"; : > "$work/post_client.all"
: > "$work/get_client_nolog.all"; : > "$work/client_credentials.all"; : > "$work/introspect.all"
for round in $(seq "$rounds"); do
  run nginx_static "http://127.0.0.1:$nginx_port/" >> "$work/nginx_static.all"
  run get_client "http://127.0.0.1:$port/oauth/clients/$client_id" \
    -H "Authorization: Bearer $token" -H "Accept: application/vnd.heroku+json; version=3" \
    >> "$work/get_client.all"
  run post_client "http://127.0.0.1:$port/oauth/clients" -s "$work/post.lua" >> "$work/post_client.all"
  run get_client_nolog "http://127.0.0.1:$quiet_port/oauth/clients/$client_id" \
    -H "Authorization: Bearer $token" -H "Accept: application/vnd.heroku+json; version=3" \
    >> "$work/get_client_nolog.all"
  # The OAuth core issue measures these two with 32 connections.
  run client_credentials "http://127.0.0.1:$port/oauth/token" -s "$work/sqlite-client_credentials.lua" \
    -c"$oauth_connections" >> "$work/client_credentials.all"
  run introspect "http://127.0.0.1:$port/oauth/introspect" -s "$work/sqlite-introspect.lua" \
    -c"$oauth_connections" >> "$work/introspect.all"
done
nginx_line="nginx_static $(median < "$work/nginx_static.all")"
get_line="get_client $(median < "$work/get_client.all")"
post_line="post_client $(median < "$work/post_client.all")"
nolog_line="get_client_nolog $(median < "$work/get_client_nolog.all")"
token_line="client_credentials $(median < "$work/client_credentials.all")"
introspect_line="introspect $(median < "$work/introspect.all")"

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$results/$stamp.md"
{
  echo "# Benchmark $stamp"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; wrk -t$threads -c$connections -d${duration}s (-c$oauth_connections for the token and introspection endpoints), keep-alive, loopback;"
  echo "median of $rounds interleaved rounds (all rounds below the table)."
  echo "Tessera: $(git -C "$here/.." rev-parse --short HEAD 2>/dev/null || echo unknown), SQLite file, access log on (to /dev/null)."
  echo
  echo "| endpoint | requests/s | p99 | non-2xx | ratio to ceiling |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  ceiling=$(echo "$nginx_line" | awk '{print $2}')
  for line in "$nginx_line" "$get_line" "$post_line" "$nolog_line" "$token_line" "$introspect_line"; do
    set -- $line
    ratio=$(awk -v a="$2" -v b="$ceiling" 'BEGIN { printf "%.0f%%", 100 * a / b }')
    case $1 in
      nginx_static) label='nginx static `200 ok` (ceiling)' ;;
      get_client) label='`GET /oauth/clients/{id}`' ;;
      post_client) label='`POST /oauth/clients`' ;;
      get_client_nolog) label='`GET /oauth/clients/{id}`, access log off' ;;
      client_credentials) label='`POST /oauth/token` (client_credentials)' ;;
      introspect) label='`POST /oauth/introspect` (live token)' ;;
    esac
    echo "| $label | $2 | $3 | $4 | $ratio |"
  done
  echo
  for name in nginx_static get_client post_client get_client_nolog client_credentials introspect; do
    echo "- $name rounds (requests/s p99 non-2xx): $(paste -sd';' "$work/$name.all")"
  done
} > "$out"
cat "$out"
echo "server RSS after the runs: $(ps -o rss= -p "${pids[1]}" | awk '{printf "%.1f MiB", $1/1024}'), peak $(awk '/VmHWM/ {printf "%.1f MiB", $2/1024}' "/proc/${pids[1]}/status")" | tee -a "$out"
echo "written to $out"
