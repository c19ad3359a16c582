"""Build and ship files-api: artifacts, manifest, Terraform. tasks/ wires these functions."""
