#!/usr/bin/env bash
# Runs scripts/deploy/01-build-and-push-images.sh for real, build and push, against a
# registry on this machine: Debian's docker-registry (the CNCF distribution registry, the
# server ECR speaks the protocol of) on 127.0.0.1:15000, with its storage in a fresh
# directory each run. Proves that every image lands under the SHA and the extra (release)
# tag, and that a second push leaves the existing tags alone. Not proved here: the scan
# stage (Trivy is not in Debian's packages; the pipeline installs it) and ECR's log-in.
set -euo pipefail

case "${1:-}" in
  -h | --help)
    echo "Usage: scripts/deploy/check-push.sh   (no arguments; see the header for what it does)"
    exit 0
    ;;
  "") ;;
  *) echo "unknown argument: $1" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/../.."

log() { printf '[check-push] %s\n' "$*" >&2; }
die() { printf '[check-push] FAIL: %s\n' "$*" >&2; exit 1; }

address=127.0.0.1:15000
prefix=$address/peerprep-check/
tag=$(git rev-parse HEAD)
extra=v0.0.0-check
images=(user question history matching collaboration chat frontend)

if ! command -v docker-registry >/dev/null; then
  [ "$(id -u)" -eq 0 ] || die "docker-registry is missing: sudo apt-get install docker-registry"
  log "installing docker-registry (Debian's package)"
  (DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry) >/dev/null
fi
# The package starts a registry of its own on :5000 where systemd runs; this one is ours.

work=$PWD/.local/registry
rm -rf "$work"
mkdir -p "$work/data"
cat >"$work/config.yml" <<CONF
version: 0.1
log: {level: warn}
storage:
  filesystem: {rootdirectory: $work/data}
http: {addr: $address}
CONF
# podman pushes to it over plain HTTP; this file replaces the system's registries.conf for
# the commands below only (every image name here is fully qualified).
cat >"$work/registries.conf" <<CONF
unqualified-search-registries = []
[[registry]]
location = "$address"
insecure = true
CONF
export CONTAINERS_REGISTRIES_CONF=$work/registries.conf

docker-registry serve "$work/config.yml" >"$work/registry.log" 2>&1 &
registry=$!
cleanup() {
  kill "$registry" 2>/dev/null || true
  wait "$registry" 2>/dev/null || true
  for image in rust-builder "${images[@]}"; do
    podman rmi --ignore "$prefix$image:$tag" "$prefix$image:$extra" >/dev/null 2>&1 || true
  done
  rm -rf "$work/data"
}
trap cleanup EXIT
for _ in $(seq 50); do
  curl -fsS -o /dev/null "http://$address/v2/" 2>/dev/null && break
  sleep 0.2
done
curl -fsS -o /dev/null "http://$address/v2/" || die "the registry did not start: $(cat "$work/registry.log")"

deploy=scripts/deploy/01-build-and-push-images.sh
started=$SECONDS
bash "$deploy" --prefix "$prefix" --tag "$tag" --extra-tag "$extra" --base-images stand-ins build push
log "build and push: $((SECONDS - started)) s"

for image in "${images[@]}"; do
  tags=$(curl -fsS "http://$address/v2/peerprep-check/$image/tags/list")
  for wanted in "$tag" "$extra"; do
    grep -q "\"$wanted\"" <<<"$tags" || die "$image has no tag $wanted in the registry: $tags"
  done
done
log "ok: all ${#images[@]} images are in the registry under $tag and $extra"

again=$(bash "$deploy" --prefix "$prefix" --tag "$tag" --extra-tag "$extra" push 2>&1)
skipped=$(grep -c 'already in the registry' <<<"$again" || true)
[ "$skipped" = $((2 * ${#images[@]})) ] || die "a second push did not leave every tag alone: $again"
if grep -q 'pushing ' <<<"$again"; then die "a second push pushed again: $again"; fi
log "ok: a second push left all $skipped tags as they were"
