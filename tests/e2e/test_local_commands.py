"""`invoke local.*` around a real deployment of the service: up, status, cost, down."""

from __future__ import annotations

import hashlib
import http.client
import json
import re
import time

import pytest

from localcloud import aws
from tests.e2e.conftest import Project

pytestmark = pytest.mark.integration


def _put(project: Project, target: str, body: bytes) -> tuple[int, dict[str, str], str]:
    port = int(project.gateway_url.rsplit(":", 1)[1])
    token = project.invoke("token").stdout.strip()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("PUT", target, body=body, headers={"Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        return response.status, json.loads(response.read()), response.headers["apigw-requestid"]
    finally:
        connection.close()


def _gateway_pid(status: str) -> str:
    found = re.search(r"gateway: running \(pid (\d+)\)", status)
    assert found is not None, status
    return found[1]


def test_local_commands_around_a_deployment(project: Project) -> None:
    project.invoke("local.down")
    before = project.invoke("local.up").stdout
    assert "nothing is deployed locally: run `invoke build deploy`" in before
    assert "gateway: stopped" in before
    assert "environments:" not in before  # no gateway, nothing to say of its environments
    assert "local AWS: running" in before

    project.invoke("build", "deploy")
    up = project.invoke("local.up").stdout
    again = project.invoke("local.up").stdout
    assert f"API: {project.gateway_url}" in up
    assert _gateway_pid(again) == _gateway_pid(up)  # idempotent: the same gateway

    body = "unicode, bytes exact: é ✓ 🌞".encode()
    target = "/v1/files/cost/%C3%A9t%C3%A9%20a%2Bb%20%F0%9F%8C%9E.txt"
    status, answer, request_id = _put(project, target, body)
    assert status == 201, answer
    assert answer["path"] == "cost/été a+b 🌞.txt"
    assert answer["sha256"] == hashlib.sha256(body).hexdigest()

    logs = aws.client("logs", project.aws_endpoint, "us-east-1")
    group = project.output("log_group_name")
    deadline = time.monotonic() + 10
    while True:
        lines = [e["message"] for e in logs.filter_log_events(logGroupName=group)["events"]]
        if any(f"REPORT RequestId: {request_id}" in line for line in lines):
            break
        assert time.monotonic() < deadline, lines
        time.sleep(0.2)

    warm = project.invoke("local.status").stdout
    assert re.search(r"^environments: 1 warm: pid \d+ \([1-9]\d* MB\)$", warm, re.MULTILINE), warm

    cost = project.invoke("local.cost").stdout
    assert re.search(r"^1 invocations \(1 cold\)", cost, re.MULTILINE), cost
    assert re.search(r"total\s+\d+\.\d{4}", cost), cost

    down = project.invoke("local.down").stdout
    assert "stopped: gateway, local AWS" in down
    assert "gateway: stopped" in project.invoke("local.status").stdout
