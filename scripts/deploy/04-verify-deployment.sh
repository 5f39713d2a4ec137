#!/usr/bin/env bash
# Verifies a running PeerPrep through its public address, as the deploy pipeline's last step
# and as an operator would after any change:
#   1. every service answers GET /<name>-service-api/health (the process is up) and /ready
#      (its PostgreSQL and Redis answer), waiting up to --wait seconds for a fresh deploy;
#   2. two people sign up, log in, list the questions, are matched over the websocket, one's
#      edit reaches the other's editor (the stock Yjs client) and a chat message is delivered
#      (scripts/smoke/two-peers.mjs).
# Exits 0 when all of it passed, 1 with what failed. Needs curl, Node.js 20+ and npm (the
# smoke test's packages are installed into scripts/smoke/ by npm ci).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/deploy/04-verify-deployment.sh [--url URL] [--wait SECONDS] [--help]

  --url URL        the public address (default: $PEERPREP_URL, else http://127.0.0.1:8080)
  --wait SECONDS   how long the services may take to become healthy and ready (default 120)

The services must accept websockets from the URL's origin (ALLOWED_ORIGINS). Each run signs
up two new people (smoke-ada-<random>@example.com, smoke-bob-...), so it can run again.
USAGE
}

url=${PEERPREP_URL:-http://127.0.0.1:8080}
wait_secs=120
while [ $# -gt 0 ]; do
  case "$1" in
    --url) url=${2:?--url needs a value}; shift 2 ;;
    --wait) wait_secs=${2:?--wait needs a value}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
url=${url%/}
cd "$(dirname "$0")/../.."

log() { printf '[verify] %s\n' "$*"; }
fail() { printf '[verify] FAILED: %s\n' "$*" >&2; exit 1; }

services=(user question history matching collaboration chat)
deadline=$((SECONDS + wait_secs))
for service in "${services[@]}"; do
  for check in health ready; do
    path="/$service-service-api/$check"
    until status=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 5 "$url$path" 2>/dev/null) &&
      [ "$status" = 200 ]; do
      [ "$SECONDS" -lt "$deadline" ] || fail "GET $url$path answered ${status:-nothing}, not 200, for ${wait_secs} s"
      sleep 2
    done
  done
done
log "ok: ${services[*]}: /health and /ready are 200 through $url"

command -v node >/dev/null || fail "Node.js is needed for the smoke test"
npm ci --prefix scripts/smoke --no-audit --no-fund --loglevel=error >/dev/null ||
  fail "npm could not install the smoke test's packages"
node scripts/smoke/two-peers.mjs "$url" --timeout-secs 60 || fail "the two-person smoke test through $url"
log "all checks passed: $url"
