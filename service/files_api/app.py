"""The Starlette application: routes, middleware and the error table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from files_api import aws
from files_api.auth import Auth, AuthMiddleware
from files_api.errors import FilesApiError
from files_api.files import FileEndpoint, ListEndpoint, PresignEndpoint, content_type_for
from files_api.generation import GeneratedFileEndpoint, make_generator
from files_api.middleware import ErrorBoundary, EventPath
from files_api.openapi import DOCUMENT
from files_api.responses import error_body, error_response
from files_api.secrets import Secrets
from files_api.settings import Settings
from files_api.storage import Storage

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_ssm import SSMClient

# Starlette's own errors (unknown route, wrong method, malformed form) by status.
HTTP_CODES = {400: "invalid_request", 404: "not_found", 405: "method_not_allowed"}


async def health(request: Request) -> Response:
    """Up, without touching AWS."""
    return JSONResponse({"status": "ok"})


async def openapi(request: Request) -> Response:
    return JSONResponse(DOCUMENT)


async def api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, FilesApiError)
    return error_response(exc)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = HTTP_CODES.get(exc.status_code, "http_error")
    return JSONResponse(
        error_body(code, exc.detail), status_code=exc.status_code, headers=exc.headers
    )


ROUTES = [
    Route("/health", health, methods=["GET"]),
    Route("/openapi.json", openapi, methods=["GET"]),
    Route("/v1/files", ListEndpoint),
    Route("/v1/files/{path:path}", FileEndpoint),
    Route("/v1/presigned/{path:path}", PresignEndpoint),
    Route("/v1/generated/files/{path:path}", GeneratedFileEndpoint),
]
EXCEPTION_HANDLERS = {FilesApiError: api_error, HTTPException: http_error}


def create_app(
    settings: Settings | None = None,
    *,
    s3: S3Client | None = None,
    ssm: SSMClient | None = None,
) -> Starlette:
    """Build the app; settings and AWS clients default to the environment's."""
    settings = settings or Settings.from_env()
    if s3 is None:
        s3 = aws.s3_client()
    if ssm is None and settings.api_tokens.parameter and not settings.auth_disabled:
        # Every first request needs the tokens: create the client during init.
        ssm = aws.ssm_client()
    secrets = Secrets(settings.secrets_ttl_seconds, ssm=ssm)
    app = Starlette(
        routes=ROUTES,
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[
            Middleware(ErrorBoundary),
            Middleware(EventPath),
            Middleware(AuthMiddleware, auth=Auth(settings, secrets)),
        ],
    )
    app.state.settings = settings
    app.state.secrets = secrets
    app.state.storage = Storage(settings.bucket, s3)
    app.state.generator = make_generator(settings, secrets)
    return app


class Misconfigured:
    """Answers every request with the JSON 500 naming the problem (no crash loop)."""

    def __init__(self, problem: FilesApiError) -> None:
        self.problem = problem

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await error_response(self.problem)(scope, receive, send)


__all__ = ["Misconfigured", "content_type_for", "create_app"]
