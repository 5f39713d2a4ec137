# Redis for pub/sub, the matching queue and the rooms: encrypted in transit and at rest,
# with an auth token, reachable from the services' tasks alone.
resource "random_password" "auth_token" {
  length  = 64
  special = false # it goes into REDIS_URL as it is
}

resource "aws_elasticache_subnet_group" "this" {
  name       = "${var.prefix}-redis"
  subnet_ids = var.subnet_ids
}

resource "aws_security_group" "this" {
  name        = "${var.prefix}-redis"
  description = "Redis, from the services' tasks only"
  vpc_id      = var.vpc_id
  tags        = { Name = "${var.prefix}-redis" }
}

resource "aws_vpc_security_group_ingress_rule" "from_services" {
  for_each                     = var.client_security_group_ids
  security_group_id            = aws_security_group.this.id
  description                  = "Redis from the ${each.key} tasks"
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
}

resource "aws_elasticache_replication_group" "this" {
  #checkov:skip=CKV2_AWS_50:Failover needs two nodes: prod has them (terraform/tests check it), staging runs one.
  #checkov:skip=CKV_AWS_191:Encrypted at rest with ElastiCache's own key; a customer key adds a key policy to keep.
  replication_group_id       = "${var.prefix}-redis"
  description                = "PeerPrep ${var.prefix}: pub/sub, matching queue, rooms"
  engine                     = "redis"
  engine_version             = "7.1"
  node_type                  = var.node_type
  num_cache_clusters         = var.nodes
  port                       = 6379
  automatic_failover_enabled = var.nodes > 1
  multi_az_enabled           = var.nodes > 1
  subnet_group_name          = aws_elasticache_subnet_group.this.name
  security_group_ids         = [aws_security_group.this.id]
  transit_encryption_enabled = true
  at_rest_encryption_enabled = true
  auth_token                 = random_password.auth_token.result
  snapshot_retention_limit   = var.snapshot_retention_days
  snapshot_window            = "02:00-03:00"
  maintenance_window         = "sun:05:30-sun:06:30"
  auto_minor_version_upgrade = true
  apply_immediately          = false
}
