#!/usr/bin/env bash
# Browser tests of the web UI against a real `est serve` with a fresh demo database.
#   EST_BINARY=build/est PORT=18090 tests/e2e/run.sh
# Uses Debian's /usr/bin/chromium through playwright-core; never downloads a browser.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
EST_BINARY="${EST_BINARY:-$ROOT/build/est}"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

[ -x "$EST_BINARY" ] || { echo "run.sh: no est binary at $EST_BINARY (set EST_BINARY)" >&2; exit 2; }
[ -x "$CHROMIUM" ] || { echo "run.sh: $CHROMIUM missing (apt-get install -y chromium)" >&2; exit 2; }

if [ ! -f "$ROOT/web/dist/index.html" ] || [ "${E2E_REBUILD:-0}" = 1 ]; then
  (cd "$ROOT/web" && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build)
fi
[ -d "$HERE/node_modules/playwright-core" ] || (cd "$HERE" && npm ci --no-audit --no-fund)

PORT="${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')}"
TMP="$(mktemp -d /tmp/est-e2e.XXXXXX)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

"$EST_BINARY" --db "$TMP/est.db" demo >"$TMP/demo.log" 2>&1
# The police's real feed of August 2026 beside the demo's partner reports (lagesbild-analysis).
"$EST_BINARY" --db "$TMP/est.db" import polisen "$ROOT/tests/data/polisen-events-2026-08-22.json" >>"$TMP/demo.log" 2>&1
"$EST_BINARY" --db "$TMP/est.db" serve --port "$PORT" --insecure-cookies --web "$ROOT/web/dist" >"$TMP/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TMP/serve.log" >&2; exit 1; }
  sleep 0.1
done

mkdir -p "$HERE/screenshots"
export BASE_URL="http://127.0.0.1:$PORT" CHROMIUM SCREENSHOTS="$HERE/screenshots"
set +e
node --test --test-concurrency=1 --test-reporter=spec "$HERE"/*.test.mjs
rc=$?
set -e
[ $rc -eq 0 ] || { echo "--- server log (tail) ---" >&2; tail -30 "$TMP/serve.log" >&2; }
exit $rc
