output "state_bucket" {
  description = "-backend-config=bucket=… for each environment's terraform init."
  value       = aws_s3_bucket.state.id
}

output "lock_table" {
  description = "-backend-config=dynamodb_table=…"
  value       = aws_dynamodb_table.lock.name
}

output "state_kms_key_arn" {
  description = "-backend-config=kms_key_id=… (the state is encrypted with it)."
  value       = aws_kms_key.state.arn
}

output "github_oidc_provider_arn" {
  value = aws_iam_openid_connect_provider.github.arn
}
