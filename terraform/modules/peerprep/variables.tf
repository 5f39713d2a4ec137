variable "environment" {
  description = "staging or prod: every name starts with peerprep-<environment>."
  type        = string

  validation {
    condition     = contains(["staging", "prod"], var.environment)
    error_message = "environment must be staging or prod."
  }
}

variable "domain_name" {
  description = "The public name, e.g. staging.peerprep.example: the ACM certificate's, and the only allowed origin."
  type        = string
}

variable "route53_zone_id" {
  description = "The hosted zone of domain_name: the certificate is validated and the alias record made in it."
  type        = string
}

variable "image_tag" {
  description = "The images the first task definitions name (a git SHA pushed by 01-build-and-push-images.sh). The pipeline deploys later ones; see ignore_changes."
  type        = string
}

variable "admin_email" {
  description = "The first admin account, made when the user service first starts."
  type        = string
}

variable "sentry_dsn" {
  description = "Errors go to Sentry when set."
  type        = string
  default     = ""
  sensitive   = true
}

variable "github_repository" {
  description = "owner/name of the repository whose deploy workflow may deploy here."
  type        = string
}

variable "github_environment" {
  description = "The GitHub environment the deploy job runs in for this environment (staging, production)."
  type        = string
}

variable "az_count" {
  type    = number
  default = 2
}

variable "single_nat_gateway" {
  type = bool
}

variable "vpc_cidr" {
  type    = string
  default = "10.0.0.0/16"
}

variable "min_tasks" {
  description = "Tasks per service at least (prod: 2 or more)."
  type        = number
}

variable "max_tasks" {
  type = number
}

variable "crud_size" {
  description = "Fargate cpu/memory of user, question, history and the frontend."
  type        = object({ cpu = number, memory = number })
}

variable "realtime_size" {
  description = "Fargate cpu/memory of matching, collaboration and chat."
  type        = object({ cpu = number, memory = number })
}

variable "db_instance_class" {
  type = string
}

variable "db_multi_az" {
  type = bool
}

variable "db_backup_retention_days" {
  type    = number
  default = 7
}

variable "redis_node_type" {
  type = string
}

variable "redis_nodes" {
  type = number
}

variable "deletion_protection" {
  description = "On the ALB and the databases (prod)."
  type        = bool
}

variable "log_retention_days" {
  type    = number
  default = 30
}

variable "ecr_keep_images" {
  description = "Images kept per repository; older ones expire."
  type        = number
  default     = 50
}
