#!/usr/bin/env bash
# Updates each ECS service to the new image and waits until it is stable: the six Rust
# services side by side, then the frontend (its nginx resolves the services' names when it
# starts). Each service gets a task definition revision with the new image (see lib.sh) and
# rolls out as Terraform set it up: 50 % minimum healthy, 200 % maximum, the deployment
# circuit breaker with rollback. A service the circuit breaker rolled back fails the script,
# named. --record writes what each service ran before, so that --restore can put it back
# (the pipeline does so when the checks after the deploy fail).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/deploy/03-deploy-services.sh --cluster CLUSTER --prefix PREFIX --tag TAG
         [--services "user question history matching collaboration chat frontend"]
         [--record FILE]
       scripts/deploy/03-deploy-services.sh --cluster CLUSTER --restore FILE

  --cluster CLUSTER   the ECS cluster (Terraform output cluster_name), e.g. peerprep-staging
  --prefix PREFIX     the images' registry prefix (Terraform output image_prefix)
  --tag TAG           the image tag to deploy (the git SHA 01 pushed)
  --services LIST     the services to update (default: all seven, the frontend last)
  --record FILE       write "<service> <task definition ARN>" for what ran before
  --restore FILE      put each service of FILE back on its task definition, and wait

Needs the aws CLI (credentials for the account) and jq. Waits up to 10 minutes per group.
USAGE
}

cluster=""
prefix=""
tag=""
services="user question history matching collaboration chat frontend"
record=""
restore=""
while [ $# -gt 0 ]; do
  case "$1" in
    --cluster) cluster=${2:?--cluster needs a value}; shift 2 ;;
    --prefix) prefix=${2:?--prefix needs a value}; shift 2 ;;
    --tag) tag=${2:?--tag needs a value}; shift 2 ;;
    --services) services=${2:?--services needs a value}; shift 2 ;;
    --record) record=${2:?--record needs a value}; shift 2 ;;
    --restore) restore=${2:?--restore needs a value}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
LOG_NAME=03-deploy
# shellcheck source=scripts/deploy/lib.sh
. "$(dirname "$0")/lib.sh"
[ -n "$cluster" ] || { usage >&2; die "--cluster is required"; }
if [ -z "$restore" ] && { [ -z "$prefix" ] || [ -z "$tag" ]; }; then
  usage >&2
  die "--prefix and --tag are required (or --restore FILE)"
fi
require_tools

declare -A wanted=()

# Points each service at its task definition in wanted[], then waits for the group.
roll_out() { # service...
  local service
  for service in "$@"; do
    aws ecs update-service --cluster "$cluster" --service "$service" \
      --task-definition "${wanted[$service]}" --query 'service.serviceName' --output text >/dev/null
    log "$service: rolling out ${wanted[$service]##*/}"
  done
  # Polls every 15 s, 40 times. A rolled-back service is stable too: checked below.
  aws ecs wait services-stable --cluster "$cluster" --services "$@" ||
    die "not stable within 10 minutes: $*"
  local failed=0 primary
  for service in "$@"; do
    primary=$(aws ecs describe-services --cluster "$cluster" --services "$service" --output json |
      jq -r -f "$DEPLOY_JQ/primary-deployment.jq")
    if [ "$primary" = "${wanted[$service]} COMPLETED" ]; then
      log "$service: stable on ${wanted[$service]##*/}"
    else
      log "$service: not deployed (the circuit breaker rolled back?): primary is $primary"
      failed=1
    fi
  done
  [ "$failed" = 0 ] || die "a deployment failed; see each service's events: aws ecs describe-services --cluster $cluster --services <name>"
}

if [ -n "$restore" ]; then
  [ -s "$restore" ] || die "$restore is missing or empty"
  restored=()
  while read -r service definition; do
    [ -n "$service" ] || continue
    wanted[$service]=$definition
    restored+=("$service")
  done <"$restore"
  roll_out "${restored[@]}"
  log "restored: ${restored[*]}"
  exit 0
fi

[ -z "$record" ] || : >"$record"
backend=()
front=()
for service in $services; do
  described=$(describe_service "$cluster" "$service")
  [ -z "$record" ] || jq -r --arg name "$service" '"\($name) \(.services[0].taskDefinition)"' <<<"$described" >>"$record"
  wanted[$service]=$(register_revision "$described" "$service" "$prefix$service:$tag")
  if [ "$service" = frontend ]; then front+=("$service"); else backend+=("$service"); fi
done
[ "${#backend[@]}" = 0 ] || roll_out "${backend[@]}"
[ "${#front[@]}" = 0 ] || roll_out "${front[@]}"
log "deployed $tag: $services"
