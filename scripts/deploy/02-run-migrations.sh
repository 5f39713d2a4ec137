#!/usr/bin/env bash
# Runs each database's migrations as a one-off ECS task of the new image, before any service
# is updated: the service's own task definition (registered with the new image, see lib.sh)
# with the command `--migrate`, in the service's subnets and security groups, so it reaches
# its database and reads its own secrets as the service does. The five run side by side; the
# script waits for all of them and fails, naming the service, its exit code and its logs,
# when one did not exit 0. The services also migrate when they start, under an advisory
# lock: this step makes a failing migration stop the deploy before a new task starts.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/deploy/02-run-migrations.sh --cluster CLUSTER --prefix PREFIX --tag TAG
         [--services "user question history matching chat"]

  --cluster CLUSTER   the ECS cluster (Terraform output cluster_name), e.g. peerprep-staging
  --prefix PREFIX     the images' registry prefix (Terraform output image_prefix)
  --tag TAG           the image tag to migrate to (the git SHA 01 pushed)
  --services LIST     the services that own a database (default: all five)

Needs the aws CLI (credentials for the account) and jq. Waits up to 10 minutes.
USAGE
}

cluster=""
prefix=""
tag=""
services="user question history matching chat"
while [ $# -gt 0 ]; do
  case "$1" in
    --cluster) cluster=${2:?--cluster needs a value}; shift 2 ;;
    --prefix) prefix=${2:?--prefix needs a value}; shift 2 ;;
    --tag) tag=${2:?--tag needs a value}; shift 2 ;;
    --services) services=${2:?--services needs a value}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
LOG_NAME=02-migrate
# shellcheck source=scripts/deploy/lib.sh
. "$(dirname "$0")/lib.sh"
if [ -z "$cluster" ] || [ -z "$prefix" ] || [ -z "$tag" ]; then
  usage >&2
  die "--cluster, --prefix and --tag are required"
fi
require_tools

declare -A task_of=()
for service in $services; do
  described=$(describe_service "$cluster" "$service")
  definition=$(register_revision "$described" "$service" "$prefix$service:$tag")
  overrides=$(jq -cn --arg name "$service" '{containerOverrides: [{name: $name, command: ["--migrate"]}]}')
  task=$(aws ecs run-task --cluster "$cluster" --launch-type FARGATE \
    --task-definition "$definition" \
    --network-configuration "$(jq -c '.services[0].networkConfiguration' <<<"$described")" \
    --overrides "$overrides" --started-by "migrate-$tag" \
    --query 'tasks[0].taskArn' --output text)
  if [ -z "$task" ] || [ "$task" = None ]; then
    die "$service: the migration task did not start"
  fi
  log "$service: migrating with $definition (task ${task##*/})"
  task_of[$service]=$task
done

# The waiter polls every 6 s, 100 times.
aws ecs wait tasks-stopped --cluster "$cluster" --tasks "${task_of[@]}" ||
  die "the migration tasks did not stop within 10 minutes"

failed=0
for service in $services; do
  result=$(aws ecs describe-tasks --cluster "$cluster" --tasks "${task_of[$service]}" --output json |
    jq -r --arg name "$service" -f "$DEPLOY_JQ/task-exit.jq")
  code=${result%% *}
  if [ "$code" = 0 ]; then
    log "$service: migrations applied"
  else
    log "$service: the migration exited $result; its log is in /ecs/$cluster/$service"
    failed=1
  fi
done
[ "$failed" = 0 ] || die "a migration failed: nothing was deployed"
