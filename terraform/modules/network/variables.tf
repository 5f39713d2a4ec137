variable "name" {
  description = "Name prefix of every resource, e.g. peerprep-staging."
  type        = string
}

variable "cidr" {
  description = "The VPC's address range."
  type        = string
  default     = "10.0.0.0/16"
}

variable "az_count" {
  description = "Availability zones to span (at least two: the ALB and Multi-AZ RDS need them)."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 2
    error_message = "az_count must be at least 2."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for every zone (cheaper; staging) instead of one per zone (prod)."
  type        = bool
  default     = false
}

variable "flow_log_retention_days" {
  description = "How long the VPC flow logs are kept."
  type        = number
  default     = 365
}
