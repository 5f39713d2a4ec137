variable "name" {
  description = "The service: user, question, history, matching, collaboration, chat or frontend. It names the ECS service and the task's main container."
  type        = string
}

variable "prefix" {
  description = "peerprep-<env>: names the task definition family (<prefix>-<name>), the log group (/ecs/<prefix>/<name>) and the secret (<prefix>/<name>)."
  type        = string
}

variable "cluster_arn" {
  type = string
}

variable "cluster_name" {
  type = string
}

variable "image" {
  description = "The first image (repository:tag). The pipeline registers later revisions."
  type        = string
}

variable "repository_arn" {
  description = "The ECR repository the execution role may pull from."
  type        = string
}

variable "port" {
  type = number
}

variable "user" {
  description = "The container's user (the images' own non-root users: 65532, nginx 101)."
  type        = string
}

variable "read_only_root" {
  description = "A read-only root filesystem. The Rust services write nothing; nginx (the frontend) writes its configuration and cache under /tmp, and Fargate has no tmpfs while its task volumes are writable by root alone."
  type        = bool
  default     = true
}

variable "cpu" {
  type = number
}

variable "memory" {
  type = number
}

variable "health_command" {
  description = "The container health check (the image's own HEALTHCHECK)."
  type        = list(string)
}

variable "environment" {
  description = "Plain settings: nothing secret (secrets go in var.secrets)."
  type        = map(string)
}

variable "secrets" {
  description = "The service's secrets: stored as one JSON secret, handed to the container with valueFrom."
  type        = map(string)
  sensitive   = true
}

variable "rds_ca" {
  description = "Whether the service talks to RDS: then DATA_STORES_CA_PEM of its secret is written to /etc/peerprep/rds-ca.pem by an init container before it starts."
  type        = bool
  default     = false
}

variable "ca_writer_image" {
  description = "A small image with a shell that writes the RDS CA bundle to the shared volume."
  type        = string
  default     = "public.ecr.aws/docker/library/busybox:1.37"
}

variable "subnet_ids" {
  type = list(string)
}

variable "security_group_id" {
  type = string
}

variable "target_group_arn" {
  type = string
}

variable "alb_arn_suffix" {
  type = string
}

variable "target_group_arn_suffix" {
  type = string
}

variable "namespace_id" {
  description = "The Cloud Map namespace: the service is <name>.<namespace>."
  type        = string
}

variable "min_count" {
  description = "Tasks at least (prod: 2 or more, one per zone)."
  type        = number
}

variable "max_count" {
  type = number
}

variable "cpu_target" {
  type    = number
  default = 60
}

variable "memory_target" {
  type    = number
  default = 70
}

variable "requests_per_target" {
  description = "ALB requests per task per minute before another task starts."
  type        = number
  default     = 1000
}

variable "log_retention_days" {
  type    = number
  default = 30
}
