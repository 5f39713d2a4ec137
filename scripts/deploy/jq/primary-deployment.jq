# `aws ecs describe-services` (one service) → "<task definition ARN> <rollout state>" of the
# PRIMARY deployment: the one ECS is converging on. After a circuit-breaker rollback it is
# the previous task definition again; a deployment without a rollout state (no circuit
# breaker) counts as COMPLETED once the service is stable.
.services[0].deployments[]
| select(.status == "PRIMARY")
| "\(.taskDefinition) \(.rolloutState // "COMPLETED")"
