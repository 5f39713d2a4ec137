# Shared by the environments (each links this file): PeerPrep, sized by the environment's
# own settings.tf (local.environment, local.github_environment, local.size).
module "peerprep" {
  source = "../../modules/peerprep"

  environment        = local.environment
  github_environment = local.github_environment
  domain_name        = var.domain_name
  route53_zone_id    = var.route53_zone_id
  image_tag          = var.image_tag
  admin_email        = var.admin_email
  sentry_dsn         = var.sentry_dsn
  github_repository  = var.github_repository

  single_nat_gateway       = local.size.single_nat_gateway
  min_tasks                = local.size.min_tasks
  max_tasks                = local.size.max_tasks
  crud_size                = local.size.crud_size
  realtime_size            = local.size.realtime_size
  db_instance_class        = local.size.db_instance_class
  db_multi_az              = local.size.db_multi_az
  db_backup_retention_days = local.size.db_backup_retention_days
  redis_node_type          = local.size.redis_node_type
  redis_nodes              = local.size.redis_nodes
  deletion_protection      = local.size.deletion_protection
  log_retention_days       = local.size.log_retention_days
}
