#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on 127.0.0.1, installing them from Debian's
# packages and starting them where they are missing or stopped. Used by `make up` and
# `make test`; safe to run again and again.
#
# PostgreSQL is reached as postgres:postgres@127.0.0.1:5432 (trust auth ignores the
# password; a fresh install gets the password set so that scram auth accepts it).
set -euo pipefail

PG_URL="${TEST_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/postgres}"
REDIS_PORT=6379

say() { printf '[services] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

apt_updated=0
apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    die "$* is missing and installing it needs root: run as root or install it with: sudo apt-get install -y $*"
  fi
  command -v apt-get >/dev/null || die "$* is missing and there is no apt-get to install it with"
  if [ "$apt_updated" = 0 ]; then
    say "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    apt_updated=1
  fi
  say "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

pg_answers() { psql "$PG_URL" -Atqc 'SELECT 1' >/dev/null 2>&1; }

ensure_postgres() {
  command -v psql >/dev/null && pg_answers && { say "PostgreSQL is up"; return; }
  if ! command -v pg_ctlcluster >/dev/null || ! command -v psql >/dev/null; then
    apt_install postgresql postgresql-client
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    local version
    version=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)
    if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
      say "creating PostgreSQL $version cluster"
      pg_createcluster "$version" main >/dev/null
    fi
    local cluster
    cluster=$(pg_lsclusters -h | head -n 1 | awk '{print $1" "$2}')
    say "starting PostgreSQL cluster $cluster"
    # shellcheck disable=SC2086
    pg_ctlcluster --skip-systemctl-redirect $cluster start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    pg_isready -q -h 127.0.0.1 -p 5432 || die "PostgreSQL did not start; see /var/log/postgresql/"
  fi
  if ! pg_answers; then
    [ "$(id -u)" -eq 0 ] || die "cannot log in to PostgreSQL as postgres:postgres; set TEST_DATABASE_URL to a superuser URL"
    say "setting the local postgres user's password for password logins"
    runuser -u postgres -- psql -qc "ALTER USER postgres PASSWORD 'postgres'" >/dev/null
  fi
  pg_answers || die "PostgreSQL runs but $PG_URL does not log in"
  say "PostgreSQL is up"
}

redis_answers() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; }

ensure_redis() {
  command -v redis-cli >/dev/null && redis_answers && { say "Redis is up"; return; }
  command -v redis-server >/dev/null || apt_install redis-server
  say "starting Redis on 127.0.0.1:$REDIS_PORT"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /tmp --logfile /tmp/peerprep-redis.log
  for _ in $(seq 1 20); do redis_answers && break; sleep 0.5; done
  redis_answers || die "Redis did not start; see /tmp/peerprep-redis.log"
  say "Redis is up"
}

ensure_postgres
ensure_redis
