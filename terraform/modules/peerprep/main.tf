# PeerPrep in one environment: the network, the cluster and its private DNS, the load
# balancer, the data stores, the images' repositories and the seven services. The two
# environments (environments/staging, environments/prod) call this module with their sizes.
data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

locals {
  prefix = "peerprep-${var.environment}"
  # Service-to-service calls go to <service>.peerprep-<env>.local (Cloud Map).
  namespace = "${local.prefix}.local"
}

module "network" {
  source             = "../network"
  name               = local.prefix
  cidr               = var.vpc_cidr
  az_count           = var.az_count
  single_nat_gateway = var.single_nat_gateway
}

resource "aws_ecs_cluster" "this" {
  name = local.prefix

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}

resource "aws_service_discovery_private_dns_namespace" "this" {
  name        = local.namespace
  description = "PeerPrep ${var.environment}: the services' private names"
  vpc         = module.network.vpc_id
}

module "alb" {
  source              = "../alb"
  name                = local.prefix
  vpc_id              = module.network.vpc_id
  vpc_cidr            = module.network.vpc_cidr
  public_subnet_ids   = module.network.public_subnet_ids
  certificate_arn     = aws_acm_certificate_validation.this.certificate_arn
  deletion_protection = var.deletion_protection
  targets = {
    for name, service in local.services : name => {
      port     = service.port
      prefix   = service.prefix
      sticky   = service.realtime
      priority = service.priority
    }
  }
}
