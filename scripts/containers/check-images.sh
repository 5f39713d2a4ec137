#!/usr/bin/env bash
# Runs every PeerPrep image built by build-images.sh and proves what the deployment asks of
# it: each runs as a user other than root (the Rust services on a read-only root with
# nothing writable and no capabilities, as on ECS), and its own HEALTHCHECK command
# (`podman healthcheck run`) reports healthy once it has what it needs. The services use
# this machine's PostgreSQL and Redis (--network host), on ports 18001-18006 with
# databases ctr_<service>_db and Redis keys under peerprep-ctr:, so a `make up` stack on the
# same machine is left alone. nginx (the frontend image) listens on 18080 in front of them;
# a request through it to the question service proves the proxying too. Prints image sizes
# and fails when a Rust service's image is 60 MB or more.
#   IMAGE_PREFIX / IMAGE_TAG   as for build-images.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

prefix=${IMAGE_PREFIX:-peerprep/}
tag=${IMAGE_TAG:-latest}
pg=${PG_SERVER_URL:-postgres://postgres:postgres@127.0.0.1:5432}
redis=${REDIS_URL:-redis://127.0.0.1:6379}
max_rust_mb=60
services=(user question history matching collaboration chat)

# podman without systemd says on every run and removal that it cannot schedule health
# checks (this script runs them itself): keep the rest of its stderr.
quiet_podman() { podman "$@" 2> >(grep -v 'unable to get systemd connection' >&2); }

log() { printf '[check-images] %s\n' "$*" >&2; }
fail() { printf '[check-images] FAIL: %s\n' "$*" >&2; failures=$((failures + 1)); }
failures=0

declare -A port=([user]=18001 [question]=18002 [matching]=18003 [history]=18004
  [collaboration]=18005 [chat]=18006)
nginx_port=18080

bash scripts/ensure-services.sh
bash scripts/containers/ensure-podman.sh

containers=()
cleanup() {
  [ "${#containers[@]}" -eq 0 ] || quiet_podman rm -f -t 5 "${containers[@]}" >/dev/null || true
}
trap cleanup EXIT

for service in user question history matching chat; do
  db="ctr_${service}_db"
  if [ "$(psql "$pg/postgres" -Atqc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
    psql "$pg/postgres" -qc "CREATE DATABASE $db" >/dev/null
  fi
done

key=$(mktemp)
openssl genpkey -algorithm ed25519 -out "$key" 2>/dev/null
private_key=$(cat "$key")
public_key=$(openssl pkey -in "$key" -pubout)
rm -f "$key"

url() { printf 'http://127.0.0.1:%s' "${port[$1]}"; }

# The image's user, and the user its process runs as.
check_user() { # container image
  local image_user process_user
  image_user=$(podman image inspect --format '{{.Config.User}}' "$2")
  process_user=$(podman top "$1" user | tail -n +2 | sort -u | tr '\n' ' ')
  case "$image_user" in
    "" | root | 0 | 0:* | root:*) fail "$2 has no USER other than root ('$image_user')" ;;
  esac
  case " $process_user" in
    *" root "*) fail "$1 runs as root" ;;
  esac
  log "$2: USER $image_user, running as ${process_user% }"
}

wait_healthy() { # container
  local started=$SECONDS
  until podman healthcheck run "$1" >/dev/null 2>&1; do
    if [ "$(podman inspect --format '{{.State.Running}}' "$1" 2>/dev/null)" != true ]; then
      podman logs --tail 20 "$1" >&2 || true
      fail "$1 stopped before it was healthy"
      return 0
    fi
    if [ $((SECONDS - started)) -ge 90 ]; then
      podman logs --tail 20 "$1" >&2 || true
      fail "$1 is not healthy after 90 s"
      return 0
    fi
    sleep 1
  done
  log "$1: healthy after $((SECONDS - started)) s (podman healthcheck run: $(podman inspect --format '{{.State.Healthcheck.Status}}' "$1"))"
}

run_service() { # service
  local service=$1 name="peerprep-check-$1"
  podman rm -f "$name" >/dev/null 2>&1 || true
  containers+=("$name")
  # As ECS runs them (terraform/modules/ecs_service): a read-only root filesystem with
  # nothing writable at all, not even /tmp (podman would mount a tmpfs there by default),
  # and no capabilities.
  quiet_podman run -d --name "$name" --network host \
    --read-only --read-only-tmpfs=false --cap-drop ALL \
    -e ENVIRONMENT=development -e HOST=127.0.0.1 -e "PORT=${port[$service]}" \
    -e "DATABASE_URL=$pg/ctr_${service}_db" -e "REDIS_URL=$redis" \
    -e REDIS_KEY_PREFIX=peerprep-ctr: -e NODE_ID="ctr-$service" \
    -e "JWT_PRIVATE_KEY=$private_key" -e "JWT_PUBLIC_KEY=$public_key" \
    -e "USER_SERVICE_URL=$(url user)" -e "QUESTION_SERVICE_URL=$(url question)" \
    -e "HISTORY_SERVICE_URL=$(url history)" -e "MATCHING_SERVICE_URL=$(url matching)" \
    "$prefix$service:$tag" >/dev/null
}

for service in "${services[@]}"; do
  run_service "$service"
done
for service in "${services[@]}"; do
  wait_healthy "peerprep-check-$service"
  check_user "peerprep-check-$service" "$prefix$service:$tag"
done

name=peerprep-check-frontend
podman rm -f "$name" >/dev/null 2>&1 || true
containers+=("$name")
servers=()
for service in "${services[@]}"; do
  servers+=(-e "${service^^}_SERVERS=server 127.0.0.1:${port[$service]};")
done
quiet_podman run -d --name "$name" --network host -e "NGINX_LISTEN=127.0.0.1:$nginx_port" \
  "${servers[@]}" "${prefix}frontend:$tag" >/dev/null
wait_healthy "$name"
check_user "$name" "${prefix}frontend:$tag"
if curl -fsS "http://127.0.0.1:$nginx_port/question-service-api/topics" | grep -q .; then
  log "GET /question-service-api/topics through the frontend's nginx answers"
else
  fail "GET /question-service-api/topics through the frontend's nginx failed"
fi
curl -fsSI "http://127.0.0.1:$nginx_port/" | grep -qi '^content-security-policy:' ||
  fail "the frontend's nginx serves / without its Content-Security-Policy"

for image in "${services[@]}" frontend; do
  bytes=$(podman image inspect --format '{{.Size}}' "$prefix$image:$tag")
  mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
  log "$(printf '%-28s %6s MB' "$prefix$image:$tag" "$mb")"
  if [ "$image" != frontend ] && [ "$bytes" -ge $((max_rust_mb * 1000 * 1000)) ]; then
    fail "$prefix$image:$tag is $mb MB, over the $max_rust_mb MB a Rust service may take"
  fi
done

[ "$failures" -eq 0 ] || { log "$failures check(s) failed"; exit 1; }
log "every image runs as non-root and reports healthy"
