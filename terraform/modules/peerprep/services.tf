# The seven services: what each is, who may call it, and its ECS service.
locals {
  url_of = { for name in ["user", "question", "history", "matching"] : name => "http://${name}.${local.namespace}:8000" }

  rust_environment = {
    ENVIRONMENT      = "production"
    HOST             = "0.0.0.0"
    PORT             = "8000"
    RUST_LOG         = "info"
    ALLOWED_ORIGINS  = "https://${var.domain_name}"
    USER_SERVICE_URL = local.url_of.user
  }

  # port: the container's; prefix: the public path the ALB routes to it (null: the
  # frontend, the default); realtime: websockets (a bigger task, and sticky at the ALB);
  # callers: the services that call it; database: owns one; environment: plain settings
  # only (secrets are below).
  services = {
    user = {
      port = 8000, prefix = "/user-service-api", priority = 10, realtime = false
      callers = ["question", "history", "matching", "collaboration", "chat", "frontend"], database = true
      # The ALB is the only proxy in front: it appends the client's address.
      environment = merge(local.rust_environment, { TRUSTED_PROXY_HOPS = "1", COOKIE_SECURE = "true" })
    }
    question = {
      port = 8000, prefix = "/question-service-api", priority = 20, realtime = false
      callers = ["matching", "frontend"], database = true
      environment = local.rust_environment
    }
    history = {
      port = 8000, prefix = "/history-service-api", priority = 30, realtime = false
      callers = ["matching", "collaboration", "frontend"], database = true
      environment = local.rust_environment
    }
    matching = {
      port = 8000, prefix = "/matching-service-api", priority = 40, realtime = true
      callers = ["collaboration", "chat", "frontend"], database = true
      environment = merge(local.rust_environment, {
        QUESTION_SERVICE_URL = local.url_of.question
        HISTORY_SERVICE_URL  = local.url_of.history
      })
    }
    collaboration = {
      port = 8000, prefix = "/collaboration-service-api", priority = 50, realtime = true
      callers = ["frontend"], database = false
      environment = merge(local.rust_environment, {
        MATCHING_SERVICE_URL = local.url_of.matching
        HISTORY_SERVICE_URL  = local.url_of.history
      })
    }
    chat = {
      port = 8000, prefix = "/chat-service-api", priority = 60, realtime = true
      callers = ["frontend"], database = true
      environment = merge(local.rust_environment, { MATCHING_SERVICE_URL = local.url_of.matching })
    }
    # nginx: the app. The ALB routes the API straight to the services; nginx's own proxy
    # blocks (the image's template) name the services by their private names, which it
    # resolves when it starts, so the pipeline deploys it last.
    frontend = {
      port = 8080, prefix = null, priority = null, realtime = false
      callers = [], database = false
      environment = {
        for name in ["user", "question", "history", "matching", "collaboration", "chat"] :
        "${upper(name)}_SERVERS" => "server ${name}.${local.namespace}:8000;"
      }
    }
  }

  rust_services = { for name, service in local.services : name => service if name != "frontend" }
  databases     = toset([for name, service in local.services : name if service.database])

  # Caller → callee pairs for the security groups.
  calls = merge([
    for callee, service in local.services : {
      for caller in service.callers : "${caller}-to-${callee}" => { caller = caller, callee = callee }
    }
  ]...)
}

# Each service's tasks have a security group of their own: the ALB and the services that
# call it may reach its port, and nothing else.
resource "aws_security_group" "task" {
  for_each    = local.services
  name        = "${local.prefix}-${each.key}-tasks"
  description = "The ${each.key} tasks"
  vpc_id      = module.network.vpc_id
  tags        = { Name = "${local.prefix}-${each.key}-tasks" }
}

resource "aws_vpc_security_group_ingress_rule" "from_alb" {
  for_each                     = local.services
  security_group_id            = aws_security_group.task[each.key].id
  description                  = "From the load balancer"
  referenced_security_group_id = module.alb.security_group_id
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
}

resource "aws_vpc_security_group_ingress_rule" "from_caller" {
  for_each                     = local.calls
  security_group_id            = aws_security_group.task[each.value.callee].id
  description                  = "From the ${each.value.caller} tasks"
  referenced_security_group_id = aws_security_group.task[each.value.caller].id
  ip_protocol                  = "tcp"
  from_port                    = local.services[each.value.callee].port
  to_port                      = local.services[each.value.callee].port
}

# Out: HTTPS (ECR, Logs and Secrets Manager through the endpoints; Sentry and public ECR
# through NAT) and the VPC's own services.
resource "aws_vpc_security_group_egress_rule" "https" {
  for_each          = local.services
  security_group_id = aws_security_group.task[each.key].id
  description       = "HTTPS out"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_egress_rule" "in_vpc" {
  for_each          = { for pair in setproduct(keys(local.services), ["8000", "5432", "6379"]) : "${pair[0]}-${pair[1]}" => pair }
  security_group_id = aws_security_group.task[each.value[0]].id
  description       = "To the services and data stores on ${each.value[1]}"
  cidr_ipv4         = module.network.vpc_cidr
  ip_protocol       = "tcp"
  from_port         = tonumber(each.value[1])
  to_port           = tonumber(each.value[1])
}

module "service" {
  source   = "../ecs_service"
  for_each = local.services

  name           = each.key
  prefix         = local.prefix
  cluster_arn    = aws_ecs_cluster.this.arn
  cluster_name   = aws_ecs_cluster.this.name
  image          = "${aws_ecr_repository.this[each.key].repository_url}:${var.image_tag}"
  repository_arn = aws_ecr_repository.this[each.key].arn
  port           = each.value.port
  user           = each.key == "frontend" ? "101" : "65532"
  read_only_root = each.key != "frontend"
  cpu            = each.value.realtime ? var.realtime_size.cpu : var.crud_size.cpu
  memory         = each.value.realtime ? var.realtime_size.memory : var.crud_size.memory
  health_command = (each.key == "frontend"
    ? ["CMD-SHELL", "curl -fsS -o /dev/null http://127.0.0.1:8080/ || exit 1"]
  : ["CMD", "/usr/local/bin/${each.key}-service", "--healthcheck"])
  environment = each.value.environment
  secrets     = local.secrets[each.key]
  rds_ca      = each.value.database

  subnet_ids              = module.network.app_subnet_ids
  security_group_id       = aws_security_group.task[each.key].id
  target_group_arn        = module.alb.target_group_arns[each.key]
  target_group_arn_suffix = module.alb.target_group_arn_suffixes[each.key]
  alb_arn_suffix          = module.alb.arn_suffix
  namespace_id            = aws_service_discovery_private_dns_namespace.this.id

  min_count          = var.min_tasks
  max_count          = var.max_tasks
  log_retention_days = var.log_retention_days
}
