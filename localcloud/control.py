"""Bring the local cloud up and down: the local AWS and the API gateway, each with a pid file."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from localcloud import aws, logs, pricing, processes
from shipper.environments import Environment, LocalCloud


class NotDeployed(Exception):
    """Nothing is deployed to the local AWS."""


def state_dir(root: Path) -> Path:
    return root / "build" / "local"


def gateway_pid_file(root: Path) -> Path:
    return state_dir(root) / "gateway.pid"


def gateway_running(root: Path) -> bool:
    return processes.read_pid(gateway_pid_file(root)) is not None


def start_gateway(root: Path, local: LocalCloud, region: str, api_id: str) -> None:
    """(Re)start the gateway for `api_id`: a fresh start means fresh environments for new code."""
    processes.stop(gateway_pid_file(root))
    command = [
        sys.executable,
        "-m",
        "localcloud.gateway",
        "--root",
        str(root),
        "--api-id",
        api_id,
        "--port",
        str(local.gateway_port),
        "--endpoint",
        local.aws_endpoint,
        "--region",
        region,
        "--state-dir",
        str(state_dir(root)),
    ]
    env = {**os.environ, **aws.client_environment(local.aws_endpoint, region)}
    processes.start(
        command,
        gateway_pid_file(root),
        state_dir(root) / "gateway.log",
        local.gateway_port,
        timeout=120,
        cwd=root,
        env={k: v for k, v in env.items() if v is not None},
    )


def deployed_outputs(env: Environment) -> dict[str, Any]:
    """The outputs of the stack deployed to the local AWS, read from its Terraform state there
    (no terraform run needed); raises `NotDeployed` if there is none."""
    assert env.local is not None
    s3 = aws.client("s3", env.local.aws_endpoint, env.region)
    try:
        body = s3.get_object(Bucket=env.backend["bucket"], Key=env.backend["key"])["Body"]
    except (s3.exceptions.NoSuchKey, s3.exceptions.NoSuchBucket) as exc:
        raise NotDeployed("nothing is deployed locally: run `invoke build deploy`") from exc
    outputs = json.loads(body.read()).get("outputs", {})
    if "api_id" not in outputs:
        raise NotDeployed("the local stack has no API yet: run `invoke build deploy`")
    return {name: item["value"] for name, item in outputs.items()}


def cost(env: Environment) -> pricing.Estimate | None:
    """The deployed function's cost per million requests, from its REPORT lines so far."""
    assert env.local is not None
    outputs = deployed_outputs(env)
    lam = aws.client("lambda", env.local.aws_endpoint, env.region)
    config = lam.get_function_configuration(FunctionName=outputs["function_name"])
    cloudwatch = aws.client("logs", env.local.aws_endpoint, env.region)
    reports = logs.read_reports(cloudwatch, logs.log_group(config["FunctionName"]))
    return pricing.estimate(reports, (config.get("Architectures") or ["x86_64"])[0])


def down(root: Path) -> list[str]:
    """Stop the gateway (and its runtimes) and the local AWS; the names of what was running."""
    stopped = []
    if processes.stop(gateway_pid_file(root)):
        stopped.append("gateway")
    if aws.stop(state_dir(root)):
        stopped.append("local AWS")
    return stopped


def status(root: Path, local: LocalCloud) -> dict[str, str]:
    def describe(pid_file: Path, port: int) -> str:
        pid = processes.read_pid(pid_file)
        if pid is not None:
            return f"running (pid {pid}) on 127.0.0.1:{port}"
        return "something else listens on its port" if processes.port_open(port) else "stopped"

    found = {
        "local AWS": describe(aws.pid_file(state_dir(root)), local.aws_port),
        "gateway": describe(gateway_pid_file(root), local.gateway_port),
    }
    gateway = processes.read_pid(gateway_pid_file(root))
    if gateway is not None:
        # The gateway's children are its functions' runtimes: one per warm environment.
        warm = processes.children(gateway)
        listed = ", ".join(f"pid {pid} ({mb} MB)" for pid, mb in warm)
        found["environments"] = f"{len(warm)} warm: {listed}" if warm else "none warm"
    return found
