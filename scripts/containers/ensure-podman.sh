#!/usr/bin/env bash
# Makes this machine run containers with podman, as ../shared/DEPENDENCIES.md found works
# here (no Docker engine, hybrid cgroups, fixed resource limits):
#   - installs podman, runc, fuse-overlayfs and mmdebstrap when one is missing;
#   - writes /etc/containers/containers.conf.d/peerprep.conf: runc as the runtime (crun
#     fails on these cgroups), ulimits at or under the hard limits (raising one is refused),
#     images in Docker format (OCI images drop HEALTHCHECK);
#   - with --service, starts `podman system service` on $PODMAN_SOCKET (default
#     /run/podman/podman.sock) for docker-compose, unless it already answers there;
#   - with --restart-service, stops the one running there first (a long-lived service was
#     seen to fail every container start with "write child: broken pipe", leaving
#     defunct conmon processes, while the podman command itself still worked).
# Idempotent; when everything is in place it only checks and returns.
# Usage: ensure-podman.sh [--service | --restart-service]
set -euo pipefail

socket=${PODMAN_SOCKET:-/run/podman/podman.sock}
conf=/etc/containers/containers.conf.d/peerprep.conf

log() { printf '[podman] %s\n' "$*" >&2; }
die() { printf '[podman] error: %s\n' "$*" >&2; exit 1; }

service=false
restart=false
case "${1:-}" in
  --service) service=true ;;
  --restart-service) service=true restart=true ;;
  "") ;;
  *) die "unknown argument: $1 (usage: ensure-podman.sh [--service | --restart-service])" ;;
esac

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)

missing=()
for tool in podman runc fuse-overlayfs mmdebstrap; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
    podman runc fuse-overlayfs mmdebstrap >/dev/null
fi

# Ulimits: the hard limits of this shell, capped at 4096 (enough for every service).
nofile=$(ulimit -Hn)
nproc=$(ulimit -Hu)
[ "$nofile" = unlimited ] || [ "$nofile" -gt 4096 ] && nofile=4096
[ "$nproc" = unlimited ] || [ "$nproc" -gt 4096 ] && nproc=4096

want=$(
  cat <<CONF
# Written by scripts/containers/ensure-podman.sh (PeerPrep); rewritten when it changes.
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
runtime = "runc"
image_default_format = "docker"
CONF
)
if [ "$(cat "$conf" 2>/dev/null)" != "$want" ]; then
  log "writing $conf"
  "${sudo[@]}" mkdir -p "$(dirname "$conf")"
  printf '%s\n' "$want" | "${sudo[@]}" tee "$conf" >/dev/null
fi

runtime=$(podman info --format '{{.Host.OCIRuntime.Name}}')
[ "$runtime" = runc ] || die "podman uses $runtime, not runc: is $conf read?"

if $restart; then
  pids=$(pgrep -f "podman system service --time=0 unix://$socket" || true)
  if [ -n "$pids" ]; then
    log "stopping podman system service ($(echo "$pids" | tr '\n' ' '))"
    # shellcheck disable=SC2086 # one pid per word
    "${sudo[@]}" kill $pids 2>/dev/null || true
    for _ in $(seq 50); do
      pgrep -f "podman system service --time=0 unix://$socket" >/dev/null || break
      sleep 0.2
    done
  fi
fi

if $service; then
  if curl -fsS --max-time 2 --unix-socket "$socket" http://d/_ping >/dev/null 2>&1; then
    exit 0
  fi
  log "starting podman system service on unix://$socket"
  "${sudo[@]}" mkdir -p "$(dirname "$socket")"
  # Its own session: it outlives this script, and a Ctrl-C here does not reach it.
  setsid "${sudo[@]}" podman system service --time=0 "unix://$socket" \
    >/tmp/podman-service.log 2>&1 </dev/null &
  for _ in $(seq 50); do
    curl -fsS --max-time 2 --unix-socket "$socket" http://d/_ping >/dev/null 2>&1 && exit 0
    sleep 0.2
  done
  die "podman system service did not answer on $socket (log: /tmp/podman-service.log)"
fi
