#!/usr/bin/env bash
# `docker compose` for machines with podman and no Docker engine (these ones): runs the
# compose tool (PyPI's docker-compose, scripts/containers/tools.sh) against podman's Docker
# API, started if needed (ensure-podman.sh --service). With Docker, run `docker compose`
# itself instead; the compose files are the same.
#   - `up` first builds the images the stack runs (build-images.sh rust-dev frontend: the
#     compose tool cannot give a podman build this machine's CA bundle), then starts with
#     --no-build; podman runs no health checks without systemd, so run-healthchecks.sh runs
#     them in the background while the project has containers.
#   - Where the machine has its own CA bundle (/etc/ssl/certs/ca-certificates.crt), the
#     development containers get it too (cargo and npm fetch through it): an extra compose
#     file, .local/containers/compose.machine.yml.
#   COMPOSE_PROJECT_NAME   the project (default peerprep, as docker-compose.yml names it)
#   COMPOSE_FILE           the files, ':'-separated (default docker-compose.yml)
# Usage: scripts/containers/compose.sh <compose arguments...>
#   e.g. compose.sh up -d --wait    compose.sh ps    compose.sh logs -f user    compose.sh down
set -euo pipefail
cd "$(dirname "$0")/../.."

PATH="$(bash scripts/containers/tools.sh):$PATH"
bash scripts/containers/ensure-podman.sh --service
export DOCKER_HOST="unix://${PODMAN_SOCKET:-/run/podman/podman.sock}"
project=${COMPOSE_PROJECT_NAME:-peerprep}
export COMPOSE_PROJECT_NAME=$project
files=${COMPOSE_FILE:-docker-compose.yml}

ca=/etc/ssl/certs/ca-certificates.crt
if [ -f "$ca" ]; then
  machine=.local/containers/compose.machine.yml
  mkdir -p "$(dirname "$machine")"
  {
    echo "# Written by scripts/containers/compose.sh: this machine's CA bundle for the development containers."
    echo "services:"
    for service in user question history matching collaboration chat frontend-dev; do
      echo "  $service:"
      echo "    volumes: [\"$ca:/etc/ssl/certs/ca-certificates.crt:ro\"]"
      echo "    environment: { NODE_EXTRA_CA_CERTS: /etc/ssl/certs/ca-certificates.crt }"
    done
  } >"$machine"
  files="$files:$machine"
fi
export COMPOSE_FILE=$files

# The subcommand: the first argument that is neither a global option nor an option's value.
args=("$@")
command_at=-1
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    -f | --file | -p | --project-name | --env-file | --profile | --project-directory | --ansi | --progress | --parallel) i=$((i + 1)) ;;
    -*) ;;
    *) command_at=$i; break ;;
  esac
done

if [ "$command_at" -ge 0 ] && [ "${args[command_at]}" = up ]; then
  bash scripts/containers/build-images.sh rust-dev frontend
  # Health checks for as long as the project has containers (a day at most): one loop per
  # project, the newest.
  pkill -f "run-healthchecks.sh $project " || true
  setsid bash scripts/containers/run-healthchecks.sh "$project" 86400 --while-running \
    >/tmp/peerprep-healthchecks-"$project".log 2>&1 </dev/null &
  # Built above, with what this machine needs.
  args=("${args[@]:0:command_at+1}" --no-build "${args[@]:command_at+1}")
fi
exec docker-compose "${args[@]}"
