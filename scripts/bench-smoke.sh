#!/usr/bin/env bash
# `make test`'s run of the load generator: every scenario once, at a two-hundredth of its
# size, for 2 s, against the debug builds `make test` has just made, with no profiles. It
# proves that `make bench` works on a fresh machine (its tools install, every scenario
# starts what it needs, loads it and is measured) and that no run fails; the figures of a
# debug build at this size mean nothing, so none is judged. Timing lives in `make bench`.
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_PROFILES=0 bash scripts/bench-tools.sh
cargo build --locked --quiet --bins
out=.local/bench-smoke
rm -rf "$out"
ulimit -n "$(ulimit -Hn)"
target/debug/peerprep-bench --runs 1 --seconds 2 --scale 0.005 --no-profile --out "$out"

python3 - "$out/latest.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
names = [s["name"] for s in report["scenarios"]]
failed = [(s["name"], f) for s in report["scenarios"] for f in s["failures"]]
for name, failure in failed:
    print(f"bench smoke: {name} failed: {failure}", file=sys.stderr)
if len(names) != 9 or failed:
    sys.exit(f"bench smoke: {len(names)} scenarios reported, {len(failed)} failed")
print(f"bench smoke: {len(names)} scenarios ran and reported")
PY
