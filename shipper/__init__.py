"""Build and ship files-api: artifacts, manifest, Terraform. tasks.py wires these functions."""
