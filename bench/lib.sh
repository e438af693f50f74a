# Helpers shared by bench/run.sh and bench/run-postgres.sh (sourced, not run).
# The caller sets: work (a scratch directory), threads, connections, duration.

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
