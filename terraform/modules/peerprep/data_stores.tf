# The data stores and the secrets built from them.
resource "aws_db_subnet_group" "this" {
  name       = local.prefix
  subnet_ids = module.network.data_subnet_ids
}

data "aws_iam_policy_document" "rds_monitoring_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["monitoring.rds.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "rds_monitoring" {
  name               = "${local.prefix}-rds-monitoring"
  assume_role_policy = data.aws_iam_policy_document.rds_monitoring_trust.json
}

resource "aws_iam_role_policy_attachment" "rds_monitoring" {
  role       = aws_iam_role.rds_monitoring.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

module "database" {
  source   = "../rds"
  for_each = local.databases

  prefix                   = local.prefix
  service                  = each.key
  vpc_id                   = module.network.vpc_id
  subnet_group_name        = aws_db_subnet_group.this.name
  client_security_group_id = aws_security_group.task[each.key].id
  instance_class           = var.db_instance_class
  multi_az                 = var.db_multi_az
  backup_retention_days    = var.db_backup_retention_days
  deletion_protection      = var.deletion_protection
  monitoring_role_arn      = aws_iam_role.rds_monitoring.arn
}

module "redis" {
  source = "../redis"

  prefix                    = local.prefix
  vpc_id                    = module.network.vpc_id
  subnet_ids                = module.network.data_subnet_ids
  client_security_group_ids = { for name in keys(local.rust_services) : name => aws_security_group.task[name].id }
  node_type                 = var.redis_node_type
  nodes                     = var.redis_nodes
}

# The RDS certificate authorities of this region, which DATABASE_URL's verify-full trusts.
data "http" "rds_ca_bundle" {
  url = "https://truststore.pki.rds.amazonaws.com/${data.aws_region.current.name}/${data.aws_region.current.name}-bundle.pem"
}

# The user service signs tokens (Ed25519); every other service verifies them with the
# public key, so none needs the user service to start.
resource "tls_private_key" "jwt" {
  algorithm = "ED25519"
}

resource "random_password" "internal_token" {
  length  = 48
  special = false
}

resource "random_password" "admin" {
  length  = 24
  special = false
}

locals {
  common_secrets = merge(
    { INTERNAL_SERVICE_TOKEN = random_password.internal_token.result },
    var.sentry_dsn == "" ? {} : { SENTRY_DSN = var.sentry_dsn }
  )
  # Each service's secret holds what it needs and nothing more.
  secrets = {
    for name, service in local.services : name => name == "frontend" ? {} : merge(
      local.common_secrets,
      { REDIS_URL = module.redis.redis_url },
      service.database ? {
        DATABASE_URL       = module.database[name].database_url
        DATA_STORES_CA_PEM = data.http.rds_ca_bundle.response_body
      } : {},
      name == "user" ? {
        JWT_PRIVATE_KEY = tls_private_key.jwt.private_key_pem_pkcs8
        ADMIN_EMAIL     = var.admin_email
        ADMIN_PASSWORD  = random_password.admin.result
        } : {
        JWT_PUBLIC_KEY = tls_private_key.jwt.public_key_pem
      }
    )
  }
}
