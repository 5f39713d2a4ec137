output "execution_role_arn" {
  value = aws_iam_role.execution.arn
}

output "task_role_arn" {
  value = aws_iam_role.task.arn
}

output "secret_arn" {
  value = aws_secretsmanager_secret.this.arn
}

output "log_group_arn" {
  value = aws_cloudwatch_log_group.this.arn
}

output "family" {
  value = aws_ecs_task_definition.this.family
}
