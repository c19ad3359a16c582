"""A local cloud for lifecycle tests: a moto server, the `lab` functions (tests/e2e/lab) behind
an HTTP API created with boto3, and the local gateway serving them. No terraform needed."""

from __future__ import annotations

import http.client
import json
import os
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from localcloud import aws, processes
from shipper import manifest, zips
from shipper.environments import host_architecture
from tests.conftest import ROOT, free_port

LAB = Path(__file__).resolve().parent / "lab"
REGION = "us-east-1"
TIMEOUT = 2
IDLE_SECONDS = 4.0
# name: (handler, reserved concurrency)
FUNCTIONS = {
    "lab": ("index.handler", 1),
    "lab-pair": ("index.handler", 2),
    "lab-broken": ("missing.handler", None),
}
ROUTES = {
    "ANY /lab/{proxy+}": "lab",
    "GET /pair/{proxy+}": "lab-pair",
    "GET /broken/{proxy+}": "lab-broken",
}

ACCESS_LOG_GROUP = "/aws/apigateway/lab"
ACCESS_LOG_ARN = f"arn:aws:logs:{REGION}:123456789012:log-group:{ACCESS_LOG_GROUP}:*"
ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "routeKey": "$context.routeKey",
        "status": "$context.status",
        "responseLength": "$context.responseLength",
        "latency": "$context.integrationLatency",
        "error": "$context.error.message",
        "agent": "$context.identity.userAgent",
    }
)


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class LabCloud:
    endpoint: str
    url: str
    gateway_log: Path

    def client(self, service: str) -> Any:
        return aws.client(service, self.endpoint, REGION)

    def request(
        self, method: str, target: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> Response:
        port = int(self.url.rsplit(":", 1)[1])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        began = time.monotonic()
        try:
            connection.request(method, target, body=body, headers=headers or {})
            response = connection.getresponse()
            data = response.read()
            return Response(response.status, response.headers, data, time.monotonic() - began)
        finally:
            connection.close()

    def exchange(self, data: bytes) -> bytes:
        """Send `data` as it is on a new connection; what comes back until the gateway closes."""
        port = int(self.url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
            sock.sendall(data)
            received = b""
            while chunk := sock.recv(65536):
                received += chunk
            return received

    def log_lines(self, function: str, wait_for: str, timeout: float = 10.0) -> list[str]:
        """The function's log group's lines, once one contains `wait_for` (shipping is async)."""
        return self.group_lines(f"/aws/lambda/{function}", wait_for, timeout)

    def group_lines(self, group: str, wait_for: str, timeout: float = 10.0) -> list[str]:
        """A log group's lines, once one contains `wait_for`."""
        logs = self.client("logs")
        deadline = time.monotonic() + timeout
        while True:
            found = logs.filter_log_events(logGroupName=group)["events"]
            lines = [event["message"] for event in found]
            if any(wait_for in line for line in lines) or time.monotonic() > deadline:
                return lines
            time.sleep(0.2)


def _deploy(cloud: LabCloud, work: Path) -> tuple[str, Path]:
    """Create the lab functions and their HTTP API; returns the API id and a build manifest."""
    code = zips.write_zip(LAB, [Path("index.py")], work / "code.zip")
    layer_src = work / "layer" / "python"
    layer_src.mkdir(parents=True)
    (layer_src / "labdep.py").write_text('NAME = "labdep from the layer"\n')
    layer = zips.write_zip(work / "layer", zips.tree_files(work / "layer"), work / "layer.zip")
    iam, lam, apigw = cloud.client("iam"), cloud.client("lambda"), cloud.client("apigatewayv2")
    role = iam.create_role(RoleName="lab", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    layer_arn = lam.publish_layer_version(
        LayerName="lab-deps", Content={"ZipFile": layer.path.read_bytes()}
    )["LayerVersionArn"]
    arns = {}
    for name, (handler, reserved) in FUNCTIONS.items():
        arns[name] = lam.create_function(
            FunctionName=name,
            Runtime="python3.12",
            Role=role,
            Handler=handler,
            Code={"ZipFile": code.path.read_bytes()},
            Layers=[layer_arn],
            Timeout=TIMEOUT,
            MemorySize=256,
            Architectures=[host_architecture()],
        )["FunctionArn"]
        if reserved is not None:
            lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=reserved)
    api_id = apigw.create_api(Name="lab", ProtocolType="HTTP")["ApiId"]
    for route_key, name in ROUTES.items():
        integration = apigw.create_integration(
            ApiId=api_id,
            IntegrationType="AWS_PROXY",
            IntegrationUri=arns[name],
            PayloadFormatVersion="2.0",
        )
        apigw.create_route(
            ApiId=api_id, RouteKey=route_key, Target=f"integrations/{integration['IntegrationId']}"
        )
    apigw.create_stage(
        ApiId=api_id,
        StageName="$default",
        AutoDeploy=True,
        AccessLogSettings={"DestinationArn": ACCESS_LOG_ARN, "Format": ACCESS_LOG_FORMAT},
    )
    listed = {"code": {"path": str(code.path)}, "layer": {"path": str(layer.path)}}
    manifest.write(work / "manifest.json", {"artifacts": listed})
    return api_id, work / "manifest.json"


def pid_files(work: Path) -> list[Path]:
    """What `start` leaves running, in the order to stop it."""
    return [work / "state" / "gateway.pid", work / "state" / "aws.pid"]


def start(work: Path) -> LabCloud:
    """Start moto and the gateway for the lab (stop them by `pid_files`)."""
    aws_port, gateway_port = free_port(), free_port()
    endpoint = f"http://127.0.0.1:{aws_port}"
    state = work / "state"
    cloud = LabCloud(endpoint, f"http://127.0.0.1:{gateway_port}", state / "gateway.log")
    gateway_pid, aws_pid = pid_files(work)
    processes.start(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(aws_port)],
        aws_pid,
        state / "aws.log",
        aws_port,
    )
    api_id, manifest_path = _deploy(cloud, work)
    env = {**os.environ, **aws.client_environment(endpoint, REGION)}
    processes.start(
        [
            sys.executable,
            "-m",
            "localcloud.gateway",
            *("--root", str(ROOT), "--api-id", api_id, "--port", str(gateway_port)),
            *("--endpoint", endpoint, "--region", REGION, "--state-dir", str(state)),
            *("--manifest", str(manifest_path), "--idle-seconds", str(IDLE_SECONDS)),
        ],
        gateway_pid,
        cloud.gateway_log,
        gateway_port,
        timeout=120,
        cwd=ROOT,
        env={k: v for k, v in env.items() if v is not None},
    )
    return cloud
