# Staging: the whole of PeerPrep at its smallest. One task per service, one NAT gateway,
# single-zone databases and one Redis node; nothing protected from deletion. `main` deploys
# here (.github/workflows/deploy.yml).
locals {
  environment = "staging"
}

module "peerprep" {
  source = "../../modules/peerprep"

  environment        = local.environment
  domain_name        = var.domain_name
  route53_zone_id    = var.route53_zone_id
  image_tag          = var.image_tag
  admin_email        = var.admin_email
  sentry_dsn         = var.sentry_dsn
  github_repository  = var.github_repository
  github_environment = "staging"

  single_nat_gateway = true
  min_tasks          = 1
  max_tasks          = 3
  crud_size          = { cpu = 256, memory = 512 }
  realtime_size      = { cpu = 256, memory = 512 }

  db_instance_class   = "db.t4g.micro"
  db_multi_az         = false
  redis_node_type     = "cache.t4g.micro"
  redis_nodes         = 1
  deletion_protection = false
  log_retention_days  = 30
}
