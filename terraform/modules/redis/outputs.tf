output "redis_url" {
  description = "What every Rust service reads as REDIS_URL: TLS (ElastiCache's certificate chains to Amazon's root CA, in the images' system store) with the auth token."
  value       = "rediss://:${random_password.auth_token.result}@${aws_elasticache_replication_group.this.primary_endpoint_address}:6379/0"
  sensitive   = true
}
