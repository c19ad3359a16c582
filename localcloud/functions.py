"""What the local gateway runs: the deployed API's function, as configured in the local AWS."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_apigatewayv2 import ApiGatewayV2Client
    from mypy_boto3_lambda import LambdaClient


class DeploymentMismatch(Exception):
    """The deployed function is not what the build produced."""


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


def integrated_function(apigw: ApiGatewayV2Client, api_id: str) -> str:
    """The ARN of the function behind the API's $default route."""
    routes = {r["RouteKey"]: r for r in apigw.get_routes(ApiId=api_id)["Items"]}
    if "$default" not in routes or "Target" not in routes["$default"]:
        raise DeploymentMismatch(f"API {api_id} has no $default route with an integration")
    integration_id = routes["$default"]["Target"].removeprefix("integrations/")
    uri = apigw.get_integration(ApiId=api_id, IntegrationId=integration_id)["IntegrationUri"]
    # arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function arn>/invocations
    return uri.split("/functions/", 1)[-1].removesuffix("/invocations")


def _check(what: str, deployed: str, built: dict[str, Any]) -> Path:
    if deployed != built["sha256_base64"]:
        raise DeploymentMismatch(
            f"the deployed {what} (sha256 {deployed}) is not {built['path']} "
            f"(sha256 {built['sha256_base64']}): run `invoke build deploy` to bring them in line"
        )
    return Path(built["path"])


def load(
    lam: LambdaClient, apigw: ApiGatewayV2Client, api_id: str, manifest: dict[str, Any], root: Path
) -> FunctionSpec:
    """The function behind `api_id`, refusing to run artifacts other than the deployed ones."""
    arn = integrated_function(apigw, api_id)
    config = lam.get_function_configuration(FunctionName=arn)
    artifacts = manifest["artifacts"]
    code = _check("function code", config["CodeSha256"], artifacts["code"])
    layers = []
    for layer in config.get("Layers", []):
        name, _, version = layer["Arn"].rpartition(":")
        content = lam.get_layer_version(LayerName=name, VersionNumber=int(version))["Content"]
        layers.append(
            _check(f"layer {layer['Arn']}", content.get("CodeSha256", ""), artifacts["layer"])
        )
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
        code_zip=root / code,
        layer_zips=tuple(root / path for path in layers),
        reserved_concurrency=concurrency,
    )
