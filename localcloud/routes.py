"""An HTTP API's routes, read from the local AWS and matched against requests as API Gateway
matches them: exact paths before path variables before greedy ones, a method before ANY, and
`$default` when nothing else matches."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_apigatewayv2 import ApiGatewayV2Client

DEFAULT = "$default"


class NoRoutes(Exception):
    """The API has no route that leads to a Lambda function."""


@dataclass(frozen=True)
class Route:
    """One route: its key (`GET /files/{path+}`, `ANY /x` or `$default`) and its function."""

    key: str
    function_arn: str

    @functools.cached_property
    def method(self) -> str:
        return "ANY" if self.key == DEFAULT else self.key.split(" ", 1)[0]

    @functools.cached_property
    def segments(self) -> list[str]:
        return [] if self.key == DEFAULT else _segments(self.key.split(" ", 1)[1])

    @functools.cached_property
    def specificity(self) -> tuple[int, int, int, int, int]:
        """Smaller is more specific: API Gateway picks the most specific matching route."""
        segments = self.segments
        greedy = int(bool(segments) and segments[-1].endswith("+}"))
        variables = sum(s.startswith("{") for s in segments)
        literals = len(segments) - variables
        return (int(self.key == DEFAULT), greedy, variables, -literals, int(self.method == "ANY"))

    def match(self, method: str, path: str) -> dict[str, str] | None:
        """The path parameters if this route takes `method` `path`, else None."""
        if self.method not in ("ANY", method):
            return None
        if self.key == DEFAULT:
            return {}
        pattern, parts = self.segments, _segments(path)
        params: dict[str, str] = {}
        for i, segment in enumerate(pattern):
            if segment.startswith("{") and segment.endswith("+}"):
                if i >= len(parts):
                    return None
                params[segment[1:-2]] = "/".join(parts[i:])
                return params
            if i >= len(parts):
                return None
            if segment.startswith("{") and segment.endswith("}"):
                params[segment[1:-1]] = parts[i]
            elif segment != parts[i]:
                return None
        return params if len(parts) == len(pattern) else None


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def find(routes: list[Route], method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    """The route API Gateway would pick for `method` `path` (decoded), with its parameters."""
    for route in sorted(routes, key=lambda route: route.specificity):
        if (params := route.match(method, path)) is not None:
            return route, params
    return None


def function_arn(integration_uri: str) -> str:
    """A Lambda proxy integration's function ARN; the URI may be the ARN or its invoke ARN
    (arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations)."""
    return integration_uri.split("/functions/", 1)[-1].removesuffix("/invocations")


def load(apigw: ApiGatewayV2Client, api_id: str) -> list[Route]:
    """The API's routes that lead to a Lambda proxy integration."""
    integrations = {
        item["IntegrationId"]: item
        for item in apigw.get_integrations(ApiId=api_id)["Items"]
        if item.get("IntegrationType") == "AWS_PROXY"
    }
    routes = []
    for item in apigw.get_routes(ApiId=api_id)["Items"]:
        target = item.get("Target", "").removeprefix("integrations/")
        if target in integrations:
            uri = integrations[target]["IntegrationUri"]
            routes.append(Route(item["RouteKey"], function_arn(uri)))
    if not routes:
        raise NoRoutes(
            f"API {api_id} has no route with a Lambda proxy integration: check infra/ and run "
            "`invoke build deploy`"
        )
    return routes
