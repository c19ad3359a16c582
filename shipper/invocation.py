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

from localcloud import functions, invoker, pythons
from localcloud.sandbox import InvocationFailed
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
    root: Path, endpoint: str, region: str, function: str, event: dict[str, Any]
) -> Any:
    """Run `event` in a fresh local execution environment of `function`, then stop it.

    Its START, output, END and REPORT lines go to the function's local log group.
    """
    lam = boto3.Session(region_name=region).client("lambda", endpoint_url=endpoint)
    try:
        artifacts = functions.Artifacts.from_manifest(root / "build" / "manifest.json", root)
        local = invoker.open_function(
            functions.load(lam, function, artifacts),
            root=root,
            state_dir=root / "build" / "local",
            endpoint=endpoint,
            region=region,
            concurrency=1,
            idle_seconds=0.0,
        )
    except (functions.DeploymentMismatch, pythons.RuntimeUnavailable) as exc:
        raise ShipError(str(exc)) from exc
    answers: list[bytes] = []
    try:
        local.invoke(json.dumps(event).encode(), str(uuid.uuid4()), answers.append)
    except InvocationFailed as exc:
        raise ShipError(f"the function failed: {exc}") from exc
    finally:
        local.close()
        local.sink.close()
    return json.loads(answers[0] or b"null")
