resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_18:Server access logs need a second bucket (and its own logs); every request already reaches S3 through the function, whose logs and the API's access logs record it.
  #checkov:skip=CKV_AWS_144:Cross-region replication doubles storage cost; versioning covers the undo this service needs, and the data is not business-critical enough to require a second region.
  #checkov:skip=CKV_AWS_145:Encrypted with S3-managed keys (SSE-S3, AES256); a customer-managed KMS key adds per-request KMS cost and a key policy, with no extra control needed here.
  #checkov:skip=CKV2_AWS_62:Nothing consumes object events; notifications would be configuration without a reader.
  #checkov:skip=CKV2_AWS_61:No lifecycle rule on purpose: versioning keeps overwritten and deleted objects until an operator prunes them, and expiring them automatically would defeat the undo.
  bucket        = var.name
  force_destroy = var.force_destroy
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket = aws_s3_bucket.this.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# Versioning lets a bad overwrite or delete be undone.
resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

data "aws_iam_policy_document" "tls_only" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  count = var.deny_insecure_transport ? 1 : 0

  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.tls_only.json

  # A bucket policy is rejected while the public access block is being set.
  depends_on = [aws_s3_bucket_public_access_block.this]
}
