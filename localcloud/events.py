"""HTTP requests to HTTP API payload 2.0 events, and function results back, as API Gateway does."""

from __future__ import annotations

import base64
import contextlib
import json
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote

TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript")
INTERNAL_ERROR = (
    500,
    [("content-type", "application/json")],
    b'{"message":"Internal Server Error"}',
)


@dataclass
class Request:
    """An HTTP request as the gateway received it."""

    method: str
    target: str  # path and query, percent-encoded, as on the request line
    headers: list[tuple[str, str]]
    body: bytes
    source_ip: str = "127.0.0.1"
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def path(self) -> str:
        """The path percent-decoded: HTTP APIs match routes on it and hand it to the function."""
        return unquote(self.target.partition("?")[0])


def request_time(now: float) -> str:
    """A request's time as API Gateway writes it (`requestContext.time`, `$context.requestTime`)."""
    return time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now))


def _is_text(content_type: str) -> bool:
    return content_type.lower().startswith(TEXT_TYPES)


def _joined(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Repeated names comma-joined, as API Gateway does for headers and query parameters."""
    joined: dict[str, str] = {}
    for name, value in pairs:
        joined[name] = f"{joined[name]},{value}" if name in joined else value
    return joined


def http_api_event(
    request: Request,
    api_id: str,
    domain: str,
    now: float | None = None,
    route_key: str = "$default",
    path_parameters: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The payload format 2.0 event API Gateway sends the function for `request` on the route
    `route_key`."""
    now = time.time() if now is None else now
    raw_query = request.target.partition("?")[2]
    # HTTP APIs hand the function the path already percent-decoded.
    path = request.path
    headers = _joined(
        (name.lower(), value) for name, value in request.headers if name.lower() != "cookie"
    )
    # What API Gateway's own front end adds.
    headers["x-forwarded-for"] = request.source_ip
    headers["x-forwarded-proto"] = "http"
    headers["x-forwarded-port"] = domain.rpartition(":")[2] if ":" in domain else "80"
    cookies = [
        cookie.strip()
        for name, value in request.headers
        if name.lower() == "cookie"
        for cookie in value.split(";")
        if cookie.strip()
    ]
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": raw_query,
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": api_id,
            "domainName": domain,
            "domainPrefix": domain.split(".")[0],
            "http": {
                "method": request.method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": request.source_ip,
                "userAgent": headers.get("user-agent", ""),
            },
            "requestId": request.request_id,
            "routeKey": route_key,
            "stage": "$default",
            "time": request_time(now),
            "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": False,
    }
    if cookies:
        event["cookies"] = cookies
    if path_parameters:
        event["pathParameters"] = path_parameters
    if raw_query:
        event["queryStringParameters"] = _joined(parse_qsl(raw_query, keep_blank_values=True))
    if request.body:
        if _is_text(headers.get("content-type", "")):
            with contextlib.suppress(UnicodeDecodeError):
                event["body"] = request.body.decode("utf-8")
        if "body" not in event:
            event["body"] = base64.b64encode(request.body).decode("ascii")
            event["isBase64Encoded"] = True
    return event


def http_response(result: Any) -> tuple[int, list[tuple[str, str]], bytes]:
    """Turn a function's result into status, headers and body, as API Gateway does."""
    if isinstance(result, str):
        # Payload 2.0 infers a 200 response: a string is the body as it is...
        return 200, [("content-type", "application/json")], result.encode()
    if not isinstance(result, dict) or "statusCode" not in result:
        # ...and any other valid JSON is the body as JSON.
        return 200, [("content-type", "application/json")], json.dumps(result).encode()
    body = result.get("body") or ""
    if not isinstance(body, str) or not isinstance(result.get("headers") or {}, dict):
        return INTERNAL_ERROR
    try:
        status = int(result["statusCode"])
        headers = [(str(k), str(v)) for k, v in (result.get("headers") or {}).items()]
        headers += [("set-cookie", str(c)) for c in result.get("cookies") or []]
        data = (
            base64.b64decode(body, validate=True)
            if result.get("isBase64Encoded")
            else body.encode()
        )
    except (TypeError, ValueError, AttributeError):
        return INTERNAL_ERROR
    if not 100 <= status <= 599:
        return INTERNAL_ERROR
    return status, headers, data
