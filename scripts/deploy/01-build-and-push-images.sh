#!/usr/bin/env bash
# Builds PeerPrep's seven images from the shared Rust builder, scans them and pushes them:
# the pipeline's first steps, and an operator's way to put a version in a registry.
#   build  scripts/containers/build-images.sh with podman: docker/rust-builder.Dockerfile
#          once, then user ... chat and the frontend from it, named <prefix><image>:<tag>
#   scan   Trivy on each image (saved to a tarball first, so any engine's image works):
#          fails on a HIGH or CRITICAL vulnerability that has a fix
#   push   each image under --tag, and under every --extra-tag (a release's semver); a tag
#          the registry already has is left alone (ECR's tags are immutable), and said so
# With an ECR prefix (<account>.dkr.ecr.<region>.amazonaws.com/...) push logs podman in with
# `aws ecr get-login-password` first; any other registry needs `podman login` beforehand.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/deploy/01-build-and-push-images.sh --prefix PREFIX --tag TAG
         [--extra-tag TAG]... [--base-images stand-ins|pull] [build] [scan] [push]

  --prefix PREFIX     registry and path the image names start with, ending in / (the
                      Terraform output image_prefix), e.g.
                      123456789012.dkr.ecr.eu-west-1.amazonaws.com/peerprep-staging/
  --tag TAG           the tag every image gets: the git SHA (default: git rev-parse HEAD)
  --extra-tag TAG     one more tag to push, e.g. v1.4.0 on a release (repeatable)
  --base-images MODE  pull: the real base images from their registries (default);
                      stand-ins: build them locally (machines without a registry)
  build scan push     the stages to run, in this order (default: all three)

Needs podman (installed by scripts/containers/ensure-podman.sh when missing), trivy for
scan, and the aws CLI for push to ECR. Nothing account-specific is built in: the prefix says
where the images go.
USAGE
}

prefix=""
tag=""
extra_tags=()
base_images=pull
stages=()
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=${2:?--prefix needs a value}; shift 2 ;;
    --tag) tag=${2:?--tag needs a value}; shift 2 ;;
    --extra-tag) extra_tags+=("${2:?--extra-tag needs a value}"); shift 2 ;;
    --base-images) base_images=${2:?--base-images needs a value}; shift 2 ;;
    build | scan | push) stages+=("$1"); shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/../.."

log() { printf '[01-images] %s\n' "$*" >&2; }
die() { printf '[01-images] error: %s\n' "$*" >&2; exit 1; }

[ -n "$prefix" ] || { usage >&2; die "--prefix is required"; }
case "$prefix" in */) ;; *) die "--prefix must end in / (got $prefix)" ;; esac
[ -n "$tag" ] || tag=$(git rev-parse HEAD)
for name in "$tag" "${extra_tags[@]}"; do
  [[ $name =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "not a valid image tag: $name"
done
case "$base_images" in stand-ins | pull) ;; *) die "--base-images must be stand-ins or pull" ;; esac
[ "${#stages[@]}" -gt 0 ] || stages=(build scan push)

images=(user question history matching collaboration chat frontend)

build() {
  IMAGE_PREFIX=$prefix IMAGE_TAG=$tag BASE_IMAGES=$base_images bash scripts/containers/build-images.sh
}

scan() {
  command -v trivy >/dev/null ||
    die "trivy is needed to scan: https://aquasecurity.github.io/trivy (the pipeline installs it)"
  local work image found=0
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  for image in "${images[@]}"; do
    log "scanning $prefix$image:$tag"
    podman save --format docker-archive -o "$work/$image.tar" "$prefix$image:$tag"
    if ! trivy image --input "$work/$image.tar" --scanners vuln --severity HIGH,CRITICAL \
      --ignore-unfixed --exit-code 1 --no-progress; then
      log "$image has HIGH or CRITICAL vulnerabilities with a fix (above)"
      found=1
    fi
    rm -f "$work/$image.tar"
  done
  [ "$found" = 0 ] || die "the scan failed: rebuild on patched base images or update the dependency"
}

registry_login() {
  local registry=${prefix%%/*} region
  if [[ $registry =~ ^[0-9]{12}\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$ ]]; then
    region=${BASH_REMATCH[1]}
    command -v aws >/dev/null || die "the aws CLI is needed to log in to $registry"
    log "logging in to $registry"
    aws ecr get-login-password --region "$region" |
      podman login --username AWS --password-stdin "$registry" >/dev/null
  fi
}

push() {
  registry_login
  local image name ref
  for image in "${images[@]}"; do
    for name in "$tag" "${extra_tags[@]}"; do
      ref="$prefix$image:$name"
      if podman manifest inspect "$ref" >/dev/null 2>&1; then
        log "$ref is already in the registry: left as it is (tags are immutable)"
        continue
      fi
      [ "$name" = "$tag" ] || podman tag "$prefix$image:$tag" "$ref"
      log "pushing $ref"
      podman push --quiet "$ref"
    done
  done
}

for stage in "${stages[@]}"; do
  started=$SECONDS
  "$stage"
  log "$stage done in $((SECONDS - started)) s"
done
