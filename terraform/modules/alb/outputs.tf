output "security_group_id" {
  value = aws_security_group.alb.id
}

output "dns_name" {
  value = aws_lb.this.dns_name
}

output "zone_id" {
  value = aws_lb.this.zone_id
}

output "arn_suffix" {
  description = "For ALBRequestCountPerTarget's resource label."
  value       = aws_lb.this.arn_suffix
}

output "target_group_arns" {
  value = { for name, group in aws_lb_target_group.this : name => group.arn }
}

output "target_group_arn_suffixes" {
  value = { for name, group in aws_lb_target_group.this : name => group.arn_suffix }
}

output "https_listener_arn" {
  value = aws_lb_listener.https.arn
}
