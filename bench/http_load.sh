#!/usr/bin/env bash
# HTTP load on loopback: est beside nginx serving the same bytes as a static file (the ceiling of
# HTTP on this machine). A benchmark, not a test: prints a Markdown table for docs/performance.md.
#
# Usage: bench/http_load.sh [--duration SECONDS] [--soak SECONDS] [--est PATH]
# Needs wrk and nginx-light (apt); installs them when missing (root).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=10
SOAK=0
EST=build/est
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --soak) SOAK="$2"; shift 2 ;;
    --est) EST="$2"; shift 2 ;;
    *) echo "okänt argument: $1" >&2; exit 2 ;;
  esac
done
for p in wrk nginx-light; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$p" >/dev/null
done
ulimit -n 65536 || true

WORK=$(mktemp -d /tmp/est-http-load-XXXXXX)
cleanup() {
  [ -n "${EST_PID:-}" ] && kill "$EST_PID" 2>/dev/null || true
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  [ -n "${SLOW_PID:-}" ] && kill "$SLOW_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

EST_PORT=18090
NGINX_PORT=18091
"$EST" --db "$WORK/demo.db" demo >/dev/null
EST_FAST_PASSWORD_HASH=1 "$EST" --db "$WORK/demo.db" serve --port $EST_PORT --insecure-cookies \
  --max-connections 20000 --memory-log 30 >"$WORK/est.log" 2>&1 &
EST_PID=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$EST_PORT/api/v1/health" >/dev/null && break; sleep 0.1; done

LOGIN=$(curl -s -i -H 'Content-Type: application/json' \
  -d '{"login":"samordnare","password":"demo-losen-2026"}' "http://127.0.0.1:$EST_PORT/api/v1/auth/login")
COOKIE=$(echo "$LOGIN" | grep -i '^set-cookie:' | sed 's/^[^:]*: *//; s/;.*//' | tr -d '\r')
WEEK="/api/v1/lagesbild"  # the default: the last complete week
mkdir -p "$WORK/www/api/v1"
curl -s -H "Cookie: $COOKIE" "http://127.0.0.1:$EST_PORT$WEEK" >"$WORK/www/api/v1/lagesbild"
echo '{"status":"ok"}' | tr -d '\n' >"$WORK/www/api/v1/health"
WEEK_BYTES=$(stat -c %s "$WORK/www/api/v1/lagesbild")

cat >"$WORK/nginx.conf" <<EOF
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 20000; }
http {
  access_log off;
  default_type application/json;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
  }
}
EOF
nginx -c "$WORK/nginx.conf" -p "$WORK"
sleep 0.3

# "rate p50 p99 timeouts" of one wrk run.
run_wrk() {
  local conns=$1 url=$2
  shift 2
  local threads=2
  local out
  out=$(wrk -t$threads -c"$conns" -d"${DURATION}s" --timeout 5s --latency "$@" "$url" 2>&1)
  local rate p50 p99 timeouts
  rate=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  timeouts=$(echo "$out" | awk '/Socket errors/ {for (i=1;i<=NF;i++) if ($i=="timeout") print $(i-1)}')
  echo "$rate ${p50:-?} ${p99:-?} ${timeouts:-0}"
}

echo "# machine: $(nproc) cores, $(date -u +%F), week JSON $WEEK_BYTES bytes"
echo
echo "| request | connections | nginx req/s | nginx p99 | est req/s | est p99 | est timeouts | est / nginx |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for conns in 64 256 1024; do
  read -r nr n50 n99 nt <<<"$(run_wrk "$conns" "http://127.0.0.1:$NGINX_PORT$WEEK")"
  read -r er e50 e99 et <<<"$(run_wrk "$conns" "http://127.0.0.1:$EST_PORT$WEEK" -H "Cookie: $COOKIE")"
  echo "| week lägesbild (same caller: reply cache) | $conns | $nr | $n99 | $er | $e99 | $et | $(awk "BEGIN{printf \"%.0f %%\", 100*$er/$nr}") |"
