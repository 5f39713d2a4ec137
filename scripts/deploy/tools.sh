#!/usr/bin/env bash
# Installs the deployment checks' tools from PyPI into .local/venv-deploy (once; again when
# the pinned versions change) and prints the venv's bin directory:
#   python-hcl2 (parses terraform/ for the policy tests), pytest (runs them),
#   check-jsonschema (GitHub's workflow schema ships inside it; no download).
# A venv of its own: checkov, in .local/venv-containers, brings a fork of python-hcl2 that
# installs the same `hcl2` module.
# Usage: PATH="$(bash scripts/deploy/tools.sh):$PATH"
set -euo pipefail
cd "$(dirname "$0")/../.."

packages=(python-hcl2==8.1.4 pytest==9.2.0 check-jsonschema==0.39.0 PyYAML==6.0.3)
venv=.local/venv-deploy

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
