output "api_endpoint" {
  description = "Base URL of the HTTP API."
  value       = module.http_api.api_endpoint
}

output "api_url" {
  description = "URL clients call (the $default stage's invoke URL)."
  value       = module.http_api.api_url
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
  description = "The function's CloudWatch log group (`invoke logs`)."
  value       = module.function.log_group_name
}

output "access_log_group_name" {
  description = "The HTTP API's access log group."
  value       = module.http_api.access_log_group_name
}

output "artifacts_bucket_name" {
  description = "Bucket holding the zips the build marked large; null while none is."
  value       = local.any_large ? module.artifacts_bucket[0].bucket_name : null
}

output "artifact_keys" {
  description = "S3 keys of the zips that went through the artifacts bucket, by artifact name."
  value       = module.function.artifact_keys
}
