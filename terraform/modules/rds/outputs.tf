output "endpoint" {
  description = "host:port"
  value       = aws_db_instance.this.endpoint
}

output "address" {
  value = aws_db_instance.this.address
}

output "database_url" {
  description = "What the service reads as DATABASE_URL: verify-full TLS against the RDS CA bundle the task's init container writes."
  value       = "postgres://peerprep:${random_password.master.result}@${aws_db_instance.this.address}:5432/${local.database}?sslmode=verify-full&sslrootcert=/etc/peerprep/rds-ca.pem"
  sensitive   = true
}
