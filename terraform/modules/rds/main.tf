# One PostgreSQL per service that owns data: encrypted, private, TLS only, backed up.
locals {
  identifier = "${var.prefix}-${var.service}"
  database   = "${var.service}_db"
}

# Letters and digits only: the password goes into DATABASE_URL as it is.
resource "random_password" "master" {
  length  = 40
  special = false
}

resource "aws_db_parameter_group" "this" {
  name   = local.identifier
  family = "postgres15"

  # Refuse every connection that is not TLS.
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = "500"
  }
}

resource "aws_security_group" "this" {
  name        = "${local.identifier}-db"
  description = "PostgreSQL of the ${var.service} service, from its tasks only"
  vpc_id      = var.vpc_id
  tags        = { Name = "${local.identifier}-db" }
}

resource "aws_vpc_security_group_ingress_rule" "from_service" {
  security_group_id            = aws_security_group.this.id
  description                  = "PostgreSQL from the ${var.service} tasks"
  referenced_security_group_id = var.client_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}

resource "aws_db_instance" "this" {
  #checkov:skip=CKV_AWS_354:Performance Insights data is encrypted with RDS's own key; it holds query shapes, not rows.
  #checkov:skip=CKV_AWS_293:Deletion protection is a variable: on in prod, off in staging.
  #checkov:skip=CKV_AWS_157:Multi-AZ is a variable: on in prod (terraform/tests check it), off in staging to halve its cost.
  #checkov:skip=CKV_AWS_161:The services connect with a password from Secrets Manager over verify-full TLS; IAM tokens expire every 15 minutes and the pool does not renew them.
  identifier                      = local.identifier
  engine                          = "postgres"
  engine_version                  = "15"
  instance_class                  = var.instance_class
  allocated_storage               = var.allocated_storage
  max_allocated_storage           = var.max_allocated_storage
  storage_type                    = "gp3"
  storage_encrypted               = true
  db_name                         = local.database
  username                        = "peerprep"
  password                        = random_password.master.result
  port                            = 5432
  multi_az                        = var.multi_az
  db_subnet_group_name            = var.subnet_group_name
  vpc_security_group_ids          = [aws_security_group.this.id]
  parameter_group_name            = aws_db_parameter_group.this.name
  publicly_accessible             = false
  ca_cert_identifier              = "rds-ca-rsa2048-g1"
  backup_retention_period         = var.backup_retention_days
  backup_window                   = "03:00-04:00"
  maintenance_window              = "sun:04:30-sun:05:30"
  copy_tags_to_snapshot           = true
  deletion_protection             = var.deletion_protection
  skip_final_snapshot             = false
  final_snapshot_identifier       = "${local.identifier}-final"
  auto_minor_version_upgrade      = true
  apply_immediately               = false
  performance_insights_enabled    = true
  monitoring_interval             = 60
  monitoring_role_arn             = var.monitoring_role_arn
  enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]
}
