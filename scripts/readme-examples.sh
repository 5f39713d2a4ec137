#!/usr/bin/env bash
# The README's example blocks, each run twice in a fresh shell (scripts/readme_examples.py),
# against the stack as `make up` runs it: started here in the background (`make
# up-detached`) on the README's ports, and always stopped after (`make down`), pass or fail.
# The stack allows more sign-ups and failed log-ins per address than make up's defaults
# (every round of the examples signs up about ten people from 127.0.0.1, and the counts
# outlive the stack in the database); a value set in the environment or in .env wins.
#
#   README_ONLY=<text>   run only the blocks whose heading contains it
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[readme] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

for tool in jq curl openssl; do
  if ! command -v "$tool" >/dev/null; then
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
      die "$tool is missing: apt-get install $tool"
    fi
    say "installing $tool (Debian's package)"
    (DEBIAN_FRONTEND=noninteractive apt-get update -qq && apt-get install -y -qq "$tool") >/dev/null
  fi
done
command -v npm >/dev/null || die "the examples need Node.js and npm"

ours=0
stop_ours() {
  if [ "$ours" = 1 ]; then
    say "stopping the stack (make down)"
    make --no-print-directory down >&2 || say "make down failed: stop the stack with: make down"
  fi
}
trap stop_ours EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export SIGNUP_MAX_PER_ADDRESS="${SIGNUP_MAX_PER_ADDRESS:-1000}"
export LOGIN_MAX_FAILURES_PER_ADDRESS="${LOGIN_MAX_FAILURES_PER_ADDRESS:-1000}"
say "starting the stack (make up-detached)"
ours=1
make --no-print-directory up-detached >&2

args=()
[ -z "${README_ONLY:-}" ] || args=(--only "$README_ONLY")
python3 scripts/readme_examples.py "${args[@]}"
