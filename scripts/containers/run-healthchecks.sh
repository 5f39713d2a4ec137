#!/usr/bin/env bash
# Runs the health checks of a compose project's containers every second, for podman
# without systemd (these machines): podman schedules HEALTHCHECKs with systemd timers, so
# without this a container stays "starting" and `depends_on: condition: service_healthy`
# waits for ever. Start it in the background before `docker-compose up`; it stops after
# the given time or when killed. Docker (and podman with systemd) need none of it.
# Usage: run-healthchecks.sh <compose project name> [seconds, default 300]
set -euo pipefail

project=${1:?usage: run-healthchecks.sh <compose project name> [seconds]}
seconds=${2:-300}

end=$((SECONDS + seconds))
while [ "$SECONDS" -lt "$end" ]; do
  while read -r container; do
    [ -n "$container" ] || continue
    # The result lands in the container's health state; a failing check is not an error here.
    # </dev/null: podman would otherwise read the rest of the list from stdin.
    podman healthcheck run "$container" </dev/null >/dev/null 2>&1 || true
  done < <(podman ps --filter "label=com.docker.compose.project=$project" --format '{{.Names}}')
  sleep 1
done
