#!/usr/bin/env bash
# Installs pinned Python tools from PyPI into a virtual environment of their own under
# .local/ (once; again when the pins change) and prints its bin directory. Every Python tool
# the checks use comes through here: schemathesis (scripts/schemathesis.sh), the container
# checks' (scripts/containers/tools.sh) and the deploy checks' (scripts/deploy/tools.sh),
# each in its own venv so that their dependencies never meet.
# Usage: scripts/python-tools.sh <venv name> <package==version>...
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 2 ]; then
  echo "usage: scripts/python-tools.sh <venv name> <package==version>..." >&2
  exit 2
fi
venv=.local/$1
shift
packages=("$@")

if [ "$(cat "$venv/.packages" 2>/dev/null)" != "${packages[*]}" ]; then
  if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
      echo "[python-tools] installing python3-venv" >&2
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv python3-pip >/dev/null
    else
      echo "[python-tools] error: python3 with venv is needed: apt-get install python3-venv" >&2
      exit 1
    fi
  fi
  echo "[python-tools] installing ${packages[*]} into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "${packages[@]}" >&2
  printf '%s\n' "${packages[*]}" >"$venv/.packages"
fi
printf '%s\n' "$PWD/$venv/bin"
