# Shared by the environments: environments/staging and environments/prod link this file.
# The GitHub environment's variables (terraform/README.md, step 5), and the rest.
output "cluster_name" {
  value = module.peerprep.cluster_name
}

output "image_prefix" {
  value = module.peerprep.image_prefix
}

output "public_url" {
  value = module.peerprep.public_url
}

output "alb_dns_name" {
  value = module.peerprep.alb_dns_name
}

output "deploy_role_arn" {
  value = module.peerprep.deploy_role_arn
}

output "aws_region" {
  value = module.peerprep.aws_region
}

output "migration_services" {
  value = module.peerprep.migration_services
}

output "admin_password" {
  value     = module.peerprep.admin_password
  sensitive = true
}
