# Helpers shared by bench/run.sh and bench/run-postgres.sh (sourced, not run).
# The caller sets: work (a scratch directory), threads, connections, duration,
# tessera (the binary).

# wrk (and nginx, for run.sh's ceiling) from Debian when missing.
bench_install() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 && continue
    echo "installing wrk and nginx-light"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null
    break
  done
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_ready URL: polls a server's /health/ready for up to 5 s.
wait_ready() {
  local _
  for _ in $(seq 50); do curl -sf "$1/health/ready" >/dev/null && return 0; sleep 0.1; done
  echo "bench: $1 did not become ready" >&2
  return 1
}

# run NAME URL [wrk args...]: one wrk run; prints "requests/s p99 non-2xx"
# and keeps wrk's report in $work/NAME.txt.
run() {
  local name=$1 url=$2; shift 2
  wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$@" "$url" > "$work/$name.txt"
  local rps p99 non2xx
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/$name.txt")
  p99=$(awk '$1=="99%" {print $2}' "$work/$name.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$work/$name.txt")
  echo "$rps $p99 ${non2xx:-0}"
}

# median: lines "rps p99 non2xx" in, the line with the median rps out.
median() {
  sort -n | awk '{ line[NR] = $0 } END { print line[int((NR + 1) / 2)] }'
}

# wrk_script FILE METHOD AUTHORIZATION [BODY [CONTENT_TYPE]]: a wrk Lua
# script sending one request. A body is a form unless CONTENT_TYPE says
# otherwise; requests that send no form are Heroku API calls and carry its
# Accept header.
wrk_script() {
  local file=$1 method=$2 authorization=$3 body=${4:-} type=${5:-}
  {
    echo "wrk.method = \"$method\""
    echo "wrk.headers[\"Authorization\"] = \"$authorization\""
    if [[ -n "$body" ]]; then
      echo "wrk.body = '$body'"
      echo "wrk.headers[\"Content-Type\"] = \"${type:-application/x-www-form-urlencoded}\""
    fi
    if [[ -z "$body" || -n "$type" ]]; then
      echo 'wrk.headers["Accept"] = "application/vnd.heroku+json; version=3"'
    fi
  } > "$file"
}

# bench_prepare NAME DATABASE PORT: on a server at PORT over DATABASE, a user
# with an API token (left in $api_token), a machine client and a live token
# of it, and wrk scripts for them: $work/NAME-client_credentials.lua,
# NAME-introspect.lua and NAME-authorizations.lua.
bench_prepare() {
  local name=$1 db=$2 port=$3 machine id secret basic live
  "$tessera" admin users create --database "$db" --email bench@example.com \
    --password 'bench password' >/dev/null
  api_token=$("$tessera" admin authorizations create --database "$db" --email bench@example.com \
    | sed -E 's/.*"token":"([^"]+)".*/\1/')
  machine=$("$tessera" admin clients create --database "$db" --email bench@example.com \
    --name machine --grant-type client_credentials --scope read)
  id=$(printf '%s' "$machine" | sed -E 's/.*"id":"([^"]+)".*/\1/')
  secret=$(printf '%s' "$machine" | sed -E 's/.*"secret":"([^"]+)".*/\1/')
  basic="Basic $(printf '%s:%s' "$id" "$secret" | base64 -w0)"
  live=$(curl -sf -X POST "http://127.0.0.1:$port/oauth/token" -H "Authorization: $basic" \
    -d grant_type=client_credentials | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
  wrk_script "$work/$name-client_credentials.lua" POST "$basic" \
    "grant_type=client_credentials&scope=read"
  wrk_script "$work/$name-introspect.lua" POST "$basic" "token=$live"
  wrk_script "$work/$name-authorizations.lua" GET "Bearer $api_token"
}
