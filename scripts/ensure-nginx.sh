#!/usr/bin/env bash
# Makes sure an nginx binary is installed (Debian's package, with apt-get, when missing).
# `make up` runs it as its own process with a config under .local/, never as the system
# service.
set -euo pipefail

say() { printf '[nginx] %s\n' "$*" >&2; }

command -v nginx >/dev/null && exit 0
if [ "$(id -u)" -ne 0 ]; then
  say "error: nginx is missing and installing it needs root: sudo apt-get install -y nginx"
  exit 1
fi
command -v apt-get >/dev/null || { say "error: nginx is missing and there is no apt-get"; exit 1; }
say "apt-get update"
DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
say "installing nginx"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
command -v nginx >/dev/null || { say "error: nginx did not install"; exit 1; }
