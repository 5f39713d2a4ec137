#!/usr/bin/env bash
# The browser tests (e2e/): playwright-core drives Debian's chromium (installed with apt-get
# when missing; never a downloaded browser) against the whole stack as `make up` runs it,
# started here in the background (`make up-detached`) and always stopped after (`make down`),
# pass or fail. Screenshots of each step go to e2e/screenshots/. Then the deploy pipeline's
# check, scripts/deploy/04-verify-deployment.sh, runs against the same stack.
#
#   E2E_BASE_URL=<url>   test a stack that already runs there instead (it is left running)
#   E2E_CHROMIUM=<path>  the browser (default /usr/bin/chromium)
#
# The stack started here differs from `make up`'s defaults in two ways (a value set in the
# environment or in .env wins): it allows more sign-ups and failed log-ins per address
# (SIGNUP_MAX_PER_ADDRESS, LOGIN_MAX_FAILURES_PER_ADDRESS: each run signs up seven people
# from 127.0.0.1, and the counts outlive the stack in the database), and a search widens and
# times out in seconds rather than a minute (RELAX_DIFFICULTY_AFTER_SECS 3,
# RELAX_TOPICS_AFTER_SECS 6, MATCH_TIMEOUT_SECS 10).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/stack-lib.sh
. scripts/stack-lib.sh

CHROMIUM="${E2E_CHROMIUM:-/usr/bin/chromium}"
SHOTS="$PWD/e2e/screenshots"

say() { printf '[e2e] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

started=$SECONDS

if [ ! -x "$CHROMIUM" ]; then
  [ -z "${E2E_CHROMIUM:-}" ] || die "E2E_CHROMIUM=$CHROMIUM is not an executable"
  [ "$(id -u)" -eq 0 ] || die "chromium is missing and installing it needs root: sudo apt-get install -y chromium"
  command -v apt-get >/dev/null || die "chromium is missing and there is no apt-get to install it with"
  say "apt-get update"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  say "installing chromium (Debian's package)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  [ -x "$CHROMIUM" ] || die "chromium did not install to $CHROMIUM"
fi
command -v npm >/dev/null || die "the browser tests need Node.js 20.19+ and npm (as the frontend does)"

say "installing the test runner's packages (npm ci in e2e/; no browser download)"
(cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)

rm -rf "$SHOTS"
mkdir -p "$SHOTS"

if [ -n "${E2E_BASE_URL:-}" ]; then
  base="${E2E_BASE_URL%/}"
  say "testing the stack at $base (left running)"
else
  base=http://127.0.0.1:8080
  export MATCH_TIMEOUT_SECS="${MATCH_TIMEOUT_SECS:-10}"
  export RELAX_DIFFICULTY_AFTER_SECS="${RELAX_DIFFICULTY_AFTER_SECS:-3}"
  export RELAX_TOPICS_AFTER_SECS="${RELAX_TOPICS_AFTER_SECS:-6}"
  start_own_stack || die "no stack of our own (or test a running one with E2E_BASE_URL=$base)"
fi

say "running the browser tests against $base ($CHROMIUM)"
tests_started=$SECONDS
status=0
(cd e2e && E2E_BASE_URL="$base" E2E_CHROMIUM="$CHROMIUM" E2E_SCREENSHOTS="$SHOTS" \
  node --test --test-concurrency=1 --test-reporter=spec tests/*.test.mjs) || status=$?

say "browser tests: $((SECONDS - tests_started))s; in all: $((SECONDS - started))s; screenshots in e2e/screenshots/"
[ "$status" = 0 ] || die "the browser tests failed (screenshots of the failed steps: e2e/screenshots/*/failed-*.png; logs: $STACK_LOGS/)"
say "all browser tests passed"

say "the deploy verification against the same stack (scripts/deploy/04-verify-deployment.sh)"
bash scripts/deploy/04-verify-deployment.sh --url "$base" --wait 60 ||
  die "04-verify-deployment.sh failed against the stack make up started (logs: $STACK_LOGS/)"
