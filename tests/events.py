"""Lambda events for tests, built in one place: HTTP API v2, REST API v1, Function URL."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, quote

Builder = Callable[..., dict[str, Any]]


def _body(body: bytes) -> dict[str, Any]:
    # Binary bodies arrive base64-encoded, as API Gateway sends them.
    return {"body": base64.b64encode(body).decode(), "isBase64Encoded": True}


def _v2(method: str, path: str, raw_path: str, domain: str, query: str) -> dict[str, Any]:
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": raw_path,
        "rawQueryString": query,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "api",
            "domainName": domain,
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "192.0.2.1",
                "userAgent": "pytest",
            },
            "requestId": "req-1",
            "routeKey": "$default",
            "stage": "$default",
            "time": "03/Dec/2026:00:00:00 +0000",
            "timeEpoch": 0,
        },
    }


def _v2_event(
    domain: str, method: str, path: str, body: bytes, headers: dict[str, str] | None, query: str
) -> dict[str, Any]:
    event = _v2(method, path, path, domain, query)
    event["headers"] = {"host": domain, **(headers or {})}
    if query:
        event["queryStringParameters"] = dict(parse_qsl(query, keep_blank_values=True))
    return {**event, **_body(body)}


def http_api(
    method: str,
    path: str,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    query: str = "",
) -> dict[str, Any]:
    """An HTTP API (payload 2.0) event; `path` as API Gateway hands it over: decoded."""
    return _v2_event("api.example.com", method, path, body, headers, query)


def function_url(
    method: str,
    path: str,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    query: str = "",
) -> dict[str, Any]:
    """A Lambda Function URL event; `path` percent-encoded, as Function URLs keep it."""
    return _v2_event("abc123.lambda-url.us-east-1.on.aws", method, path, body, headers, query)


def rest_v1(
    method: str,
    path: str,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    query: str = "",
) -> dict[str, Any]:
    """A REST API (payload 1.0) event; `path` percent-encoded, as REST APIs keep it."""
    all_headers = {"Host": "api.example.com", **(headers or {})}
    pairs = parse_qsl(query, keep_blank_values=True)
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": all_headers,
        "multiValueHeaders": {name: [value] for name, value in all_headers.items()},
        "queryStringParameters": dict(pairs) or None,
        "multiValueQueryStringParameters": {k: [v for n, v in pairs if n == k] for k, _ in pairs}
        or None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "api",
            "httpMethod": method,
            "path": f"/prod{path}",
            "requestId": "req-1",
            "resourcePath": "/{proxy+}",
            "stage": "prod",
            "identity": {"sourceIp": "192.0.2.1"},
        },
        **_body(body),
    }


def path_for(builder: Builder, path: str) -> str:
    """`path` (decoded) as `builder`'s kind of event carries it."""
    return path if builder is http_api else quote(path, safe="/")


KINDS = [http_api, rest_v1, function_url]


class Context:
    """The parts of a Lambda context object Mangum and the service read."""

    function_name = "files-api-test"
    function_version = "$LATEST"
    aws_request_id = "req-1"
    memory_limit_in_mb = 512

    def get_remaining_time_in_millis(self) -> int:
        return 10_000
