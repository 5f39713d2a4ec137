#!/usr/bin/env bash
# `make up`: the whole stack natively, in the foreground (Ctrl-C stops it): PostgreSQL and
# Redis (installed or started as needed), the six services with two processes each for
# matching, collaboration and chat, and nginx serving the built frontend and proxying the
# services on http://localhost:8080. Each service gets its database; a development signing
# key is made once under .local/; `.env` (if present) overrides any variable in
# .env.sample. Every process logs to .local/logs/<name>.log; .local/stack.pids lists them
# for `make down` (scripts/up-detached.sh starts the stack in the background).
#
# FRONTEND_DIST=<dir> serves that folder instead of building frontend/
# (scripts/build-frontend.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/stack-lib.sh
. scripts/stack-lib.sh

PG_SERVER="${PG_SERVER_URL:-postgres://postgres:postgres@127.0.0.1:5432}"
# name, port, binary, service: each runs with DATABASE_URL=$PG_SERVER/<service>_db.
PROCESSES=(
  "user 8001 user-service user"
  "question 8002 question-service question"
  "history 8004 history-service history"
  "matching 8003 matching-service matching"
  "matching-2 8013 matching-service matching"
  "collaboration 8005 collaboration-service collaboration"
  "collaboration-2 8015 collaboration-service collaboration"
  "chat 8006 chat-service chat"
  "chat-2 8016 chat-service chat"
)
DATABASES=(user_db question_db history_db matching_db chat_db)

say() { printf '[up] %s\n' "$*"; }
die() { say "error: $*" >&2; exit 1; }

if [ -f "$STACK_PIDS" ] && alive "$(awk 'NR == 1 {print $2}' "$STACK_PIDS")"; then
  die "a stack is already running (see $STACK_PIDS); stop it with: make down"
fi
for port in "${STACK_PORTS[@]}"; do
  ! port_open "$port" || die "port $port is taken; the stack needs ${STACK_PORTS[*]} free"
done

bash scripts/ensure-services.sh
bash scripts/ensure-nginx.sh

for db in "${DATABASES[@]}"; do
  if [ "$(psql "$PG_SERVER/postgres" -Atqc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
    say "creating database $db"
    psql "$PG_SERVER/postgres" -qc "CREATE DATABASE $db" >/dev/null
  fi
done

mkdir -p .local "$STACK_LOGS"
if [ ! -s .local/jwt-ed25519.pem ]; then
  say "making a development token signing key in .local/jwt-ed25519.pem"
  openssl genpkey -algorithm ed25519 -out .local/jwt-ed25519.pem
fi
# The user service signs with the private key; the others verify with the public one.
JWT_PRIVATE_KEY="$(cat .local/jwt-ed25519.pem)"
JWT_PUBLIC_KEY="$(openssl pkey -in .local/jwt-ed25519.pem -pubout)"
export JWT_PRIVATE_KEY JWT_PUBLIC_KEY

if [ -f .env ]; then
  say "reading .env"
  set -a
  # shellcheck disable=SC1091
  . ./.env
  set +a
fi
export RUST_LOG="${RUST_LOG:-info}"
# The real-time services share state through Redis (ensure-services.sh started it).
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"

say "building the services"
cargo build --locked --bins

# The app nginx serves: FRONTEND_DIST, the build of frontend/, or a page saying it is not built.
STATIC_ROOT=$(bash scripts/build-frontend.sh frontend .local/frontend-not-built "$STACK_LOGS/frontend-build.log")
frontend_note=""
[ "$STATIC_ROOT" != "$PWD/.local/frontend-not-built" ] || frontend_note=" (the frontend is not built: a placeholder page)"

# Every process runs in a session of its own (setsid): Ctrl-C reaches up.sh alone, which
# stops them all, so a process that ends by itself has crashed.
pids=()
# shellcheck disable=SC2317 # run by the traps below
stop() {
  trap - INT TERM EXIT
  say "stopping"
  stop_pids 40 "${pids[@]}"
  wait 2>/dev/null || true
  rm -f "$STACK_PIDS"
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

echo "up $$" >"$STACK_PIDS"
started() { # name pid
  pids+=("$2")
  echo "$1 $2" >>"$STACK_PIDS"
}

for process in "${PROCESSES[@]}"; do
  read -r name port binary service <<<"$process"
  env_for_user=()
  # nginx appends the client's address to X-Forwarded-For: believe that one entry.
  [ "$service" = user ] && env_for_user=(TRUSTED_PROXY_HOPS=1)
  setsid env PORT="$port" DATABASE_URL="$PG_SERVER/${service}_db" "${env_for_user[@]}" \
    "target/debug/$binary" >"$STACK_LOGS/$name.log" 2>&1 &
  started "$name" $!
done

# nginx: upstreams list every process of a service.
servers() { # service
  local process name port binary service lines=""
  for process in "${PROCESSES[@]}"; do
    read -r name port binary service <<<"$process"
    [ "$service" = "$1" ] && lines+="server 127.0.0.1:$port; "
  done
  printf '%s' "$lines"
}
export NGINX_LISTEN=127.0.0.1:8080 STATIC_ROOT
for service in user question history matching collaboration chat; do
  export "${service^^}_SERVERS=$(servers "$service")"
done
bash scripts/nginx-conf.sh
nginx -q -t -p "$PWD/.local/nginx/" -c "$PWD/.local/nginx/nginx.conf" -e "$PWD/$STACK_LOGS/nginx.log" ||
  die "the nginx config .local/nginx/nginx.conf is refused (see above)"
setsid nginx -p "$PWD/.local/nginx/" -c "$PWD/.local/nginx/nginx.conf" -e "$PWD/$STACK_LOGS/nginx.log" &
started nginx $!

pid_of() { awk -v name="$1" '$1 == name {print $2}' "$STACK_PIDS"; }
wait_for() { # url name
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    alive "$(pid_of "$2")" || break
    sleep 0.5
  done
  tail -n 20 "$STACK_LOGS/$2.log" >&2
  die "$2 did not answer $1 (log: $STACK_LOGS/$2.log)"
}
for process in "${PROCESSES[@]}"; do
  read -r name port _ <<<"$process"
  wait_for "http://127.0.0.1:$port/health" "$name"
done
wait_for "http://127.0.0.1:8080/" nginx

say "ready: http://localhost:8080$frontend_note; development admin ${ADMIN_EMAIL:-admin@peerprep.local} / ${ADMIN_PASSWORD:-peerprep-dev-password}; logs in $STACK_LOGS/; Ctrl-C stops everything"

# Runs until Ctrl-C (or make down), or until a process ends by itself: then all stop.
ended=""
wait -n -p ended "${pids[@]}" || true
die "$(awk -v pid="$ended" '$2 == pid {print $1}' "$STACK_PIDS") stopped by itself (see $STACK_LOGS/)"
