#!/usr/bin/env bash
# Builds every PeerPrep image with podman from docker/*.Dockerfile as written: first the
# shared Rust build (docker/rust-builder.Dockerfile), then the six services' images from it
# and the frontend's. Base images come from base-images.sh: local stand-ins by default
# (these machines reach no image registry), the real ones with BASE_IMAGES=pull (the deploy
# pipeline). Prints each step's time and the images' sizes.
#   IMAGE_PREFIX  image names (default peerprep/): peerprep/user, ... peerprep/frontend
#   IMAGE_TAG     their tag (default latest)
#   VERSION       org.opencontainers.image.version (default: the workspace's, 0.1.0)
# Usage: build-images.sh [image ...]   (default: all; names: rust-builder user ... frontend)
set -euo pipefail
cd "$(dirname "$0")/../.."

prefix=${IMAGE_PREFIX:-peerprep/}
tag=${IMAGE_TAG:-latest}
version=${VERSION:-$(sed -n 's/^version = "\(.*\)"$/\1/p' crud/user/Cargo.toml | head -n 1)}
git_sha=$(git rev-parse HEAD)
rust_services=(user question history matching collaboration chat)

log() { printf '[images] %s\n' "$*" >&2; }

bash scripts/containers/base-images.sh

# HTTPS from inside a build (cargo, npm) needs this machine's CA bundle; a normal CI needs
# nothing of the kind, and the Dockerfiles don't mention it.
extra=()
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  extra+=(--volume /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro)
  # npm trusts only Node's own CAs unless told: the node image's global npmrc says so.
  mkdir -p .local/containers
  printf 'cafile=/etc/ssl/certs/ca-certificates.crt\n' >.local/containers/npmrc
  extra+=(--volume "$PWD/.local/containers/npmrc:/usr/local/etc/npmrc:ro")
fi

build() { # name
  local name=$1 started=$SECONDS
  log "building $prefix$name:$tag"
  podman build --format docker --pull=never --platform linux/amd64 "${extra[@]}" \
    --build-arg "RUST_BUILDER=${prefix}rust-builder" --build-arg "RUST_BUILDER_TAG=$tag" \
    --build-arg "VERSION=$version" --build-arg "GIT_SHA=$git_sha" \
    -f "docker/$name.Dockerfile" -t "$prefix$name:$tag" . >"/tmp/peerprep-image-$name.log" 2>&1 || {
    tail -n 30 "/tmp/peerprep-image-$name.log" >&2
    log "error: $name did not build (log: /tmp/peerprep-image-$name.log)"
    return 1
  }
  log "built $prefix$name:$tag in $((SECONDS - started)) s"
}

names=("$@")
[ "${#names[@]}" -gt 0 ] || names=(rust-builder "${rust_services[@]}" frontend)
for name in "${names[@]}"; do
  build "$name"
done

for name in "${names[@]}"; do
  [ "$name" = rust-builder ] && continue
  podman image inspect --format "{{.Size}}" "$prefix$name:$tag" |
    awk -v name="$prefix$name:$tag" '{ printf "[images] %-28s %6.1f MB\n", name, $1 / 1e6 }' >&2
done
