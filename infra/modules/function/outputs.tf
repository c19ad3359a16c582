output "function_name" {
  description = "Name of the function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the function."
  value       = aws_lambda_function.this.arn
}

output "invoke_arn" {
  description = "ARN for API Gateway integrations: the `live` alias's with provisioned concurrency, else the function's."
  value       = var.provisioned_concurrency > 0 ? aws_lambda_alias.live[0].invoke_arn : aws_lambda_function.this.invoke_arn
}

output "qualifier" {
  description = "The alias the API invokes (`live`), or null for the unqualified function."
  value       = var.provisioned_concurrency > 0 ? aws_lambda_alias.live[0].name : null
}

output "artifact_keys" {
  description = "S3 keys of the zips that went through artifacts_bucket, by artifact name."
  value       = { for name, object in aws_s3_object.artifact : name => object.key }
}

output "layer_arn" {
  description = "ARN of the dependency layer version."
  value       = aws_lambda_layer_version.this.arn
}

output "log_group_name" {
  description = "The function's log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "role_arn" {
  description = "ARN of the function's execution role."
  value       = aws_iam_role.lambda.arn
}
