#!/usr/bin/env bash
# Helpers shared by up.sh, down.sh and stack-smoke.sh (sourced, not run).
# shellcheck disable=SC2034 # the variables are for the scripts that source this

STACK_PIDS=.local/stack.pids   # "<name> <pid>" per line; the first is up.sh itself
STACK_LOGS=.local/logs         # <name>.log per process
# The ports the stack listens on: nginx, then every service process.
STACK_PORTS=(8080 8001 8002 8003 8004 8005 8006 8013 8015 8016)

# Whether a process runs (a zombie, dead but not yet reaped, does not).
alive() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ $state != Z* ]]
}

# Whether something accepts connections on 127.0.0.1:<port>.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Sends TERM to the given pids, waits up to <seconds> for them to end, then KILLs the rest.
# Usage: stop_pids <seconds> <pid>...
stop_pids() {
  local seconds=$1 pid left
  shift
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 $((seconds * 5))); do
    left=0
    for pid in "$@"; do alive "$pid" && left=1; done
    [ "$left" = 0 ] && return 0
    sleep 0.2
  done
  for pid in "$@"; do
    if alive "$pid"; then
      echo "[stack] process $pid did not stop within ${seconds}s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}
