#!/usr/bin/env bash
# Runs the health checks of a compose project's containers every second, for podman
# without systemd (these machines): podman schedules HEALTHCHECKs with systemd timers, so
# without this a container stays "starting" and `depends_on: condition: service_healthy`
# waits for ever. Start it in the background before `docker-compose up`; it stops after
# the given time, when killed, or (--while-running) once the project has had no container
# for 60 s. Docker (and podman with systemd) need none of it.
# Usage: run-healthchecks.sh <compose project name> [seconds, default 300] [--while-running]
set -euo pipefail

project=${1:?usage: run-healthchecks.sh <compose project name> [seconds] [--while-running]}
seconds=${2:-300}
while_running=false
[ "${3:-}" = --while-running ] && while_running=true

end=$((SECONDS + seconds))
last_seen=$SECONDS
while [ "$SECONDS" -lt "$end" ]; do
  while read -r container; do
    [ -n "$container" ] || continue
    last_seen=$SECONDS
    # The result lands in the container's health state; a failing check is not an error here.
    # </dev/null: podman would otherwise read the rest of the list from stdin.
    podman healthcheck run "$container" </dev/null >/dev/null 2>&1 || true
  done < <(podman ps --filter "label=com.docker.compose.project=$project" --format '{{.Names}}')
  if $while_running && [ $((SECONDS - last_seen)) -ge 60 ]; then
    exit 0
  fi
  sleep 1
done
