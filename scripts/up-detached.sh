#!/usr/bin/env bash
# `make up-detached`: starts the stack as `make up` does, in the background (its own
# session, so this terminal's Ctrl-C does not reach it), waits until it is ready, prints
# the ready line and returns. Its output goes to .local/logs/up.log; `make down` stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/stack-lib.sh
. scripts/stack-lib.sh

if [ -f "$STACK_PIDS" ] && alive "$(awk 'NR == 1 {print $2}' "$STACK_PIDS")"; then
  echo "[up] error: a stack is already running (see $STACK_PIDS); stop it with: make down" >&2
  exit 1
fi
mkdir -p "$STACK_LOGS"
log="$STACK_LOGS/up.log"
setsid bash scripts/up.sh </dev/null >"$log" 2>&1 &
up=$!
echo "[up] starting in the background (output: $log); make down stops it"
# Building may take minutes the first time.
for _ in $(seq 1 1800); do
  if grep -q '^\[up\] ready: ' "$log"; then
    grep '^\[up\] ready: ' "$log"
    exit 0
  fi
  if ! alive "$up"; then
    tail -n 30 "$log" >&2
    echo "[up] error: the stack did not start (output: $log)" >&2
    exit 1
  fi
  sleep 1
done
echo "[up] error: the stack was not ready after 30 minutes; stopping it" >&2
bash scripts/down.sh
exit 1
