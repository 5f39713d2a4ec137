#!/usr/bin/env bash
# Runs the development compose stack (docker-compose.yml) for real with podman and proves it:
#   1. every service comes up healthy (the Rust services compile in their containers first);
#   2. through nginx on the published port, two people sign up, log in, list questions, are
#      matched over the websocket, see each other's edit and chat (scripts/deploy/
#      04-verify-deployment.sh: every /health and /ready, then scripts/smoke/two-peers.mjs),
#      and Vite's dev server serves the app and proxies the API;
#   3. hot reload: a change to the question service's source is served by its running
#      container without a restart of the stack.
# A project of its own (peerprep-check) on ports 19001-19006, 19080 (nginx) and 19173
# (Vite), so a stack on the usual ports is left alone. The compiled workspace and the cargo
# registry stay in their volumes for the next run; the databases and Redis start empty.
# Called by `make test` after build-images.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."

export COMPOSE_PROJECT_NAME=peerprep-check
nginx_port=19080
vite_port=19173
base=http://127.0.0.1:$nginx_port
# The services take websockets from these origins only.
export ALLOWED_ORIGINS="$base,http://127.0.0.1:$vite_port"

log() { printf '[check-compose] %s\n' "$*" >&2; }
fail() { printf '[check-compose] FAILED: %s\n' "$*" >&2; exit 1; }
# shellcheck source=scripts/containers/lib.sh
. scripts/containers/lib.sh

ports=.local/containers/compose.check-ports.yml
mkdir -p "$(dirname "$ports")"
{
  echo "# Written by scripts/containers/check-compose.sh: its own host ports."
  echo "services:"
  port=19001
  for service in user question matching history collaboration chat; do
    echo "  $service: { ports: !override [\"127.0.0.1:$port:8000\"] }"
    port=$((port + 1))
  done
  echo "  frontend: { ports: !override [\"127.0.0.1:$nginx_port:8080\"] }"
  echo "  frontend-dev: { ports: !override [\"127.0.0.1:$vite_port:5173\"] }"
} >"$ports"
export COMPOSE_FILE="docker-compose.yml:$ports"

source_file=crud/question/src/routes/questions/get.rs
services=(user question history matching collaboration chat frontend frontend-dev)
up_log=/tmp/peerprep-compose-up.log
# The databases and Redis; the compiled workspace and the registry stay.
remove_data() {
  compose down --timeout 10 >/dev/null 2>&1 || true
  podman volume rm -f "${COMPOSE_PROJECT_NAME}_redis-data" \
    "${COMPOSE_PROJECT_NAME}"_{user,question,history,matching,chat}-db >/dev/null 2>&1 || true
}
original=$(mktemp)
cp "$source_file" "$original"
cleanup() {
  # The source exactly as it was, whatever happened.
  cmp -s "$original" "$source_file" || cp "$original" "$source_file"
  rm -f "$original"
  [ "${KEEP_STACK:-0}" = 1 ] || remove_data
}
trap cleanup EXIT
on_failure() { report_stack "$up_log" "${services[@]}"; }

# Data from an earlier interrupted run goes.
remove_data

started=$SECONDS
log "starting the development stack (the first run compiles the workspace in the containers)"
: >"$up_log"
if ! compose_up "$up_log" -d --wait --wait-timeout 1500; then
  on_failure
  fail "the stack did not come up healthy"
fi
healthy=$(compose ps --format '{{.Service}} {{.Health}}' | sort)
unhealthy=$(grep -v ' healthy$' <<<"$healthy" || true)
[ -z "$unhealthy" ] || { on_failure; fail "not healthy: $unhealthy"; }
log "ok: $(wc -l <<<"$healthy") containers healthy in $((SECONDS - started)) s: $(cut -d' ' -f1 <<<"$healthy" | tr '\n' ' ')"

bash scripts/deploy/04-verify-deployment.sh --url "$base" --wait 60 || { on_failure; fail "04-verify-deployment.sh through nginx"; }

# Vite's dev server: the app, and the API through its proxy (to nginx).
curl -fsS "http://127.0.0.1:$vite_port/" | grep -q '<div id="root">' ||
  fail "Vite's dev server does not serve the app on $vite_port"
curl -fsS "http://127.0.0.1:$vite_port/question-service-api/health" | grep -q '"status"' ||
  fail "Vite's dev server does not proxy /question-service-api/"
log "ok: Vite's dev server on $vite_port serves the app and proxies the API"

# Hot reload: a new not-found message in the question service's source.
nonce="hot reload $RANDOM$RANDOM"
probe=/question-service-api/questions/no-such-question-anywhere
current() { curl -sS "$base$probe" | sed -E 's/.*"message":"([^"]*)".*/\1/'; }
before=$(current)
[[ -n $before && $before != *"$nonce"* ]] || fail "GET $probe: unexpected '$before'"
sed -i "s/no question has this id or slug/no question has this id or slug ($nonce)/" "$source_file"
grep -q "$nonce" "$source_file" || fail "could not change $source_file for the hot-reload check"
changed=$SECONDS
for _ in $(seq 1 600); do
  [[ $(current 2>/dev/null) == *"$nonce"* ]] && break
  sleep 1
done
[[ $(current) == *"$nonce"* ]] || { on_failure; fail "the question container did not pick up a source change in 10 minutes"; }
log "ok: hot reload: the changed source answered through nginx $((SECONDS - changed)) s after the edit"
cp "$original" "$source_file"
log "all checks passed in $((SECONDS - started)) s"
