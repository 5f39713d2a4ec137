output "cluster_name" {
  description = "ECS_CLUSTER of the GitHub environment; --cluster of scripts/deploy/02 and 03."
  value       = aws_ecs_cluster.this.name
}

output "image_prefix" {
  description = "IMAGE_PREFIX of the GitHub environment; --prefix of scripts/deploy/01-03."
  value       = "${local.account}.dkr.ecr.${local.region}.amazonaws.com/${local.prefix}/"
}

output "public_url" {
  description = "PUBLIC_URL of the GitHub environment; --url of scripts/deploy/04."
  value       = "https://${var.domain_name}"
}

output "alb_dns_name" {
  value = module.alb.dns_name
}

output "deploy_role_arn" {
  description = "AWS_DEPLOY_ROLE_ARN of the GitHub environment."
  value       = aws_iam_role.deploy.arn
}

output "aws_region" {
  description = "AWS_REGION of the GitHub environment."
  value       = local.region
}

output "migration_services" {
  description = "The services with a database (scripts/deploy/02-run-migrations.sh --services)."
  value       = sort(tolist(local.databases))
}

output "admin_password" {
  description = "The first admin's password (terraform output -raw admin_password)."
  value       = random_password.admin.result
  sensitive   = true
}
