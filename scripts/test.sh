#!/usr/bin/env bash
# `make test`: every check and every test, as CI runs them. Installs or starts what it
# needs (PostgreSQL, Redis, shellcheck) and says clearly what it could not.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null || die "cargo is missing: install Rust (https://rustup.rs) and run again"
cargo fmt --version >/dev/null 2>&1 || die "rustfmt is missing: rustup component add rustfmt"
cargo clippy --version >/dev/null 2>&1 || die "clippy is missing: rustup component add clippy"

step "PostgreSQL and Redis"
bash scripts/ensure-services.sh

# Databases left by an interrupted earlier run (each test drops its own when it ends).
psql "${TEST_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/postgres}" -Atqc \
  "SELECT datname FROM pg_database WHERE datname LIKE 'test\_%'" 2>/dev/null |
  while read -r name; do
    psql "${TEST_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/postgres}" -qc \
      "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null 2>&1 || true
  done

step "shell scripts (shellcheck)"
if ! command -v shellcheck >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    (DEBIAN_FRONTEND=noninteractive apt-get update -qq && apt-get install -y -qq shellcheck) >/dev/null 2>&1 || true
  fi
fi
if command -v shellcheck >/dev/null; then
  shellcheck scripts/*.sh scripts/*/*.sh docker/dev/*.sh docker/base/*/*.sh .ci/run
else
  die "shellcheck is missing and could not be installed: apt-get install shellcheck"
fi

step "containers: Dockerfiles (hadolint, checkov), compose files (yamllint, docker compose config)"
bash scripts/containers/lint.sh

step "deploy: Terraform (every file parsed, the policy tests, checkov), then the workflows (GitHub's schema, yamllint, the deploy steps' order, checkov)"
bash scripts/deploy/check-terraform.sh
bash scripts/deploy/check-workflows.sh

step "structure (no import cycles between modules, no file over 400 lines without a reason)"
python3 scripts/check-structure.py

step "error codes (every code the services answer is in the README's table, and only those)"
python3 scripts/check-error-codes.py

step "formatting (cargo fmt)"
cargo fmt --all -- --check

step "lints (cargo clippy -D warnings)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "stock Yjs clients for the collaboration tests (npm)"
if ! command -v npm >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    (DEBIAN_FRONTEND=noninteractive apt-get update -qq && apt-get install -y -qq nodejs npm) >/dev/null
  fi
fi
command -v npm >/dev/null || die "Node.js and npm are needed for the stock Yjs client tests: apt-get install nodejs npm"
npm ci --prefix realtime/collaboration/tests/js --no-audit --no-fund --loglevel=error

step "frontend: type check, ESLint, Vitest, build (npm)"
npm ci --prefix frontend --no-audit --no-fund --loglevel=error
npm --prefix frontend run check

step "build the services"
cargo build --workspace --bins --locked

step "API contract (schemathesis against the OpenAPI documents of the CRUD services and chat)"
bash scripts/schemathesis.sh

step "tests"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --locked --no-fail-fast
else
  echo "(cargo-nextest not found; using cargo test)"
  cargo test --workspace --locked --no-fail-fast
fi

step "the load generator once, tiny and in debug builds (make bench's every scenario runs and writes its report; no figure is judged here)"
bash scripts/bench-smoke.sh

step "the whole stack as make up runs it, through nginx (scripts/stack-smoke.sh)"
bash scripts/stack-smoke.sh

step "the README's examples: every block twice, each in a fresh shell, against the stack as make up runs it (scripts/readme-examples.sh)"
bash scripts/readme-examples.sh

step "browser tests: two people in Debian's chromium against the stack as make up runs it (scripts/e2e.sh)"
bash scripts/e2e.sh

step "containers: every image built with podman from docker/*.Dockerfile, run as non-root and healthy"
bash scripts/containers/build-images.sh
bash scripts/containers/check-images.sh

step "deploy: 01-build-and-push-images.sh builds and pushes into a registry on this machine, twice"
bash scripts/deploy/check-push.sh

step "containers: the compose stack with podman: healthy, two people through nginx, hot reload"
bash scripts/containers/check-compose.sh

step "containers: the production overlay with podman: images by tag, TLS-only data stores, two people through nginx"
bash scripts/containers/check-compose-prod.sh
