variable "name" {
  description = "Name of the HTTP API."
  type        = string
}

variable "function_name" {
  description = "Name of the function the API proxies to."
  type        = string
}

variable "function_invoke_arn" {
  description = "Invoke ARN of that function (or of its alias)."
  type        = string
}

variable "function_qualifier" {
  description = "Alias the integration invokes, so the permission is granted on it; null for the unqualified function."
  type        = string
  default     = null
}

variable "log_retention_days" {
  description = "Days to keep the access logs; one of the values CloudWatch Logs accepts."
  type        = number
  default     = 14

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of the values CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ..."
  }
}

variable "throttling" {
  description = "Stage-wide throttling, a guard on cost: steady requests per second and burst."
  type = object({
    rate_limit  = optional(number, 50)
    burst_limit = optional(number, 100)
  })
  default = {}

  validation {
    condition     = var.throttling.rate_limit > 0 && var.throttling.burst_limit > 0 && var.throttling.burst_limit == floor(var.throttling.burst_limit)
    error_message = "throttling.rate_limit must be positive and burst_limit a positive whole number."
  }
}
