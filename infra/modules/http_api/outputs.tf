output "api_id" {
  description = "ID of the HTTP API."
  value       = aws_apigatewayv2_api.this.id
}

output "api_endpoint" {
  description = "Base URL of the API's $default stage."
  value       = aws_apigatewayv2_api.this.api_endpoint
}

output "api_url" {
  description = "URL clients call: the $default stage's invoke URL."
  value       = aws_apigatewayv2_stage.default.invoke_url
}

output "access_log_group_name" {
  description = "Log group of the API's access logs."
  value       = aws_cloudwatch_log_group.access.name
}
