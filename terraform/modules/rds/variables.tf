variable "prefix" {
  description = "peerprep-<env>."
  type        = string
}

variable "service" {
  description = "The service that owns the database; the database is <service>_db."
  type        = string
}

variable "vpc_id" {
  type = string
}

variable "subnet_group_name" {
  description = "The data subnets' DB subnet group."
  type        = string
}

variable "client_security_group_id" {
  description = "The owning service's task security group: the only one that may connect."
  type        = string
}

variable "instance_class" {
  type = string
}

variable "multi_az" {
  description = "A standby in a second zone (prod)."
  type        = bool
}

variable "allocated_storage" {
  type    = number
  default = 20
}

variable "max_allocated_storage" {
  type    = number
  default = 100
}

variable "backup_retention_days" {
  type    = number
  default = 7

  validation {
    condition     = var.backup_retention_days >= 7
    error_message = "Keep at least 7 days of backups."
  }
}

variable "deletion_protection" {
  type = bool
}

variable "monitoring_role_arn" {
  description = "Enhanced monitoring's role (shared by the databases)."
  type        = string
}
