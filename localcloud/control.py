"""Bring the local cloud up and down: the local AWS and the API gateway, each with a pid file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from localcloud import aws, processes
from shipper.environments import LocalCloud


def state_dir(root: Path) -> Path:
    return root / "build" / "local"


def gateway_pid_file(root: Path) -> Path:
    return state_dir(root) / "gateway.pid"


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

    return {
        "local AWS": describe(aws.pid_file(state_dir(root)), local.aws_port),
        "gateway": describe(gateway_pid_file(root), local.gateway_port),
    }
