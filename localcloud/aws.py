"""The local AWS: a moto server on 127.0.0.1, started in the background on demand."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from localcloud import processes

# moto accepts any credentials; these make the AWS SDKs and Terraform sign requests.
DUMMY_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}


def client_environment(endpoint: str, region: str) -> dict[str, str | None]:
    """Environment variables that point AWS SDKs and Terraform at the local AWS."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        **DUMMY_CREDENTIALS,
        # A profile or session token from the user's shell must not leak into local calls.
        "AWS_PROFILE": None,
        "AWS_SESSION_TOKEN": None,
    }


def pid_file(state_dir: Path) -> Path:
    return state_dir / "aws.pid"


def ensure_running(state_dir: Path, port: int) -> bool:
    """Start the moto server unless this checkout's is running; True if it was started now.

    A server on the port that this checkout did not start is refused: deploying into
    another checkout's local AWS would silently change its resources.
    """
    if processes.read_pid(pid_file(state_dir)) is not None and processes.port_open(port):
        return False
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    processes.start(command, pid_file(state_dir), state_dir / "aws.log", port)
    return True


def stop(state_dir: Path) -> bool:
    return processes.stop(pid_file(state_dir))


def client(service: str, endpoint: str, region: str) -> Any:
    """A boto3 client for the local AWS."""
    import boto3

    make: Any = boto3.client  # typed per service name; this helper takes any
    return make(
        service,
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
