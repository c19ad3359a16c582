"""A purpose-built Lambda function for the local cloud's lifecycle tests: `index.handler`.

The action is the first segment of the `proxy+` path parameter. Module state is the point:
it survives warm invocations of one execution environment and nothing else.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from typing import Any

import labdep  # from the layer: proves layers are unpacked where Lambda puts them

INVOCATIONS = 0


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    global INVOCATIONS
    INVOCATIONS += 1
    action, _, rest = event["pathParameters"]["proxy"].partition("/")
    print(f"lab: {action} (invocation {INVOCATIONS} of pid {os.getpid()})")
    if action == "sleep":
        time.sleep(float(rest))
    elif action == "hold":  # this many MB, written to, so resident
        held = b"x" * (int(rest) * 1024 * 1024)
        print(f"lab: holding {len(held)} bytes")
    elif action == "orphan":  # a child that holds the runtime's output, then a crash
        child = subprocess.Popen(["sleep", "60"])
        print(f"lab: child {child.pid}", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    elif action == "crash":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action == "raise":
        raise RuntimeError("raised on purpose")
    elif action == "malformed":
        return {"statusCode": 200, "body": {"not": "a string"}}
    elif action == "big":
        return {"statusCode": 200, "body": "x" * (7 * 1024 * 1024)}
    elif action == "sized":  # a HEAD-style answer: the length of a body it does not send
        return {"statusCode": 200, "headers": {"content-length": rest}, "body": ""}
    elif action == "echo":
        return {
            "statusCode": 201,
            "headers": {"content-type": event["headers"].get("content-type", "text/plain")},
            "cookies": ["echo=1; Path=/"],
            "body": event.get("body", ""),
            "isBase64Encoded": event["isBase64Encoded"],
        }
    state = {
        "invocations": INVOCATIONS,
        "cold_start": INVOCATIONS == 1,
        "pid": os.getpid(),
        "raw_path": event["rawPath"],
        "route_key": event["routeKey"],
        "layer": labdep.NAME,
        "memory": os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"],
        "remaining_ms": context.get_remaining_time_in_millis(),
    }
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps(state),
    }
