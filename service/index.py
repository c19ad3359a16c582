"""The Lambda entry point: `index.handler`.

This is the only module that does work at import time: that work is the cold
start, and everything created here (settings, AWS clients) is reused by every
warm invocation of the same execution environment.
"""

from __future__ import annotations

import gc

# Init builds objects that live as long as the environment, most of them botocore's
# parsed service models: a collector running meanwhile would scan them again and
# again as they grow. It is off until init is done (~10% of a cold start).
gc.disable()

import time  # noqa: E402
from typing import Any  # noqa: E402

from files_api import logs  # noqa: E402
from files_api.app import Misconfigured, create_app  # noqa: E402
from files_api.errors import ConfigurationError  # noqa: E402
from mangum import Mangum  # noqa: E402
from starlette.applications import Starlette  # noqa: E402

logger = logs.configure()

app: Starlette | Misconfigured
try:
    app = create_app()
except ConfigurationError as problem:
    # Logged once, named; requests then get a JSON 500 instead of a crash loop.
    logger.error("configuration error: %s", problem.message)
    app = Misconfigured(problem)

# lifespan="off": Mangum would otherwise run startup/shutdown on every invocation.
serve = Mangum(app, lifespan="off")
# What init built is kept for good: frozen, later collections (warm ones too) skip it.
gc.freeze()
gc.enable()
_first = True


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Serve one API Gateway / Function URL event; log one JSON line about it."""
    global _first
    cold_start, _first = _first, False
    started = time.perf_counter()
    token = logs.request_id.set(str(getattr(context, "aws_request_id", "-")))
    status = 500
    try:
        response: dict[str, Any] = serve(event, context)
        status = int(response.get("statusCode", 500))
        return response
    finally:
        logger.info(
            "request",
            extra={
                "method": logs.request_method(event),
                "path": logs.request_path(event),
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 3),
                "cold_start": cold_start,
                "function_name": getattr(context, "function_name", None),
                "function_version": getattr(context, "function_version", None),
            },
        )
        logs.request_id.reset(token)
