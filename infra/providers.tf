# Endpoints and credentials come from the standard AWS environment variables
# (AWS_ENDPOINT_URL, AWS_PROFILE, ...), so this same block serves real AWS and
# the local AWS of the `local` environment.
provider "aws" {
  region = var.region

  # A local AWS is reached by IP, where virtual-hosted bucket names cannot resolve.
  s3_use_path_style = var.s3_use_path_style

  default_tags {
    tags = {
      Service     = var.name
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
