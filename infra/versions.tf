terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # Partial configuration: bucket, key and region come from the environment's
  # file (environments/<env>.toml, [terraform] backend) at `terraform init`;
  # the tasks always add use_lockfile = true (S3-native state locking).
  backend "s3" {}
}
