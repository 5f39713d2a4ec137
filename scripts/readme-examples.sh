#!/usr/bin/env bash
# The README's example blocks, each run twice in a fresh shell (scripts/readme_examples.py),
# against the stack as `make up` runs it: started here in the background (`make
# up-detached`) on the README's ports, and always stopped after (`make down`), pass or fail
# (`start_own_stack` in stack-lib.sh, which also raises the sign-up limits per address:
# every round of the examples signs up about ten people from 127.0.0.1).
#
#   README_ONLY=<text>   run only the blocks whose heading contains it
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/stack-lib.sh
. scripts/stack-lib.sh

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

start_own_stack || die "the stack did not start"

args=()
[ -z "${README_ONLY:-}" ] || args=(--only "$README_ONLY")
python3 scripts/readme_examples.py "${args[@]}"
