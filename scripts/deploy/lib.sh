#!/usr/bin/env bash
# Sourced by 02-run-migrations.sh and 03-deploy-services.sh: what both do to ECS with the
# aws CLI and jq. Nothing here is account-specific; the cluster and services are arguments.

# The jq programs the scripts run on the AWS CLI's answers (tested in .github/tests).
DEPLOY_JQ="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/jq"

log() { printf '[%s] %s\n' "${LOG_NAME:-deploy}" "$*" >&2; }
die() { printf '[%s] error: %s\n' "${LOG_NAME:-deploy}" "$*" >&2; exit 1; }

require_tools() {
  local tool
  for tool in aws jq; do
    command -v "$tool" >/dev/null || die "$tool is needed (apt-get install awscli jq)"
  done
}

# The service as ECS describes it (one call): its task definition and network
# configuration come from here.
describe_service() { # cluster service
  local described
  described=$(aws ecs describe-services --cluster "$1" --services "$2" --output json)
  if [ "$(jq -r '.services[0].status // "MISSING"' <<<"$described")" != ACTIVE ]; then
    die "ECS service $2 not found (or not active) in $1"
  fi
  printf '%s\n' "$described"
}

# Prints the ARN of a task definition revision that runs <image> in the container named
# after the service: the family's latest revision when it already does (02 registered it
# for the migration, 03 reuses it), else a new revision made from the latest one. The latest
# revision, not the one the service runs, so that a change Terraform made to the task
# definition (a variable, a secret) reaches the service with the next image; Terraform
# itself leaves the service's task definition alone (ignore_changes).
register_revision() { # described-service-json service image
  local service=$2 image=$3 family latest current_image spec
  family=$(jq -r '.services[0].taskDefinition' <<<"$1")
  family=${family##*/}
  family=${family%:*}
  latest=$(aws ecs describe-task-definition --task-definition "$family" --include TAGS --output json)
  current_image=$(jq -r --arg name "$service" \
    '.taskDefinition.containerDefinitions[] | select(.name == $name) | .image' <<<"$latest")
  [ -n "$current_image" ] || die "task definition $family has no container named $service"
  if [ "$current_image" = "$image" ]; then
    jq -r '.taskDefinition.taskDefinitionArn' <<<"$latest"
    return
  fi
  spec=$(jq --arg name "$service" --arg image "$image" -f "$DEPLOY_JQ/new-revision.jq" <<<"$latest")
  aws ecs register-task-definition --cli-input-json "$spec" \
    --query 'taskDefinition.taskDefinitionArn' --output text
}
