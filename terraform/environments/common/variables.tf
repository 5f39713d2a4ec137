# Shared by the environments: environments/staging and environments/prod link this file.
variable "aws_region" {
  description = "Where this environment runs, e.g. eu-west-1."
  type        = string
}

variable "domain_name" {
  description = "The public name, e.g. peerprep.example or staging.peerprep.example."
  type        = string
}

variable "route53_zone_id" {
  description = "The Route 53 hosted zone that holds domain_name."
  type        = string
}

variable "image_tag" {
  description = "The images of the first apply (the git SHA 01-build-and-push-images.sh pushed)."
  type        = string
}

variable "admin_email" {
  description = "The first admin's email."
  type        = string
}

variable "sentry_dsn" {
  description = "Sentry's DSN; empty for none."
  type        = string
  default     = ""
  sensitive   = true
}

variable "github_repository" {
  description = "owner/name of the repository that deploys here."
  type        = string
}
