"""The HTTP API's access log, as API Gateway writes it: a line per request in the format of the
stage's access log settings, to the log group they name (so `invoke logs --access` works the
same locally and on AWS)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from localcloud import events
from localcloud.logs import LogSink

if TYPE_CHECKING:
    from mypy_boto3_apigatewayv2 import ApiGatewayV2Client

STAGE = "$default"
_VARIABLE = re.compile(r"\$context\.([A-Za-z0-9_.]+)")


@dataclass(frozen=True)
class Settings:
    group: str
    format: str


def settings(apigw: ApiGatewayV2Client, api_id: str) -> Settings | None:
    """The `$default` stage's access log settings; None if it writes no access log."""
    try:
        stage = apigw.get_stage(ApiId=api_id, StageName=STAGE)
    except apigw.exceptions.NotFoundException:
        return None
    access = stage.get("AccessLogSettings") or {}
    arn, line_format = access.get("DestinationArn"), access.get("Format")
    if not arn or not line_format or ":log-group:" not in arn:
        return None
    return Settings(arn.split(":log-group:", 1)[1].removesuffix(":*"), line_format)


def render(line_format: str, context: Mapping[str, str]) -> str:
    """`line_format` with each `$context.name` replaced; "-" for a value there is none of, as
    API Gateway writes it. Values are escaped so that a JSON format stays JSON."""

    def value(match: re.Match[str]) -> str:
        return json.dumps(context.get(match[1], "-"), ensure_ascii=False)[1:-1]

    return _VARIABLE.sub(value, line_format)


@dataclass
class Outcome:
    """What the access log says of one request, filled in as it is answered."""

    began: float  # time.monotonic() when the request had been read
    route_key: str = "-"
    status: int = 0  # 0: not answered
    response_length: int = 0
    integration_ms: float | None = None  # None: no function was called
    error: str | None = None  # the gateway's own message ("Not Found", ...)


class AccessLog:
    """Writes the access log lines of an API through a sink of their own."""

    def __init__(self, settings: Settings, sink: LogSink, api_id: str) -> None:
        self.settings = settings
        self.sink = sink
        self.api_id = api_id
        self.stream = f"{STAGE}-{time.strftime('%Y-%m-%d', time.gmtime())}"

    def write(
        self, request: events.Request, domain: str, user_agent: str, outcome: Outcome
    ) -> None:
        latency_ms = (time.monotonic() - outcome.began) * 1000
        received = time.time() - latency_ms / 1000
        integration = outcome.integration_ms
        context = {
            "requestId": request.request_id,
            "extendedRequestId": request.request_id,
            "apiId": self.api_id,
            "domainName": domain,
            "domainPrefix": domain.split(".")[0],
            "stage": STAGE,
            "httpMethod": request.method,
            "path": request.path,
            "protocol": "HTTP/1.1",
            "routeKey": outcome.route_key,
            "identity.sourceIp": request.source_ip,
            "identity.userAgent": user_agent,
            "requestTime": events.request_time(received),
            "requestTimeEpoch": str(int(received * 1000)),
            "status": str(outcome.status),
            "responseLength": str(outcome.response_length),
            "responseLatency": str(round(latency_ms)),
        }
        if integration is not None:
            context["integrationLatency"] = context["integration.latency"] = str(round(integration))
            context["integrationStatus"] = context["integration.status"] = "200"
        if outcome.error is not None:
            context["error.message"] = outcome.error
        self.sink.write(self.stream, render(self.settings.format, context))
