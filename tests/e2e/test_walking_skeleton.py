"""`invoke build deploy` locally, then PUT and GET with the token through the local gateway."""

from __future__ import annotations

import hashlib
import http.client
import json
from urllib.parse import urlsplit

import boto3
import pytest

from tests.e2e.conftest import Project

pytestmark = pytest.mark.integration

ALL_BYTES = bytes(range(256))


def _request(
    url: str, method: str, path: str, body: bytes = b"", token: str | None = None
) -> tuple[int, bytes, str | None]:
    """Status, body and Content-Length of one request."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("Content-Length")
    finally:
        connection.close()


def test_build_deploy_put_lands_in_s3_and_redeploy_is_a_no_op(project: Project) -> None:
    first = project.invoke("build", "deploy")
    assert f"API: {project.gateway_url}" in first.stdout

    token = project.invoke("token").stdout.strip()
    path = "/v1/files/e2e/all%20bytes.bin"

    unauthorized, _, _ = _request(project.gateway_url, "PUT", path, ALL_BYTES)
    status, answer, _ = _request(project.gateway_url, "PUT", path, ALL_BYTES, token)
    read_status, read_back, _ = _request(project.gateway_url, "GET", path, token=token)
    head_status, _, head_length = _request(project.gateway_url, "HEAD", path, token=token)

    assert unauthorized == 401
    assert status == 201, answer
    body = json.loads(answer)
    assert body["path"] == "e2e/all bytes.bin"
    assert body["sha256"] == hashlib.sha256(ALL_BYTES).hexdigest()
    s3 = boto3.client(
        "s3",
        endpoint_url=project.aws_endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    bucket = project.output("bucket_name")
    assert s3.get_object(Bucket=bucket, Key="e2e/all bytes.bin")["Body"].read() == ALL_BYTES
    assert (read_status, read_back) == (200, ALL_BYTES)
    assert (head_status, head_length) == (200, str(len(ALL_BYTES)))

    second = project.invoke("build", "deploy")
    assert "layer unchanged" in second.stdout
    assert "No changes" in second.stdout, second.stdout
