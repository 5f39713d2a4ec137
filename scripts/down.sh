#!/usr/bin/env bash
# `make down`: stops a stack `make up` started (in the background, or in another
# terminal): asks up.sh to stop, which stops its processes, then makes sure every process
# listed in .local/stack.pids has ended.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/stack-lib.sh
. scripts/stack-lib.sh

if [ ! -f "$STACK_PIDS" ]; then
  echo "[down] no stack is running ($STACK_PIDS does not exist)"
  exit 0
fi
# Only pids still running the program they were started as (a pid may be reused).
listed=()
while read -r name pid; do
  case $name in
    up) program=scripts/up.sh ;;
    nginx) program=nginx ;;
    *) program=-service ;;
  esac
  if alive "$pid" && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$program"; then
    listed+=("$pid")
  fi
done <"$STACK_PIDS"

echo "[down] stopping the stack"
if [ "${#listed[@]}" -gt 0 ]; then
  # up.sh is first: it stops the others; whatever is left after it is stopped here.
  stop_pids 60 "${listed[0]}"
  stop_pids 40 "${listed[@]}"
fi
rm -f "$STACK_PIDS"
echo "[down] stopped"
