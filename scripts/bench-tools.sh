#!/usr/bin/env bash
# What the load generator (bench/) needs, installed where missing: PostgreSQL and Redis,
# wrk, pgbench and perf from Debian; inferno (flamegraphs) from crates.io into
# bench/.tools; the reference server and the stock Yjs client from npm into
# bench/reference. Used by `make bench` and by `make test`'s smoke run of the generator
# (BENCH_PROFILES=0: no flamegraphs, so no inferno).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[bench] %s\n' "$*" >&2; }

bash scripts/ensure-services.sh

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v pgbench >/dev/null || missing+=(postgresql)  # pgbench ships with the server package
[ "${BENCH_PROFILES:-1}" = 0 ] || command -v perf >/dev/null || missing+=(linux-perf)
command -v node >/dev/null || missing+=(nodejs npm)
if [ "${#missing[@]}" -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || { say "missing: ${missing[*]}; install them: sudo apt-get install -y ${missing[*]}"; exit 1; }
  say "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

tools=bench/.tools
if [ "${BENCH_PROFILES:-1}" = 1 ] && [ ! -x "$tools/bin/inferno-flamegraph" ]; then
  say "installing inferno 0.12.3 (flamegraphs) into $tools"
  cargo install --locked --quiet inferno --version 0.12.3 --no-default-features --features cli --root "$tools"
fi

if [ ! -d bench/reference/node_modules/@y/websocket-server ]; then
  say "installing the reference server and the stock Yjs client (npm ci)"
  (cd bench/reference && npm ci --no-audit --no-fund --loglevel=error)
fi

