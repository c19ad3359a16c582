"""Deployment environments, one TOML file each under `environments/`."""

from __future__ import annotations

import os
import platform
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shipper.errors import ShipError

ARCHITECTURES = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "arm64", "arm64": "arm64"}


def host_architecture() -> str:
    """This machine's architecture in Lambda's spelling (x86_64 or arm64)."""
    machine = platform.machine().lower()
    if machine not in ARCHITECTURES:
        raise ShipError(f"unsupported host architecture {machine!r}: Lambda runs x86_64 and arm64")
    return ARCHITECTURES[machine]


@dataclass(frozen=True)
class LocalCloud:
    """Where the local AWS and the local API gateway listen."""

    aws_port: int
    gateway_port: int

    @property
    def aws_endpoint(self) -> str:
        return f"http://127.0.0.1:{self.aws_port}"

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"


@dataclass(frozen=True)
class Environment:
    """One deployment target: build target, Terraform backend and variables."""

    name: str
    region: str
    python: str
    architecture: str
    backend: dict[str, str]
    tf_vars: dict[str, Any] = field(default_factory=dict)
    local: LocalCloud | None = None

    @property
    def runtime(self) -> str:
        return f"python{self.python}"


def _local_cloud(settings: dict[str, Any]) -> LocalCloud:
    """Ports from the file, each overridable by FILES_API_<NAME> (e.g. FILES_API_GATEWAY_PORT)."""
    ports = {
        name: int(os.environ.get(f"FILES_API_{name.upper()}", settings.get(name, default)))
        for name, default in (("aws_port", 4566), ("gateway_port", 3000))
    }
    return LocalCloud(**ports)


def load(root: Path, name: str) -> Environment:
    """Read `environments/<name>.toml`; an unknown name lists the known ones."""
    path = root / "environments" / f"{name}.toml"
    if not path.is_file():
        known = sorted(p.stem for p in path.parent.glob("*.toml"))
        raise ShipError(f"no environment {name!r}: expected {path}. Known: {', '.join(known)}")
    data = tomllib.loads(path.read_text())
    build = data.get("build", {})
    architecture = build.get("architecture", "arm64")
    if architecture == "host":
        architecture = host_architecture()
    terraform = data.get("terraform", {})
    local = data.get("local")
    return Environment(
        name=name,
        region=data.get("region", "us-east-1"),
        python=str(build.get("python", "3.12")),
        architecture=architecture,
        backend=dict(terraform.get("backend", {})),
        tf_vars=dict(terraform.get("vars", {})),
        local=_local_cloud(local) if local is not None else None,
    )
