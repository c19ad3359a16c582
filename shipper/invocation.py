"""`invoke invoke-event FILE`: hand a crafted event to the deployed function.

On AWS through Lambda's Invoke API; on the local cloud through one execution
environment of the local runtime, built from the same deployed configuration the
local API gateway uses (moto's own Invoke would need docker).
"""

from __future__ import annotations

import base64
import json
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3

from localcloud import functions, gateway, pythons
from localcloud.sandbox import InvocationFailed, Sandbox
from shipper.errors import ShipError

if TYPE_CHECKING:
    from mypy_boto3_lambda import LambdaClient


def read_event(path: Path) -> dict[str, Any]:
    """The event in `path`, which must hold one JSON object."""
    try:
        event = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise ShipError(f"cannot read an event from {path}: {exc}") from exc
    if not isinstance(event, dict):
        raise ShipError(f"{path} must hold a JSON object (a Lambda event)")
    return event


def on_aws(lam: LambdaClient, function: str, event: dict[str, Any]) -> tuple[Any, str]:
    """Invoke synchronously; the function's result and the tail of its log."""
    response = lam.invoke(FunctionName=function, Payload=json.dumps(event), LogType="Tail")
    payload = json.loads(response["Payload"].read() or b"null")
    log = base64.b64decode(response.get("LogResult", "")).decode(errors="replace")
    if "FunctionError" in response:
        raise ShipError(f"the function failed: {payload}\n{log}")
    return payload, log


def on_local_cloud(
    root: Path,
    endpoint: str,
    region: str,
    api_id: str,
    aws_env: dict[str, str],
    event: dict[str, Any],
) -> Any:
    """Run `event` in a fresh local execution environment of the API's function, then stop it."""
    session = boto3.Session(region_name=region)
    lam = session.client("lambda", endpoint_url=endpoint)
    apigw = session.client("apigatewayv2", endpoint_url=endpoint)
    manifest = json.loads((root / "build" / "manifest.json").read_text())
    state = root / "build" / "local"
    try:
        spec = functions.load(lam, apigw, api_id, manifest, root)
        python = pythons.find_python(spec.python_version)
    except (functions.DeploymentMismatch, pythons.RuntimeUnavailable) as exc:
        raise ShipError(str(exc)) from exc
    platform = f"{gateway.UV_ARCH[spec.architecture]}-manylinux_2_34"
    site = pythons.runtime_packages(root, spec.python_version, platform, state / "runtime")
    sandbox = Sandbox(spec, python, site, state / "code", aws_env)
    try:
        sandbox.start()
        return sandbox.invoke(event, str(uuid.uuid4()))
    except InvocationFailed as exc:
        raise ShipError(f"the function failed: {exc}") from exc
    finally:
        sandbox.stop()
