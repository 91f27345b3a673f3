#!/usr/bin/env bash
# Starts the compiled server the way the Docker image does (node dist/src/main.js, NODE_ENV=production),
# waits for /readyz, checks discovery and that production seeded no demo and printed no credentials, then
# sends SIGTERM and expects a clean exit 0.
set -euo pipefail
cd "$(dirname "$0")/.."

data_dir="$(mktemp -d)"
port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
log="$data_dir/server.log"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$data_dir"' EXIT

PORT="$port" ISSUER="http://127.0.0.1:$port" DATA_DIR="$data_dir" NODE_ENV=production node dist/src/main.js >"$log" 2>&1 &
pid=$!

for _ in $(seq 1 50); do
  if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then break; fi
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/readyz" | grep -q '"ready"' || { echo "readyz did not answer"; cat "$log"; exit 1; }
discovery="$(curl -fsS "http://127.0.0.1:$port/.well-known/openid-configuration")"
echo "$discovery" | grep -q "\"issuer\":\"http://127.0.0.1:$port\"" || { echo "bad discovery: $discovery"; exit 1; }
if grep -qi "demo tenant\|password:" "$log"; then echo "production printed demo credentials"; cat "$log"; exit 1; fi
grep -q '"setting":"MASTER_KEY"' "$log" || { echo "no warning about the generated master key"; cat "$log"; exit 1; }

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
if [ "$status" -ne 0 ]; then echo "server exited with $status after SIGTERM"; cat "$log"; exit 1; fi
echo "smoke test passed: /readyz, discovery, no demo in production, warnings, SIGTERM exit 0"
