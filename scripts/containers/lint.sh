#!/usr/bin/env bash
# The container files' static checks, without building or running anything:
#   hadolint      every Dockerfile and base-image Containerfile (.hadolint.yaml)
#   checkov       the Dockerfiles' policies (framework dockerfile, offline)
#   yamllint      the compose files (.yamllint.yaml)
#   compose       `docker compose config -q` for the development stack, each service's file
#                 alone, and the production overlay: with every variable it needs set, and
#                 refused, with the variable's own message, when one is missing.
# Called by `make test` (which shellchecks the scripts and entrypoints); installs its tools
# (scripts/containers/tools.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."

PATH="$(bash scripts/containers/tools.sh):$PATH"
log() { printf '[lint] %s\n' "$*" >&2; }
die() { printf '[lint] FAILED: %s\n' "$*" >&2; exit 1; }

mapfile -t dockerfiles < <(ls docker/*.Dockerfile docker/base/*.Containerfile)
hadolint "${dockerfiles[@]}" || die "hadolint"
log "hadolint: ${#dockerfiles[@]} files clean"

checkov --quiet --compact --skip-download --framework dockerfile -d docker >/tmp/peerprep-checkov.txt 2>&1 || {
  cat /tmp/peerprep-checkov.txt >&2
  die "checkov found Dockerfile policy failures"
}
log "checkov: $(grep -o 'Passed checks: [0-9]*, Failed checks: [0-9]*' /tmp/peerprep-checkov.txt | head -n 1 || echo 'no findings')"

yamllint --strict docker-compose.yml docker-compose.prod.yml docker/compose/ || die "yamllint"
log "yamllint: the compose files are clean"

# Compose needs no engine for `config`; it must not see a DOCKER_HOST it would try.
unset DOCKER_HOST
docker-compose config -q || die "docker-compose.yml does not validate"
for file in docker/compose/{user,question,history,matching,collaboration,chat,frontend}.yml; do
  docker-compose -f "$file" config -q || die "$file does not validate on its own"
done

# The production overlay: every variable it requires, with stand-in values.
# shellcheck disable=SC2016 # the ${NAME:? of compose, not of the shell
required=$(grep -v '^ *#' docker-compose.prod.yml | grep -o '\${[A-Z_]*:?' | sed 's/^\${\(.*\):?$/\1/' | sort -u)
[ -n "$required" ] || die "docker-compose.prod.yml requires no variable: it reads no secret?"
env_file=$(mktemp)
without=$(mktemp)
trap 'rm -f "$env_file" "$without"' EXIT
for name in $required; do
  case "$name" in
    *_FILE) printf '%s=/stand-in/%s\n' "$name" "$name" ;; # a path, not a volume's name
    *) printf '%s=stand-in\n' "$name" ;;
  esac
done >"$env_file"
prod=(-f docker-compose.yml -f docker-compose.prod.yml)
docker-compose "${prod[@]}" --env-file "$env_file" config -q || die "the production overlay does not validate"
services=$(docker-compose "${prod[@]}" --env-file "$env_file" config --services | sort | tr '\n' ' ')
[ "$services" = "chat collaboration frontend history matching question user " ] ||
  die "the production overlay would start: $services(no local data store, no Vite dev server)"
for name in $required; do
  grep -v "^$name=" "$env_file" >"$without"
  if message=$(env -u "$name" docker-compose "${prod[@]}" --env-file "$without" config -q 2>&1); then
    die "the production overlay validates without $name"
  fi
  [[ $message == *"$name"* ]] || die "without $name the overlay fails without naming it: $message"
done
log "compose: the development stack and each service's file validate; the production overlay validates with its $(wc -w <<<"$required") variables and refuses each one missing"
