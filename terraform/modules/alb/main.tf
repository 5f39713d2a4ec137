# The public entrance: HTTPS only (HTTP is redirected), path rules to each service's target
# group, the frontend for everything else, and the services' internal routes never reached.
data "aws_elb_service_account" "current" {}

locals {
  # Never forwarded, whatever rule comes after: the services' internal routes (service to
  # service, X-Service-Token) and their Prometheus metrics. ALB rules hold at most five
  # path values each, hence two rules.
  internal_paths = {
    root     = ["/internal", "/internal/*", "/metrics"]
    prefixed = ["/*-service-api/internal", "/*-service-api/internal/*", "/*-service-api/metrics"]
  }
  routed = { for name, target in var.targets : name => target if target.prefix != null }
}

resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "The public load balancer: HTTP and HTTPS from anywhere, to the VPC only"
  vpc_id      = var.vpc_id
  tags        = { Name = "${var.name}-alb" }
}

resource "aws_vpc_security_group_ingress_rule" "https" {
  #checkov:skip=CKV_AWS_260:The public entrance of a public web site.
  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from the internet"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_ingress_rule" "http" {
  #checkov:skip=CKV_AWS_260:Port 80 only answers with a redirect to HTTPS.
  security_group_id = aws_security_group.alb.id
  description       = "HTTP from the internet, redirected to HTTPS"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
}

resource "aws_vpc_security_group_egress_rule" "targets" {
  for_each          = toset([for target in var.targets : tostring(target.port)])
  security_group_id = aws_security_group.alb.id
  description       = "To the tasks on port ${each.value}"
  cidr_ipv4         = var.vpc_cidr
  ip_protocol       = "tcp"
  from_port         = tonumber(each.value)
  to_port           = tonumber(each.value)
}

resource "aws_lb" "this" {
  #checkov:skip=CKV_AWS_150:Deletion protection is a variable: on in prod, off in staging so that it can be torn down.
  #checkov:skip=CKV2_AWS_28:No WAF in this plan: the services bound each client themselves (sign-up, log-in and message limits). Adding one is in terraform/README.md.
  name                       = var.name
  load_balancer_type         = "application"
  internal                   = false
  security_groups            = [aws_security_group.alb.id]
  subnets                    = var.public_subnet_ids
  drop_invalid_header_fields = true
  enable_deletion_protection = var.deletion_protection
  # A websocket with no frame for this long is closed by the ALB. The services ping every
  # few seconds, so this only bounds a dead peer; the 60 s default would be enough with the
  # pings, but a session is an hour-long interview and nothing is gained by cutting it.
  idle_timeout = 3600

  access_logs {
    bucket  = aws_s3_bucket.access_logs.id
    prefix  = "alb"
    enabled = true
  }
}

resource "aws_lb_target_group" "this" {
  for_each             = var.targets
  name                 = "${var.name}-${each.key}"
  port                 = each.value.port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = var.deregistration_delay

  health_check {
    path                = "/health"
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  # The real-time services keep a room's members on the task that holds the room (Redis
  # fans out across tasks, but a reconnect is cheaper where its state is).
  stickiness {
    type            = "lb_cookie"
    enabled         = each.value.sticky
    cookie_duration = 86400
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this[var.default_target].arn
  }
}

resource "aws_lb_listener_rule" "internal" {
  for_each     = local.internal_paths
  listener_arn = aws_lb_listener.https.arn
  priority     = each.key == "root" ? 1 : 2

  action {
    type = "fixed-response"
    fixed_response {
      content_type = "application/json"
      status_code  = "404"
      message_body = "{\"error\":{\"code\":\"not_found\",\"message\":\"no such route\"}}"
    }
  }

  condition {
    path_pattern {
      values = each.value
    }
  }
}

# Each service's public prefix, bare and with anything under it.
resource "aws_lb_listener_rule" "service" {
  for_each     = local.routed
  listener_arn = aws_lb_listener.https.arn
  priority     = each.value.priority

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this[each.key].arn
  }

  condition {
    path_pattern {
      values = [each.value.prefix, "${each.value.prefix}/*"]
    }
  }
}

# The ALB's access logs. ALB writes only with SSE-S3, not a customer key.
resource "aws_s3_bucket" "access_logs" {
  #checkov:skip=CKV_AWS_144:Access logs are not worth a second region.
  #checkov:skip=CKV_AWS_145:ALB access logs can only be written with SSE-S3 (AES256), which is set.
  #checkov:skip=CKV_AWS_18:This is the log bucket; logging its own access would loop.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to new log objects.
  bucket_prefix = "${var.name}-alb-logs-"
  force_destroy = false
}

resource "aws_s3_bucket_public_access_block" "access_logs" {
  bucket                  = aws_s3_bucket.access_logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  rule {
    id     = "expire"
    status = "Enabled"
    filter {}
    expiration {
      days = var.access_log_retention_days
    }
    noncurrent_version_expiration {
      noncurrent_days = 7
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

data "aws_iam_policy_document" "access_logs" {
  statement {
    sid       = "AlbWritesLogs"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.access_logs.arn}/alb/*"]
    principals {
      type        = "AWS"
      identifiers = [data.aws_elb_service_account.current.arn]
    }
  }
  statement {
    sid       = "TlsOnly"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.access_logs.arn, "${aws_s3_bucket.access_logs.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  policy = data.aws_iam_policy_document.access_logs.json
}
