variable "name" {
  description = "Function name; also names its role, log group and layer."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9-_]{1,56}$", var.name))
    error_message = "name must be 1-56 letters, digits, hyphens or underscores (Lambda allows 64, the layer name adds a suffix)."
  }
}

variable "code" {
  description = "The code zip from the build: its path and base64 SHA-256."
  type = object({
    path          = string
    sha256_base64 = string
  })
}

variable "layer" {
  description = "The dependency layer zip from the build: its path and base64 SHA-256."
  type = object({
    path          = string
    sha256_base64 = string
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
}

variable "log_retention_days" {
  description = "Days to keep the function's logs."
  type        = number
  default     = 14
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
