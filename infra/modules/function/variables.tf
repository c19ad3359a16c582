variable "name" {
  description = "Function name; also names its role, log group and layer."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9-_]{1,56}$", var.name))
    error_message = "name must be 1-56 letters, digits, hyphens or underscores (Lambda allows 64, the layer name adds a suffix)."
  }
}

variable "code" {
  description = "The code zip from the build: its path, base64 SHA-256, and whether it is too large for a direct upload (then it goes through an object in artifacts_bucket)."
  type = object({
    path          = string
    sha256_base64 = string
    large         = optional(bool, false)
  })
}

variable "layer" {
  description = "The dependency layer zip from the build: its path, base64 SHA-256, and whether it is too large for a direct upload (then it goes through an object in artifacts_bucket)."
  type = object({
    path          = string
    sha256_base64 = string
    large         = optional(bool, false)
  })
}

variable "runtime" {
  description = "Lambda Python runtime the artifacts were built for."
  type        = string

  validation {
    condition     = contains(["python3.11", "python3.12", "python3.13"], var.runtime)
    error_message = "runtime must be one of python3.11, python3.12, python3.13."
  }
}

variable "architecture" {
  description = "Instruction set the layer was built for."
  type        = string

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be arm64 or x86_64."
  }
}

variable "memory_size" {
  description = "Memory in MB (128-10240); CPU scales with it."
  type        = number
  default     = 512

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240
    error_message = "memory_size must be between 128 and 10240 MB."
  }
}

variable "timeout" {
  description = "Timeout in seconds. API Gateway HTTP APIs give up after 30 s, so more is wasted."
  type        = number
  default     = 15

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 30
    error_message = "timeout must be between 1 and 30 seconds (the HTTP API integration limit)."
  }
}

variable "reserved_concurrency" {
  description = "Reserved concurrent executions; -1 for none (the account's unreserved pool)."
  type        = number
  default     = -1

  validation {
    condition     = var.reserved_concurrency >= -1 && floor(var.reserved_concurrency) == var.reserved_concurrency
    error_message = "reserved_concurrency must be -1 (none) or a whole number of executions."
  }
}

variable "provisioned_concurrency" {
  description = "Environments kept initialised (billed while idle) behind a `live` alias; 0 for none, which also skips publishing versions."
  type        = number
  default     = 0

  validation {
    condition     = var.provisioned_concurrency >= 0 && floor(var.provisioned_concurrency) == var.provisioned_concurrency
    error_message = "provisioned_concurrency must be a whole number, 0 for none."
  }

  # AWS accepts this at plan time and fails only when configuring the alias.
  validation {
    condition     = var.reserved_concurrency < 0 || var.provisioned_concurrency <= var.reserved_concurrency
    error_message = "provisioned_concurrency cannot exceed reserved_concurrency."
  }
}

variable "log_retention_days" {
  description = "Days to keep the function's logs; one of the values CloudWatch Logs accepts."
  type        = number
  default     = 14

  # CloudWatch accepts only these, and says so only when the log group is created.
  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

variable "artifacts_bucket" {
  description = "Bucket for zips marked large, which Lambda takes only from S3. Required when one is."
  type        = string
  default     = null

  validation {
    condition     = var.artifacts_bucket != null || !(var.code.large || var.layer.large)
    error_message = "artifacts_bucket is required when the code or layer zip is marked large."
  }
}

variable "environment" {
  description = "Environment variables of the function. Never put secret values here: name SSM parameters instead."
  type        = map(string)
  default     = {}
}

variable "parameter_arns" {
  description = "ARNs of the SSM parameters the function may read (its secrets)."
  type        = list(string)
  default     = []
}

variable "bucket_arn" {
  description = "ARN of the files bucket the function reads and writes."
  type        = string
}
