#!/usr/bin/env bash
# `make up`: runs what exists of the stack natively, in the foreground (Ctrl-C stops it):
# the user, question, history, matching, collaboration and chat services.
# PostgreSQL and Redis are installed or started as needed; each service gets its database;
# a development signing key is made once under .local/; `.env` (if present) overrides
# any variable in .env.sample.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_SERVER="${PG_SERVER_URL:-postgres://postgres:postgres@127.0.0.1:5432}"
# name, port, binary: each runs with DATABASE_URL=$PG_SERVER/<name>_db.
SERVICES=(
  "user 8001 user-service"
  "question 8002 question-service"
  "history 8004 history-service"
  "matching 8003 matching-service"
  "collaboration 8005 collaboration-service"
  "chat 8006 chat-service"
)
DATABASES=(user_db question_db history_db matching_db chat_db)

bash scripts/ensure-services.sh

for db in "${DATABASES[@]}"; do
  if [ "$(psql "$PG_SERVER/postgres" -Atqc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
    echo "[up] creating database $db"
    psql "$PG_SERVER/postgres" -qc "CREATE DATABASE $db" >/dev/null
  fi
done

mkdir -p .local
if [ ! -s .local/jwt-ed25519.pem ]; then
  echo "[up] making a development token signing key in .local/jwt-ed25519.pem"
  openssl genpkey -algorithm ed25519 -out .local/jwt-ed25519.pem
fi
# The user service signs with the private key; the others verify with the public one.
JWT_PRIVATE_KEY="$(cat .local/jwt-ed25519.pem)"
JWT_PUBLIC_KEY="$(openssl pkey -in .local/jwt-ed25519.pem -pubout)"
export JWT_PRIVATE_KEY JWT_PUBLIC_KEY

if [ -f .env ]; then
  echo "[up] reading .env"
  set -a
  # shellcheck disable=SC1091
  . ./.env
  set +a
fi
export RUST_LOG="${RUST_LOG:-info}"
# The real-time services share state through Redis (ensure-services.sh started it).
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"

echo "[up] building the services"
cargo build --locked --bins

pids=()
stop() {
  trap - INT TERM EXIT
  echo "[up] stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

run() { # name port binary
  local name=$1 port=$2 binary=$3
  PORT="$port" DATABASE_URL="$PG_SERVER/${name}_db" \
    "target/debug/$binary" > >(sed -u "s/^/[$name] /") 2>&1 &
  pids+=($!)
}

for service in "${SERVICES[@]}"; do
  # shellcheck disable=SC2086
  run $service
done

for service in "${SERVICES[@]}"; do
  read -r _ port _ <<<"$service"
  for _ in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fsS "http://127.0.0.1:$port/health" >/dev/null || { echo "[up] the service on $port did not start"; exit 1; }
done

cat <<MSG

[up] PeerPrep is running:
       user service       http://127.0.0.1:8001/user-service-api/
       question service   http://127.0.0.1:8002/question-service-api/
       history service    http://127.0.0.1:8004/history-service-api/
       matching service   ws://127.0.0.1:8003/matching-service-api/ws
       collaboration      ws://127.0.0.1:8005/collaboration-service-api/yjs/<room_id>
       chat               ws://127.0.0.1:8006/chat-service-api/ws/<room_id>
     development admin: ${ADMIN_EMAIL:-admin@peerprep.local} / ${ADMIN_PASSWORD:-peerprep-dev-password}
     Ctrl-C stops everything.

MSG
wait
