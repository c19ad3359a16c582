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
  # only when SSM asks on the function's behalf.
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
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_days
}

resource "aws_lambda_layer_version" "this" {
  layer_name               = "${var.name}-deps"
  filename                 = var.layer.path
  source_code_hash         = var.layer.sha256_base64
  compatible_runtimes      = [var.runtime]
  compatible_architectures = [var.architecture]
}

resource "aws_lambda_function" "this" {
  function_name    = var.name
  role             = aws_iam_role.lambda.arn
  handler          = "index.handler"
  runtime          = var.runtime
  architectures    = [var.architecture]
  filename         = var.code.path
  source_code_hash = var.code.sha256_base64
  layers           = [aws_lambda_layer_version.this.arn]

  memory_size                    = var.memory_size
  timeout                        = var.timeout
  reserved_concurrent_executions = var.reserved_concurrency

  environment {
    variables = var.environment
  }

  # The log group must exist (with its retention) before the first invocation
  # writes to it, and the role must be able to write there.
  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy.lambda]
}
