variable "name" {
  description = "Name of the HTTP API."
  type        = string
}

variable "function_name" {
  description = "Name of the function the API proxies to."
  type        = string
}

variable "function_invoke_arn" {
  description = "Invoke ARN of that function."
  type        = string
}

variable "log_retention_days" {
  description = "Days to keep the access logs."
  type        = number
  default     = 14
}

variable "throttling" {
  description = "Stage-wide throttling, a guard on cost: steady requests per second and burst."
  type = object({
    rate_limit  = optional(number, 50)
    burst_limit = optional(number, 100)
  })
  default = {}
}
