#!/usr/bin/env bash
# Builds the base images PeerPrep's Dockerfiles name, as local stand-ins, where no image
# registry is reachable (these machines): Debian bookworm from Debian's packages
# (mmdebstrap, then podman import), and on it the small Containerfiles in docker/base/.
# A tag that already exists is kept; FORCE=1 rebuilds them all. With a registry (the deploy
# pipeline, a laptop with Docker) none of this is needed: BASE_IMAGES=pull pulls the real
# images instead, and that is what an image that ships must be built on.
#
#   docker.io/library/debian:bookworm-slim      mmdebstrap --variant=apt, without docs
#   docker.io/library/rust:1.95-slim-bookworm   + gcc and this machine's Rust 1.95 toolchain
#   docker.io/library/node:20-bookworm-slim     + this machine's Node 20 and npm
#   docker.io/library/nginx:1.28-bookworm       Debian's nginx in the official image's layout
#   gcr.io/distroless/cc-debian12:nonroot       libc, libgcc, CA bundle, user 65532; no shell
#   docker.io/library/postgres:15-bookworm      Debian's PostgreSQL 15, the official entrypoint's variables
#   docker.io/library/redis:7-bookworm          Debian's Redis 7.0 in the official image's layout
set -euo pipefail
cd "$(dirname "$0")/../.."

log() { printf '[base-images] %s\n' "$*" >&2; }
die() { printf '[base-images] error: %s\n' "$*" >&2; exit 1; }

bash scripts/containers/ensure-podman.sh

debian=docker.io/library/debian:bookworm-slim
rust=docker.io/library/rust:1.95-slim-bookworm
node=docker.io/library/node:20-bookworm-slim
nginx=docker.io/library/nginx:1.28-bookworm
distroless=gcr.io/distroless/cc-debian12:nonroot
postgres=docker.io/library/postgres:15-bookworm
redis=docker.io/library/redis:7-bookworm

if [ "${BASE_IMAGES:-stand-ins}" = pull ]; then
  for image in "$debian" "$rust" "$node" "$nginx" "$distroless" "$postgres" "$redis"; do
    log "pulling $image"
    podman pull --quiet "$image" >/dev/null
  done
  exit 0
fi
[ "${BASE_IMAGES:-stand-ins}" = stand-ins ] || die "BASE_IMAGES must be stand-ins or pull"

# True when $1 must be built.
wanted() {
  [ "${FORCE:-0}" = 1 ] || ! podman image exists "$1"
}

build() { # tag containerfile [podman build options...]
  local tag=$1 file=$2
  shift 2
  log "building $tag from $file"
  local started=$SECONDS
  podman build --quiet --format docker --pull=never -f "$file" -t "$tag" "$@" docker/base >/dev/null
  log "built $tag in $((SECONDS - started)) s"
}

if wanted "$debian"; then
  log "building $debian with mmdebstrap"
  started=$SECONDS
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  mirror=http://deb.debian.org/debian
  # shellcheck disable=SC2016 # the hook's $1 (the root directory) is mmdebstrap's to expand
  mmdebstrap --quiet --variant=apt \
    --aptopt='Acquire::Languages "none"' \
    --aptopt='APT::Install-Recommends "false"' \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
    bookworm "$work/rootfs.tar" \
    "deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
    "deb http://deb.debian.org/debian-security bookworm-security main"
  podman import --quiet --change 'CMD ["bash"]' "$work/rootfs.tar" "$debian" >/dev/null
  rm -rf "$work"
  trap - EXIT
  log "built $debian in $((SECONDS - started)) s"
fi

if wanted "$rust"; then
  sysroot=$(rustc --print sysroot)
  version=$(rustc --version)
  case "$version" in
    "rustc 1.95."*) ;;
    *) die "the machine's rustc is '$version', the stand-in needs 1.95" ;;
  esac
  build "$rust" docker/base/rust.Containerfile --volume "$(realpath "$sysroot"):/toolchain:ro"
fi

if wanted "$node"; then
  node_bin=$(realpath "$(command -v node)")
  npm_dir=$(realpath "$(dirname "$(realpath "$(command -v npm)")")/..")
  case "$(node --version)" in
    v20.19.* | v20.2[0-9].* | v20.[3-9][0-9].*) ;;
    *) die "the machine's node is $(node --version); the stand-in needs 20.19+ (Vite 8)" ;;
  esac
  build "$node" docker/base/node.Containerfile \
    --volume "$node_bin:/host-node:ro" --volume "$npm_dir:/host-npm:ro"
fi

if wanted "$nginx"; then
  build "$nginx" docker/base/nginx.Containerfile
fi

if wanted "$distroless"; then
  build "$distroless" docker/base/distroless-cc.Containerfile
fi

if wanted "$postgres"; then
  build "$postgres" docker/base/postgres.Containerfile
fi

if wanted "$redis"; then
  build "$redis" docker/base/redis.Containerfile
fi

podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' |
  grep -E "^($debian|$rust|$node|$nginx|$distroless|$postgres|$redis) " >&2 || true
