# Staging: the whole of PeerPrep at its smallest. One task per service, one NAT gateway,
# single-zone databases and one Redis node; nothing protected from deletion. `main` deploys
# here (.github/workflows/deploy.yml). The rest of this environment is environments/common/.
locals {
  environment        = "staging"
  github_environment = "staging"
  size = {
    single_nat_gateway       = true
    min_tasks                = 1
    max_tasks                = 3
    crud_size                = { cpu = 256, memory = 512 }
    realtime_size            = { cpu = 256, memory = 512 }
    db_instance_class        = "db.t4g.micro"
    db_multi_az              = false
    db_backup_retention_days = 7
    redis_node_type          = "cache.t4g.micro"
    redis_nodes              = 1
    deletion_protection      = false
    log_retention_days       = 30
  }
}
