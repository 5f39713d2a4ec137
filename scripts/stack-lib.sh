#!/usr/bin/env bash
# Helpers shared by up.sh, down.sh, stack-smoke.sh, e2e.sh and readme-examples.sh (sourced, not run).
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

# For a script that tests a stack of its own (e2e.sh, readme-examples.sh): checks that no
# stack runs and the ports are free, starts one with `make up-detached`, and stops it (`make
# down`) when the script exits, pass or fail. It allows more sign-ups and failed log-ins per
# address than make up's defaults (tests sign many people up from 127.0.0.1, and the counts
# outlive the stack in the database); a value set in the environment or in .env wins.
OWN_STACK=0
stop_own_stack() {
  if [ "$OWN_STACK" = 1 ]; then
    echo "[stack] stopping the stack (make down)" >&2
    make --no-print-directory down >&2 || echo "[stack] make down failed: stop the stack with: make down" >&2
  fi
}
start_own_stack() {
  local port
  if [ -f "$STACK_PIDS" ] && alive "$(awk 'NR == 1 {print $2}' "$STACK_PIDS")"; then
    echo "[stack] error: a stack is already running (see $STACK_PIDS): stop it with make down" >&2
    return 1
  fi
  for port in "${STACK_PORTS[@]}"; do
    if port_open "$port"; then
      echo "[stack] error: port $port is taken; the stack needs ${STACK_PORTS[*]} free" >&2
      return 1
    fi
  done
  trap stop_own_stack EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  export SIGNUP_MAX_PER_ADDRESS="${SIGNUP_MAX_PER_ADDRESS:-1000}"
  export LOGIN_MAX_FAILURES_PER_ADDRESS="${LOGIN_MAX_FAILURES_PER_ADDRESS:-1000}"
  echo "[stack] starting the stack (make up-detached)" >&2
  OWN_STACK=1
  if ! make --no-print-directory up-detached >&2; then
    echo "[stack] error: the stack did not start (see $STACK_LOGS/up.log)" >&2
    return 1
  fi
}