done
# Every request a different target: the cache never hits, each is computed.
cat >"$WORK/vary.lua" <<'EOF'
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/v1/lagesbild?nocache=" .. n)
end
EOF
read -r er e50 e99 et <<<"$(run_wrk 64 "http://127.0.0.1:$EST_PORT$WEEK" -H "Cookie: $COOKIE" -s "$WORK/vary.lua")"
echo "| week lägesbild, computed each time | 64 | – | – | $er | $e99 | $et | – |"
read -r er e50 e99 et <<<"$(run_wrk 256 "http://127.0.0.1:$EST_PORT$WEEK" -H "Cookie: $COOKIE" -H "Accept-Encoding: gzip")"
echo "| week lägesbild, gzip | 256 | – | – | $er | $e99 | $et | – |"
for conns in 64 256; do
  read -r nr n50 n99 nt <<<"$(run_wrk "$conns" "http://127.0.0.1:$NGINX_PORT/api/v1/health")"
  read -r er e50 e99 et <<<"$(run_wrk "$conns" "http://127.0.0.1:$EST_PORT/api/v1/health")"
  echo "| /api/v1/health | $conns | $nr | $n99 | $er | $e99 | $et | $(awk "BEGIN{printf \"%.0f %%\", 100*$er/$nr}") |"
done

# 1 000 slow clients trickling header lines; a normal request beside them.
python3 - "$EST_PORT" >"$WORK/slow.log" 2>&1 <<'EOF' &
import socket, sys, time
port = int(sys.argv[1])
conns = []
for i in range(1000):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /api/v1/health HTTP/1.1\r\n")
    conns.append(s)
while True:
    time.sleep(1)
    for s in conns:
        try:
            s.sendall(b"X-Slow: 1\r\n")
        except OSError:
            pass
EOF
SLOW_PID=$!
sleep 3
times=()
for _ in $(seq 20); do
  times+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $COOKIE" "http://127.0.0.1:$EST_PORT$WEEK?slow=$RANDOM")")
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
echo
echo "1 000 slow clients (a header line per second each) open: the week's lägesbild computed fresh,"
echo "20 requests: median $(echo "$sorted" | sed -n 10p | awk '{printf "%.1f ms", $1*1000}'), max $(echo "$sorted" | tail -1 | awk '{printf "%.1f ms", $1*1000}');"
echo "est connections open: $(ls /proc/$EST_PID/fd | wc -l) descriptors, RSS $(awk '/VmRSS/ {print $2, $3}' /proc/$EST_PID/status)."
kill "$SLOW_PID" 2>/dev/null || true
SLOW_PID=""

if [ "$SOAK" -gt 0 ]; then
  CSRF=$(echo "$LOGIN" | tail -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
  cat >"$WORK/mixed.lua" <<EOF
local n = 0
request = function()
  n = n + 1
  local k = n % 20
  if k == 0 then
    local body = '{"category":"klotter","occurred_from":"2026-10-01T10:00","location":{"lon":17.95,"lat":59.43}}'
    return wrk.format("POST", "/api/v1/reports", {["Content-Type"] = "application/json", ["X-CSRF-Token"] = "$CSRF", ["Cookie"] = "$COOKIE"}, body)
  elseif k < 8 then
    return wrk.format("GET", "/api/v1/lagesbild", {["Cookie"] = "$COOKIE"})
  elseif k < 12 then
    return wrk.format("GET", "/api/v1/hotspots?period=2026-W40", {["Cookie"] = "$COOKIE"})
  elseif k < 16 then
    return wrk.format("GET", "/api/v1/health")
  else
    return wrk.format("GET", "/")
  end
end
EOF
  echo
  echo "Soak: ${SOAK} s mixed (5 % writes, lägesbild, hotspots, health, start page) at 64 connections:"
  rss_start=$(awk '/VmRSS/ {print $2}' /proc/$EST_PID/status)
  ( for _ in $(seq $((SOAK / 30))); do sleep 30; awk '/VmRSS/ {printf "%s ", $2}' /proc/$EST_PID/status; done ) >"$WORK/rss.log" &
  RSS_PID=$!
  out=$(wrk -t2 -c64 -d"${SOAK}s" --timeout 5s --latency -s "$WORK/mixed.lua" "http://127.0.0.1:$EST_PORT/" 2>&1)
  wait "$RSS_PID" || true
  echo "$out" | grep -E "Requests/sec|99%|Socket errors|Non-2xx" | sed 's/^/    /'
  echo "    RSS kB at start $rss_start, every 30 s: $(cat "$WORK/rss.log")"
  echo "    The server's memory lines (every 30 s):"
  grep -o 'memory rss=.*' "$WORK/est.log" | sed 's/^/      /'
fi
