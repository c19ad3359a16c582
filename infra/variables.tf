variable "name" {
  description = "Service name; prefixes every resource name."
  type        = string
  default     = "files-api"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 characters of lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name (local, dev, prod, ...); part of every resource name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{0,15}$", var.environment))
    error_message = "environment must be 1-16 lower-case letters and digits, starting with a letter."
  }
}

variable "region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region code such as us-east-1 or eu-west-1."
  }
}

variable "s3_use_path_style" {
  description = "Address S3 with path-style URLs; needed for a local AWS reached by IP address."
  type        = bool
  default     = false
}

variable "artifacts" {
  description = "The build's artifacts, from build/manifest.json: where each zip is, its base64 SHA-256 (Terraform's source_code_hash) and whether it is too large for a direct upload (then it goes through S3). Written by `invoke build` to infra/build.auto.tfvars.json."
  type = object({
    code = object({
      path          = string
      sha256_base64 = string
      large         = optional(bool, false)
    })
    layer = object({
      path          = string
      sha256_base64 = string
      large         = optional(bool, false)
    })
    runtime      = string
    architecture = string
  })

  # Lambda rejects an unknown runtime or architecture only at create time, after
  # the role, bucket and layer upload already happened.
  validation {
    condition = contains([
      for pair in setproduct(["python3.11", "python3.12", "python3.13"], ["arm64", "x86_64"]) : join("/", pair)
    ], "${var.artifacts.runtime}/${var.artifacts.architecture}")
    error_message = "artifacts.runtime/architecture must be python3.11, python3.12 or python3.13 on arm64 or x86_64: rebuild with `invoke build --env NAME`."
  }

  validation {
    condition     = can(regex("^[A-Za-z0-9+/]{43}=$", var.artifacts.code.sha256_base64)) && can(regex("^[A-Za-z0-9+/]{43}=$", var.artifacts.layer.sha256_base64))
    error_message = "artifacts.*.sha256_base64 must be a base64 SHA-256 (44 characters), as build/manifest.json holds."
  }
}

variable "function" {
  description = "The function's sizing and behaviour. provisioned_concurrency > 0 publishes a version behind a `live` alias, keeps that many environments warm (billed while idle) and points the API at the alias."
  type = object({
    memory_size             = optional(number, 512)
    timeout                 = optional(number, 15)
    reserved_concurrency    = optional(number, -1)
    provisioned_concurrency = optional(number, 0)
    log_retention_days      = optional(number, 14)
    environment             = optional(map(string), {})
  })
  default = {}
}

variable "throttling" {
  description = "The HTTP API stage's throttling, a guard on cost: steady requests per second, and burst."
  type = object({
    rate_limit  = optional(number, 50)
    burst_limit = optional(number, 100)
  })
  default = {}
}

variable "bucket_deny_insecure_transport" {
  description = "Deny non-TLS access to the files bucket. Keep true on AWS; the local AWS (moto) treats the aws:SecureTransport condition as always met and would deny every request."
  type        = bool
  default     = true
}

variable "bucket_force_destroy" {
  description = "Allow destroying the files bucket while it still holds objects. Keep false for any environment with data worth keeping."
  type        = bool
  default     = false
}
