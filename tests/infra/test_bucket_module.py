"""The bucket module applied alone to a moto server: a bucket holding files is not destroyed
unless force_destroy allows it."""

from __future__ import annotations

import os
from pathlib import Path

import boto3
import pytest
from python_terraform import IsFlagged, IsNotFlagged, Terraform

from shipper import terraform
from shipper.errors import ShipError
from tests.conftest import ROOT

pytestmark = pytest.mark.integration

BUCKET = "bucket-module-test-files"
CONFIG = """
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region            = "us-east-1"
  s3_use_path_style = true
}

variable "force_destroy" {
  description = "Passed to the module."
  type        = bool
}

module "bucket" {
  source = "%s"

  name                    = "%s"
  force_destroy           = var.force_destroy
  deny_insecure_transport = false # moto cannot evaluate aws:SecureTransport
}
"""


@pytest.fixture
def workdir(
    tmp_path: Path, moto_endpoint: str, aws_credentials: None, monkeypatch: pytest.MonkeyPatch
) -> Terraform:
    (tmp_path / "main.tf").write_text(CONFIG % (ROOT / "infra" / "modules" / "bucket", BUCKET))
    mirror = terraform.find_provider_mirror(os.environ.get("FILES_API_TF_MIRROR"))
    cli_config = terraform.write_cli_config(tmp_path / "terraform.rc", mirror)
    monkeypatch.setenv("TF_CLI_CONFIG_FILE", str(cli_config))
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    tf = Terraform(working_dir=str(tmp_path))
    terraform.capture(tf, "init", input=False, no_color=IsFlagged)
    return tf


def _run(tf: Terraform, command: str, force_destroy: bool) -> None:
    """`terraform apply` or `destroy`, unattended, with the module's force_destroy."""
    terraform.capture(
        tf,
        command,
        input=False,
        auto_approve=IsFlagged,
        force=IsNotFlagged,  # python-terraform's default -force flag is gone from terraform
        no_color=IsFlagged,
        var={"force_destroy": "true" if force_destroy else "false"},
    )


def test_destroying_a_bucket_with_files_is_refused_unless_force_destroy(
    workdir: Terraform, moto_endpoint: str
) -> None:
    s3 = boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1")
    _run(workdir, "apply", force_destroy=False)
    s3.put_object(Bucket=BUCKET, Key="kept.txt", Body=b"data")

    with pytest.raises(ShipError, match="BucketNotEmpty"):
        _run(workdir, "destroy", force_destroy=False)
    assert s3.get_object(Bucket=BUCKET, Key="kept.txt")["Body"].read() == b"data"

    _run(workdir, "apply", force_destroy=True)
    _run(workdir, "destroy", force_destroy=True)

    assert BUCKET not in [b["Name"] for b in s3.list_buckets()["Buckets"]]
