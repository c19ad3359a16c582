terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # Partial configuration: bucket, key and region come from the environment's
  # backend file (infra/environments/<env>.s3.tfbackend) at `invoke deploy`.
  backend "s3" {}
}
