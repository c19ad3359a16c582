# Terraform owns the parameters, never their values: value_wo is write-only, so
# neither the placeholder nor any value set later is stored in state or plans,
# and a value rotated out of band shows no drift.
resource "aws_ssm_parameter" "this" {
  #checkov:skip=CKV_AWS_337:Encrypted with the account's aws/ssm key; a customer-managed key would need its own key policy and a kms:Decrypt grant on a key ARN we would have to manage, for no extra control here.
  for_each = var.secrets

  name        = "${var.prefix}/${each.key}"
  description = each.value
  type        = "SecureString"

  value_wo         = "unset"
  value_wo_version = 1
}
