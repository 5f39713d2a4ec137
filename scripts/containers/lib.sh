# shellcheck shell=bash
# What the compose checks (check-compose.sh, check-compose-prod.sh) share; sourced.

# `docker compose` through podman (compose.sh), with COMPOSE_ENV_FILE when one is set.
compose() {
  if [ -n "${COMPOSE_ENV_FILE:-}" ]; then
    bash scripts/containers/compose.sh --env-file "$COMPOSE_ENV_FILE" "$@"
  else
    bash scripts/containers/compose.sh "$@"
  fi
}

# What a failed check shows: the end of the `up` log, every container's state, and the
# last lines each service logged.
report_stack() { # <up log> <service>...
  local up_log=$1 service
  shift
  tail -n 30 "$up_log" >&2 || true
  compose ps -a >&2 || true
  for service in "$@"; do
    echo "--- $service (last lines)" >&2
    compose logs --no-color --tail 15 "$service" >&2 2>&1 || true
  done
}

# `compose up <args>` into <log> (appended), once more when podman itself failed to start a
# container with "write child: broken pipe": seen here from a `podman system service` left
# running by an earlier `make test`, failing every start, until the service was restarted.
# So it is restarted (ensure-podman.sh --restart-service) and `up`, which is idempotent,
# runs again; any other failure is final.
compose_up() { # <log> <up args>...
  local log=$1
  shift
  compose up "$@" >>"$log" 2>&1 && return 0
  grep -q 'write child: broken pipe' "$log" || return 1
  echo "[compose] podman failed to start a container (write child: broken pipe); restarting its service and trying once more" >&2
  echo "--- trying once more after: write child: broken pipe" >>"$log"
  bash scripts/containers/ensure-podman.sh --restart-service || return 1
  compose up "$@" >>"$log" 2>&1
}
