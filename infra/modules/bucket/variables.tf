variable "name" {
  description = "Globally unique bucket name."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.name))
    error_message = "Bucket names are 3-63 characters of lower-case letters, digits, dots and hyphens."
  }
}

variable "deny_insecure_transport" {
  description = "Add a bucket policy that denies any request not made over TLS. Turn off only for a local AWS that cannot evaluate the aws:SecureTransport condition."
  type        = bool
  default     = true
}

variable "force_destroy" {
  description = "Let `terraform destroy` delete the bucket while it still holds objects (and their versions)."
  type        = bool
  default     = false
}
