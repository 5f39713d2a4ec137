variable "prefix" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  description = "The data subnets."
  type        = list(string)
}

variable "client_security_group_ids" {
  description = "The six Rust services' task security groups."
  type        = map(string)
}

variable "node_type" {
  type = string
}

variable "nodes" {
  description = "1 (staging) or more: with 2 or more, a replica in another zone takes over."
  type        = number
}

variable "snapshot_retention_days" {
  type    = number
  default = 7
}
