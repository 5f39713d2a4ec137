#!/usr/bin/env bash
# Runs the production overlay (docker-compose.yml + docker-compose.prod.yml) for real with
# podman, from the images build-images.sh made, and proves it: every service healthy on a
# read-only root filesystem without capabilities, talking TLS only (verify-full) to a
# PostgreSQL and a Redis that stand in for RDS and ElastiCache, and two people through
# nginx (scripts/deploy/04-verify-deployment.sh). The stand-ins are an extra compose file of this
# check (.local/containers/prod-check/): a CA made for the run signs their certificate, and
# it is the overlay's DATA_STORES_CA_FILE. A project of its own (peerprep-prod-check), nginx
# on 127.0.0.1:19180; everything it made is removed at the end.
# Called by `make test` after check-compose.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."

export COMPOSE_PROJECT_NAME=peerprep-prod-check
port=19180
base=http://127.0.0.1:$port
dir=.local/containers/prod-check
log() { printf '[check-compose-prod] %s\n' "$*" >&2; }
fail() { printf '[check-compose-prod] FAILED: %s\n' "$*" >&2; exit 1; }
# shellcheck source=scripts/containers/lib.sh
. scripts/containers/lib.sh

rm -rf "$dir"
mkdir -p "$dir"
# The CA, and one certificate for both stand-ins, by their names on the compose network.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj '/CN=PeerPrep check CA' -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN=data-stores' \
  -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:prod-postgres,DNS:prod-redis\n' >"$dir/san.ext"
openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
  -CAcreateserial -days 2 -extfile "$dir/san.ext" -out "$dir/server.crt" 2>/dev/null
# PostgreSQL and Redis (uid and gid 999 in their images) read the key through its group.
chmod 0640 "$dir/server.key"
chown 0:999 "$dir/server.key"
chmod 0644 "$dir/server.crt" "$dir/ca.pem"
openssl genpkey -algorithm ed25519 -out "$dir/jwt.pem" 2>/dev/null

password=$(openssl rand -hex 16)
token=$(openssl rand -hex 24)
cat >"$dir/data-stores.yml" <<YAML
# Written by scripts/containers/check-compose-prod.sh: TLS-only stand-ins for RDS and ElastiCache.
services:
  prod-postgres:
    image: postgres:15-bookworm
    environment: { POSTGRES_USER: peerprep, POSTGRES_PASSWORD: $password, POSTGRES_DB: user_db }
    command: [postgres, -c, ssl=on, -c, ssl_cert_file=/certs/server.crt, -c, ssl_key_file=/certs/server.key]
    volumes: ["$PWD/$dir:/certs:ro"]
    networks: [peerprep]
    healthcheck:
      test: [CMD, pg_isready, -q, -h, 127.0.0.1, -U, peerprep, -d, user_db]
      interval: 2s
      retries: 30
  prod-redis:
    image: redis:7-bookworm
    command: [redis-server, --port, "0", --tls-port, "6379", --tls-cert-file, /certs/server.crt,
              --tls-key-file, /certs/server.key, --tls-ca-cert-file, /certs/ca.pem,
              --tls-auth-clients, "no", --requirepass, $token]
    volumes: ["$PWD/$dir:/certs:ro"]
    networks: [peerprep]
YAML

cat >"$dir/prod.env" <<ENV
IMAGE_TAG=${IMAGE_TAG:-latest}
DATA_STORES_CA_FILE=$PWD/$dir/ca.pem
REDIS_HOST=prod-redis
REDIS_AUTH_TOKEN=$token
INTERNAL_SERVICE_TOKEN=$(openssl rand -hex 24)
ALLOWED_ORIGINS=$base
ADMIN_EMAIL=admin@peerprep.example
ADMIN_PASSWORD=$(openssl rand -hex 16)
TRUSTED_PROXY_HOPS=1
PUBLISH_PORT=127.0.0.1:$port
NOFILE_LIMIT=$(ulimit -Hn | sed 's/unlimited/65536/' | awk '{ print ($1 > 65536) ? 65536 : $1 }')
ENV
for service in USER QUESTION HISTORY MATCHING CHAT; do
  printf '%s_DB_HOST=prod-postgres\n%s_DB_PASSWORD=%s\n' "$service" "$service" "$password" >>"$dir/prod.env"
