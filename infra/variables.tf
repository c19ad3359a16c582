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
}

variable "s3_use_path_style" {
  description = "Address S3 with path-style URLs; needed for a local AWS reached by IP address."
  type        = bool
  default     = false
}

variable "artifacts" {
  description = "The build's artifacts, from build/manifest.json: where each zip is and its base64 SHA-256 (Terraform's source_code_hash). Written by `invoke build` to infra/build.auto.tfvars.json."
  type = object({
    code = object({
      path          = string
      sha256_base64 = string
    })
    layer = object({
      path          = string
      sha256_base64 = string
    })
    runtime      = string
    architecture = string
  })
}

variable "function" {
  description = "The function's sizing and behaviour."
  type = object({
    memory_size          = optional(number, 512)
    timeout              = optional(number, 15)
    reserved_concurrency = optional(number, -1)
    log_retention_days   = optional(number, 14)
    environment          = optional(map(string), {})
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
