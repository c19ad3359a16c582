locals {
  prefix    = "${var.name}-${var.environment}"
  any_large = var.artifacts.code.large || var.artifacts.layer.large
}

module "bucket" {
  source = "./modules/bucket"

  name                    = "${local.prefix}-files-${data.aws_caller_identity.current.account_id}"
  force_destroy           = var.bucket_force_destroy
  deny_insecure_transport = var.bucket_deny_insecure_transport
}

# Lambda takes zips over its direct upload limit only from S3. The bucket exists
# only while the build marks an artifact large; its objects are rebuildable.
module "artifacts_bucket" {
  source = "./modules/bucket"
  count  = local.any_large ? 1 : 0

  name                    = "${local.prefix}-artifacts-${data.aws_caller_identity.current.account_id}"
  force_destroy           = true
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

  artifacts_bucket = local.any_large ? module.artifacts_bucket[0].bucket_name : null

  memory_size             = var.function.memory_size
  timeout                 = var.function.timeout
  reserved_concurrency    = var.function.reserved_concurrency
  provisioned_concurrency = var.function.provisioned_concurrency
  log_retention_days      = var.function.log_retention_days

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
  function_qualifier  = module.function.qualifier
  log_retention_days  = var.function.log_retention_days
  throttling          = var.throttling
}
