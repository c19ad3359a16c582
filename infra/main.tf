locals {
  prefix = "${var.name}-${var.environment}"
}

module "bucket" {
  source = "./modules/bucket"

  name                    = "${local.prefix}-files-${data.aws_caller_identity.current.account_id}"
  force_destroy           = var.bucket_force_destroy
  deny_insecure_transport = var.bucket_deny_insecure_transport
}

module "parameters" {
  source = "./modules/parameters"

  prefix = "/${var.name}/${var.environment}"
  secrets = {
    api-tokens     = "Bearer tokens clients must send, comma-separated."
    openai-api-key = "API key of the OpenAI-compatible backend for generated files."
  }
}

module "function" {
  source = "./modules/function"

  name         = local.prefix
  code         = var.artifacts.code
  layer        = var.artifacts.layer
  runtime      = var.artifacts.runtime
  architecture = var.artifacts.architecture

  memory_size          = var.function.memory_size
  timeout              = var.function.timeout
  reserved_concurrency = var.function.reserved_concurrency
  log_retention_days   = var.function.log_retention_days

  bucket_arn     = module.bucket.bucket_arn
  parameter_arns = values(module.parameters.arns)
  environment = merge(var.function.environment, {
    FILES_BUCKET             = module.bucket.bucket_name
    API_TOKENS_PARAMETER     = module.parameters.names["api-tokens"]
    OPENAI_API_KEY_PARAMETER = module.parameters.names["openai-api-key"]
  })
}

module "http_api" {
  source = "./modules/http_api"

  name                = local.prefix
  function_name       = module.function.function_name
  function_invoke_arn = module.function.invoke_arn
  log_retention_days  = var.function.log_retention_days
}
