variable "name" {
  description = "Name prefix, e.g. peerprep-staging."
  type        = string
}

variable "vpc_id" {
  type = string
}

variable "vpc_cidr" {
  description = "Where the targets are: the ALB may reach only the VPC."
  type        = string
}

variable "public_subnet_ids" {
  type = list(string)
}

variable "certificate_arn" {
  description = "The ACM certificate of the public name (HTTPS)."
  type        = string
}

variable "deletion_protection" {
  type    = bool
  default = true
}

variable "access_log_retention_days" {
  type    = number
  default = 90
}

variable "targets" {
  description = <<-EOT
    One target group per ECS service: its port, the public path prefix routed to it (null
    for the default action, the frontend), whether clients stick to one task (websocket
    services: a reconnect lands where its room is) and the rule's priority.
  EOT
  type = map(object({
    port     = number
    prefix   = optional(string)
    sticky   = bool
    priority = optional(number)
  }))
}

variable "default_target" {
  description = "The target that gets every path no rule names: the frontend."
  type        = string
  default     = "frontend"
}

variable "deregistration_delay" {
  description = "Seconds a draining task keeps its connections: the services close websockets with 1012 on SIGTERM and finish requests within 30 s."
  type        = number
  default     = 60
}
