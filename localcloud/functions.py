"""What the local gateway runs: deployed functions, as configured in the local AWS, and only
with the local build artifacts whose hashes equal the deployed ones."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from shipper import zips

if TYPE_CHECKING:
    from mypy_boto3_lambda import LambdaClient

REDEPLOY = "run `invoke build deploy` to bring them in line"


class DeploymentMismatch(Exception):
    """The deployed function is not what the build produced."""


class Artifacts:
    """Local zips by content hash (base64 sha256, as Lambda's CodeSha256)."""

    def __init__(self, paths: Iterable[Path]) -> None:
        self.by_hash = {zips.describe(path, 0).sha256_base64: path for path in paths}

    @classmethod
    def from_manifest(cls, manifest: Path, root: Path) -> Artifacts:
        """The zips build/manifest.json lists, hashed as they are on disk now."""
        if not manifest.is_file():
            raise DeploymentMismatch(f"{manifest} is missing: {REDEPLOY}")
        entries = json.loads(manifest.read_text()).get("artifacts", {}).values()
        return cls(root / entry["path"] for entry in entries if (root / entry["path"]).is_file())

    def find(self, what: str, deployed: str) -> Path:
        """The local zip whose hash is `deployed`; refuses if there is none."""
        if deployed not in self.by_hash:
            local = ", ".join(f"{p.name} ({h})" for h, p in self.by_hash.items()) or "none"
            raise DeploymentMismatch(
                f"the deployed {what} has sha256 {deployed}, and no local build artifact has it "
                f"(local: {local}): {REDEPLOY}"
            )
        return self.by_hash[deployed]


@dataclass(frozen=True)
class FunctionSpec:
    """A deployed function's configuration, and the build artifacts that are its code."""

    name: str
    arn: str
    handler: str
    runtime: str
    architecture: str
    memory_size: int
    timeout: int
    environment: dict[str, str]
    code_zip: Path
    layer_zips: tuple[Path, ...]
    reserved_concurrency: int | None

    @property
    def python_version(self) -> str:
        return self.runtime.removeprefix("python")


def load(lam: LambdaClient, arn: str, artifacts: Artifacts) -> FunctionSpec:
    """The function `arn` as deployed, refusing to run artifacts other than the deployed ones."""
    config = lam.get_function_configuration(FunctionName=arn)
    code = artifacts.find(f"code of {config['FunctionName']}", config["CodeSha256"])
    layers = []
    for layer in config.get("Layers", []):
        name, _, version = layer["Arn"].rpartition(":")
        content = lam.get_layer_version(LayerName=name, VersionNumber=int(version))["Content"]
        layers.append(artifacts.find(f"layer {layer['Arn']}", content.get("CodeSha256", "")))
    concurrency = lam.get_function_concurrency(FunctionName=arn).get("ReservedConcurrentExecutions")
    return FunctionSpec(
        name=config["FunctionName"],
        arn=config["FunctionArn"],
        handler=config["Handler"],
        runtime=config["Runtime"],
        architecture=(config.get("Architectures") or ["x86_64"])[0],
        memory_size=config["MemorySize"],
        timeout=config["Timeout"],
        environment=dict(config.get("Environment", {}).get("Variables", {})),
        code_zip=code,
        layer_zips=tuple(layers),
        reserved_concurrency=concurrency,
    )
