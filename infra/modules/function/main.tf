data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  log_group_arn = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:/aws/lambda/${var.name}"
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "lambda" {
  name               = var.name
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "lambda" {
  statement {
    sid       = "FilesObjects"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${var.bucket_arn}/*"]
  }

  statement {
    sid       = "FilesList"
    actions   = ["s3:ListBucket"]
    resources = [var.bucket_arn]
  }

  dynamic "statement" {
    for_each = length(var.parameter_arns) > 0 ? [1] : []

    content {
      sid       = "OwnParameters"
      actions   = ["ssm:GetParameter"]
      resources = var.parameter_arns
    }
  }

  # SecureString values are encrypted with the account's aws/ssm key; decrypt
  # only when SSM asks on the function's behalf. That AWS-managed key's ARN is
  # not known before SSM first creates it, hence key/* narrowed by kms:ViaService.
  dynamic "statement" {
    for_each = length(var.parameter_arns) > 0 ? [1] : []

    content {
      sid       = "DecryptViaSsm"
      actions   = ["kms:Decrypt"]
      resources = ["arn:${data.aws_partition.current.partition}:kms:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:key/*"]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["ssm.${data.aws_region.current.name}.amazonaws.com"]
      }
    }
  }

  statement {
    sid       = "OwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${local.log_group_arn}:*"]
  }
}

resource "aws_iam_role_policy" "lambda" {
  name   = "${var.name}-access"
  role   = aws_iam_role.lambda.id
  policy = data.aws_iam_policy_document.lambda.json
}

# Created here, not by Lambda on first write, so it has a retention and is
# destroyed with the stack.
resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_158:Logs are encrypted at rest by CloudWatch Logs' own keys; a customer-managed KMS key costs per month and adds a key policy to keep right, for logs that hold no secrets.
  #checkov:skip=CKV_AWS_338:Retention is the log_retention_days variable (14 days by default) on purpose: a year of request logs is a cost with no use here; raise it per environment if needed.
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_days
}

locals {
  # Zips the build marks as large (over Lambda's direct upload limit) go through S3.
  uploads = { for name, artifact in { code = var.code, layer = var.layer } : name => artifact if artifact.large }
}

resource "aws_s3_object" "artifact" {
  for_each = local.uploads

  bucket = var.artifacts_bucket
  # Named by content, so a new build is a new object and an unchanged one is left alone.
  key         = "${var.name}/${each.key}-${replace(replace(trimsuffix(each.value.sha256_base64, "="), "/", "_"), "+", "-")}.zip"
  source      = each.value.path
  source_hash = each.value.sha256_base64
}

resource "aws_lambda_layer_version" "this" {
  layer_name               = "${var.name}-deps"
  filename                 = var.layer.large ? null : var.layer.path
  s3_bucket                = var.layer.large ? aws_s3_object.artifact["layer"].bucket : null
  s3_key                   = var.layer.large ? aws_s3_object.artifact["layer"].key : null
  source_code_hash         = var.layer.sha256_base64
  compatible_runtimes      = [var.runtime]
  compatible_architectures = [var.architecture]
}

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_116:Invoked synchronously by the HTTP API only; a dead-letter queue applies to asynchronous invocations.
  #checkov:skip=CKV_AWS_117:The function reaches only S3, SSM and CloudWatch Logs through their public endpoints; a VPC would add NAT or endpoint cost and cold-start latency for no isolation gain.
  #checkov:skip=CKV_AWS_173:The environment holds only resource names (bucket, parameter names), no secrets; secrets are read from SSM SecureString parameters at run time.
  #checkov:skip=CKV_AWS_272:Code signing needs a Signer profile per account; the deploy applies exactly the zips whose SHA-256 the build recorded (source_code_hash).
  #checkov:skip=CKV_AWS_50:X-Ray tracing adds cost and an xray:Put* grant; logs and API access logs cover this service's needs.
  function_name    = var.name
  role             = aws_iam_role.lambda.arn
  handler          = "index.handler"
  runtime          = var.runtime
  architectures    = [var.architecture]
  filename         = var.code.large ? null : var.code.path
  s3_bucket        = var.code.large ? aws_s3_object.artifact["code"].bucket : null
  s3_key           = var.code.large ? aws_s3_object.artifact["code"].key : null
  source_code_hash = var.code.sha256_base64
  layers           = [aws_lambda_layer_version.this.arn]

  memory_size                    = var.memory_size
  timeout                        = var.timeout
  reserved_concurrent_executions = var.reserved_concurrency
  # Provisioned concurrency needs a published version behind an alias.
  publish = var.provisioned_concurrency > 0

  environment {
    variables = var.environment
  }

  # The log group must exist (with its retention) before the first invocation
  # writes to it, and the role must be able to write there.
  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy.lambda]
}

resource "aws_lambda_alias" "live" {
  count = var.provisioned_concurrency > 0 ? 1 : 0

  name             = "live"
  function_name    = aws_lambda_function.this.function_name
  function_version = aws_lambda_function.this.version
}

resource "aws_lambda_provisioned_concurrency_config" "live" {
  count = var.provisioned_concurrency > 0 ? 1 : 0

  function_name                     = aws_lambda_function.this.function_name
  qualifier                         = aws_lambda_alias.live[0].name
  provisioned_concurrent_executions = var.provisioned_concurrency
}
