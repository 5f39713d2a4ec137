#!/usr/bin/env bash
# Runs schemathesis (property-based API tests from PyPI) against the OpenAPI documents of
# the services with a REST API of their own: the user, question and history services, the
# chat service's transcript, and history's internal routes (their own document, at the root). Each is started from the built binary on a spare port
# against a fresh database, with its documented auth, and schemathesis must find no server
# error and no response that breaks the schema.
# Called by `make test` after `cargo build --bins`.
set -euo pipefail
cd "$(dirname "$0")/.."

# Hypothesis is held back: from 6.131 it parses whole source files to describe lambdas, which
# trips CPython 3.11's "AST constructor recursion depth mismatch" bug on schemathesis' own
# code (a crash of the tool, not a finding).
PACKAGES=(schemathesis==4.32.5 hypothesis==6.130.12)
PG_SERVER="${PG_SERVER_URL:-postgres://postgres:postgres@127.0.0.1:5432}"
SERVICE_TOKEN=schemathesis-internal-token
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-40}"
CHECKS=not_a_server_error,response_schema_conformance

export PGOPTIONS='-c client_min_messages=warning'

say() { printf '[schemathesis] %s\n' "$*"; }
die() { say "error: $*"; exit 1; }

# --- the tool, in a virtual environment of its own ---
tools=$(bash scripts/python-tools.sh venv "${PACKAGES[@]}")

# --- the services ---
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for db in st_user st_question st_history st_chat; do
    psql "$PG_SERVER/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

openssl genpkey -algorithm ed25519 -out "$work/key.pem" 2>/dev/null
openssl pkey -in "$work/key.pem" -pubout -out "$work/key.pub" 2>/dev/null
for db in st_user st_question st_history st_chat; do
  psql "$PG_SERVER/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
user_port=$(free_port); question_port=$(free_port); history_port=$(free_port)
chat_port=$(free_port)

start() { # name port binary [VAR=value...]
  local name=$1 port=$2 binary=$3
  shift 3
  env RUST_LOG=error PORT="$port" WORKERS=2 DATABASE_URL="$PG_SERVER/st_$name" \
    JWT_PUBLIC_KEY="$(cat "$work/key.pub")" "$@" \
    "target/debug/$binary" >"$work/$name.log" 2>&1 &
  pids+=($!)
}
start user "$user_port" user-service JWT_PRIVATE_KEY="$(cat "$work/key.pem")" \
  LOGIN_MAX_FAILURES_PER_ACCOUNT=1000000 LOGIN_MAX_FAILURES_PER_ADDRESS=1000000 \
  SIGNUP_MAX_PER_ADDRESS=1000000
start question "$question_port" question-service
start history "$history_port" history-service INTERNAL_SERVICE_TOKEN="$SERVICE_TOKEN"
# The admin token reads any room's transcript without asking matching who its members are.
start chat "$chat_port" chat-service INTERNAL_SERVICE_TOKEN="$SERVICE_TOKEN"

for port in "$user_port" "$question_port" "$history_port" "$chat_port"; do
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fsS "http://127.0.0.1:$port/ready" >/dev/null || { cat "$work"/*.log; die "a service on $port did not start"; }
done

# The development admin the user service seeds: its token is an admin's everywhere.
token=$(curl -fsS -X POST "http://127.0.0.1:$user_port/user-service-api/auth/login" \
  -H 'Content-Type: application/json' \
  -d '{"email":"admin@peerprep.local","password":"peerprep-dev-password"}' |
  sed -E 's/.*"access_token":"([^"]+)".*/\1/')
[ -n "$token" ] || die "could not log in as the development admin"

run() { # port prefix [schemathesis options...]
  local port=$1 prefix=$2
  shift 2
  say "$prefix"
  "$tools/schemathesis" run "http://127.0.0.1:$port/$prefix/openapi.json" \
    --checks "$CHECKS" --max-examples "$MAX_EXAMPLES" --workers 2 \
    --suppress-health-check all --warnings off --no-color \
    -H "Authorization: Bearer $token" -H "X-Service-Token: $SERVICE_TOKEN" "$@"
}

failed=0
# Internal routes are served at /internal/... at the root, where the load balancer's path
# rules never reach; no public document may list one.
for service in "$user_port user-service-api" "$question_port question-service-api" \
  "$history_port history-service-api" "$chat_port chat-service-api"; do
  read -r port prefix <<<"$service"
  internal=$(curl -fsS "http://127.0.0.1:$port/$prefix/openapi.json" | python3 -c \
    'import json, sys; print(" ".join(p for p in json.load(sys.stdin)["paths"] if "internal" in p.split("/")))')
  if [ -n "$internal" ]; then
    say "the public document of $prefix lists internal paths: $internal"
    failed=1
  fi
done
# Log-out (and log-out everywhere) end the session of the token they are sent with, so
# they go last, on their own.
run "$user_port" user-service-api --exclude-path /user-service-api/auth/logout \
  --exclude-path /user-service-api/auth/logout-all || failed=1
run "$question_port" question-service-api || failed=1
run "$history_port" history-service-api || failed=1
run "$history_port" internal || failed=1
run "$chat_port" chat-service-api || failed=1
run "$user_port" user-service-api --include-path /user-service-api/auth/logout \
  --include-path /user-service-api/auth/logout-all || failed=1

if [ "$failed" != 0 ]; then
  say "service logs:"
  tail -n 50 "$work"/*.log
  die "schemathesis found problems (see above)"
fi
say "no server errors and no schema violations"
