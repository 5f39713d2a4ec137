# Production: at least two tasks per service (one per zone), a NAT gateway per zone,
# Multi-AZ databases, Redis with a replica that takes over, deletion protection. The
# `production` branch and release tags deploy here after the environment's approval.
# The rest of this environment is environments/common/.
locals {
  environment        = "prod"
  github_environment = "production"
  size = {
    single_nat_gateway       = false
    min_tasks                = 2
    max_tasks                = 10
    crud_size                = { cpu = 512, memory = 1024 }
    realtime_size            = { cpu = 1024, memory = 2048 }
    db_instance_class        = "db.t4g.medium"
    db_multi_az              = true
    db_backup_retention_days = 14
    redis_node_type          = "cache.t4g.small"
    redis_nodes              = 2
    deletion_protection      = true
    log_retention_days       = 365
  }
}
