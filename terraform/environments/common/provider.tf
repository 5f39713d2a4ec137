# Shared by the environments (each links this file): the AWS provider, tagging everything
# it creates with the environment that environments/<env>/main.tf names in local.environment.
provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      Project     = "peerprep"
      Environment = local.environment
      ManagedBy   = "terraform"
    }
  }
}
