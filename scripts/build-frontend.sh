#!/usr/bin/env bash
# Builds the frontend for `make up` and prints the folder nginx serves:
#   FRONTEND_DIST set         that folder, as it is (nothing is built)
#   <app>/package.json        `npm ci` (only when the lock file changed since the last
#                             install: it wipes node_modules) and `npm run build`: <app>/dist
#   neither                   <placeholder>/index.html, a page saying the app is not built
# Usage: build-frontend.sh <app folder> <placeholder folder> <log file>
set -euo pipefail
app=$1 placeholder=$2 log=$3

die() { printf '[up] error: %s\n' "$*" >&2; exit 1; }

if [ -n "${FRONTEND_DIST:-}" ]; then
  root=$(realpath "$FRONTEND_DIST")
elif [ -f "$app/package.json" ]; then
  command -v npm >/dev/null || die "$app needs Node.js 20.19+ and npm to build"
  printf '[up] building the frontend (log: %s)\n' "$log" >&2
  {
    if [ ! -f "$app/node_modules/.package-lock.json" ] ||
      [ "$app/package-lock.json" -nt "$app/node_modules/.package-lock.json" ]; then
      (cd "$app" && npm ci --no-audit --no-fund)
    fi
    (cd "$app" && npm run build)
  } >"$log" 2>&1 || { tail -n 20 "$log" >&2; die "the frontend did not build (log: $log)"; }
  root=$(realpath "$app/dist")
else
  mkdir -p "$placeholder"
  root=$(realpath "$placeholder")
  printf '%s\n' '<!doctype html><html lang="en"><head><meta charset="utf-8">' \
    '<title>PeerPrep</title></head><body><h1>PeerPrep</h1>' \
    "<p>The frontend is not built yet (there is no $app/package.json)." \
    'The services answer under /user-service-api/ and the other prefixes.</p></body></html>' \
    >"$root/index.html"
fi
[ -f "$root/index.html" ] || die "$root/index.html does not exist"
printf '%s\n' "$root"
