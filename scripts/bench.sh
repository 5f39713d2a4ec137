#!/usr/bin/env bash
# `make bench`: installs what the load generator needs (PostgreSQL and Redis, wrk, pgbench,
# perf from Debian; inferno from crates.io into bench/.tools; the reference server and the
# stock Yjs client from npm into bench/reference), builds every service and the generator in
# release, and runs it. Arguments go to the generator (`make bench ARGS="--runs 1"`); the
# report is bench/report/latest.md and latest.json.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[bench] %s\n' "$*" >&2; }

bash scripts/bench-tools.sh
export PATH="$PWD/bench/.tools/bin:$PATH"

say "building the services and the generator (release)"
cargo build --release --locked --quiet --bins

# Thousands of websockets at once, on both ends.
ulimit -n "$(ulimit -Hn)"
exec target/release/peerprep-bench "$@"
