# Terraform owns the parameters, never their values: value_wo is write-only, so
# neither the placeholder nor any value set later is stored in state or plans,
# and a value rotated out of band shows no drift.
resource "aws_ssm_parameter" "this" {
  for_each = var.secrets

  name        = "${var.prefix}/${each.key}"
  description = each.value
  type        = "SecureString"

  value_wo         = "unset"
  value_wo_version = 1
}