done
export COMPOSE_FILE="docker-compose.yml:docker-compose.prod.yml:$dir/data-stores.yml"
JWT_PRIVATE_KEY=$(cat "$dir/jwt.pem")
JWT_PUBLIC_KEY=$(openssl pkey -in "$dir/jwt.pem" -pubout)
export JWT_PRIVATE_KEY JWT_PUBLIC_KEY
export COMPOSE_ENV_FILE=$dir/prod.env

cleanup() {
  [ "${KEEP_STACK:-0}" = 1 ] && return
  compose down --volumes --timeout 10 >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
compose down --volumes --timeout 10 >/dev/null 2>&1 || true

started=$SECONDS
log "starting the stand-in data stores (TLS only)"
: >/tmp/peerprep-prod-up.log
compose_up /tmp/peerprep-prod-up.log -d --wait --wait-timeout 120 prod-postgres prod-redis ||
  { report_stack /tmp/peerprep-prod-up.log prod-postgres prod-redis; fail "the stand-in data stores did not start"; }
for db in question_db history_db matching_db chat_db; do
  compose exec -T prod-postgres psql -q -U peerprep -d user_db -c "CREATE DATABASE $db" >/dev/null
done
log "starting the services from their images with the production overlay"
services=(user question history matching collaboration chat)
show_failure() { report_stack /tmp/peerprep-prod-up.log "${services[@]}" frontend; }
# The six first, waited for here: a service that stops at start (seen: connections from
# new containers hanging while podman sets up seven at once) is restarted by
# its restart policy, where `up --wait` would give up at the first unhealthy report. Then
# nginx, which needs them all.
compose_up /tmp/peerprep-prod-up.log -d --no-recreate "${services[@]}" ||
  { show_failure; fail "the services did not start"; }
for _ in $(seq 1 120); do
  running=$(compose ps --format '{{.Service}} {{.Health}}' "${services[@]}" | grep -c ' healthy$' || true)
  [ "$running" = 6 ] && break
  sleep 1
done
[ "$running" = 6 ] || { show_failure; fail "only $running of the six services became healthy in 2 minutes"; }
restarts=$(for service in "${services[@]}"; do
  podman inspect --format '{{.RestartCount}}' "$(compose ps -q "$service")"
done | awk '{ n += $1 } END { print n + 0 }')
if ! compose_up /tmp/peerprep-prod-up.log -d --no-recreate --wait --wait-timeout 120 frontend; then
  show_failure
  fail "nginx did not come up healthy"
fi
running=$(compose ps --format '{{.Service}} {{.Health}}' | sort)
for service in "${services[@]}" frontend; do
  grep -q "^$service healthy$" <<<"$running" || fail "$service is not healthy: $running"
done
log "ok: the seven services healthy in $((SECONDS - started)) s ($restarts restarts on the way)"

# How they run: read-only, no capabilities, not root, in production.
for service in user chat frontend; do
  container=$(compose ps -q "$service")
  [ "$(podman inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$container")" = true ] ||
    fail "$service's root filesystem is writable"
  caps=$(podman inspect --format '{{.EffectiveCaps}}' "$container")
  [ "$caps" = "[]" ] || fail "$service keeps capabilities: $caps"
  [ "$(podman inspect --format '{{.Config.User}}' "$container")" != "" ] || fail "$service runs as root"
done
# Every connection to PostgreSQL is TLS.
plain=$(compose exec -T prod-postgres psql -Atq -U peerprep -d user_db -c \
  "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.backend_type = 'client backend' AND a.client_addr IS NOT NULL AND NOT s.ssl")
[ "$plain" = 0 ] || fail "$plain connections to PostgreSQL are not TLS"
log "ok: read-only root filesystems, no capabilities, non-root, every database connection TLS"

bash scripts/deploy/04-verify-deployment.sh --url "$base" --wait 60 || fail "04-verify-deployment.sh through nginx"
log "all checks passed in $((SECONDS - started)) s"
