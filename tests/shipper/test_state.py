from __future__ import annotations

import boto3
import pytest

from shipper import state

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    "region",
    [pytest.param("us-east-1", id="us-east-1"), pytest.param("eu-west-1", id="other-region")],
)
def test_bootstrap_creates_a_versioned_encrypted_private_bucket(
    moto_endpoint: str, aws_credentials: None, region: str
) -> None:
    s3 = boto3.client("s3", endpoint_url=moto_endpoint, region_name=region)
    bucket = f"state-{region}"

    created = state.bootstrap(s3, bucket, region)

    assert created is True
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert block == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    location = s3.get_bucket_location(Bucket=bucket).get("LocationConstraint")
    assert location == (None if region == "us-east-1" else region)


def test_bootstrap_again_keeps_the_bucket_and_its_state(
    moto_endpoint: str, aws_credentials: None
) -> None:
    s3 = boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1")
    state.bootstrap(s3, "state-again", "us-east-1")
    s3.put_object(Bucket="state-again", Key="files-api/dev.tfstate", Body=b"{}")

    created = state.bootstrap(s3, "state-again", "us-east-1")

    assert created is False
    body = s3.get_object(Bucket="state-again", Key="files-api/dev.tfstate")["Body"].read()
    assert body == b"{}"
