output "api_endpoint" {
  description = "Base URL of the HTTP API."
  value       = module.http_api.api_endpoint
}

output "api_id" {
  description = "ID of the HTTP API."
  value       = module.http_api.api_id
}

output "bucket_name" {
  description = "Name of the files bucket."
  value       = module.bucket.bucket_name
}

output "parameter_names" {
  description = "The service's SSM parameters by secret name; set values with `invoke secrets.set NAME`."
  value       = module.parameters.names
}

output "function_name" {
  description = "Name of the Lambda function."
  value       = module.function.function_name
}

output "log_group_name" {
  description = "The function's CloudWatch log group."
  value       = module.function.log_group_name
}
