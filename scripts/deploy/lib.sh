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

# The task definition ARN a service runs now.
current_task_definition() { # cluster service
  aws ecs describe-services --cluster "$1" --services "$2" \
    --query 'services[0].taskDefinition' --output text
}

# The service's network configuration (subnets, security groups), as run-task takes it.
network_configuration() { # cluster service
  aws ecs describe-services --cluster "$1" --services "$2" \
    --query 'services[0].networkConfiguration' --output json
}

# Prints the ARN of a task definition revision that runs <image> in the container named
# after the service: the family's latest revision when it already does (02 registered it
# for the migration, 03 reuses it), else a new revision made from the latest one. The latest
# revision, not the one the service runs, so that a change Terraform made to the task
# definition (a variable, a secret) reaches the service with the next image; Terraform
# itself leaves the service's task definition alone (ignore_changes).
register_revision() { # cluster service image
  local cluster=$1 service=$2 image=$3 family latest current_image spec
  family=$(current_task_definition "$cluster" "$service")
  family=${family##*/}
  family=${family%:*}
  if [ -z "$family" ] || [ "$family" = None ]; then
    die "ECS service $service not found in $cluster"
  fi
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
