variable "prefix" {
  description = "Path prefix of the parameters, e.g. /files-api/dev; each is <prefix>/<name>."
  type        = string

  validation {
    condition     = can(regex("^(/[a-zA-Z0-9_.-]+)+$", var.prefix))
    error_message = "prefix must be a path like /files-api/dev."
  }
}

variable "secrets" {
  description = "The service's secrets: name => description. Terraform creates each as a SecureString holding a placeholder; real values are set out of band (`invoke secrets.set NAME`), never through Terraform."
  type        = map(string)
}
