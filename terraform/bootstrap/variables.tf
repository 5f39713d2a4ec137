variable "aws_region" {
  description = "Where the state bucket and lock table live (the environments may run elsewhere)."
  type        = string
}
