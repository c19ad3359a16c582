"""The Starlette application: routes and the error table."""

from __future__ import annotations

import logging
import mimetypes
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from files_api.errors import FilesApiError
from files_api.paths import to_key
from files_api.settings import Settings
from files_api.storage import Storage

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

logger = logging.getLogger(__name__)

DEFAULT_CONTENT_TYPE = "application/octet-stream"
# What curl and many clients send for a raw body when told nothing else; nobody
# means it for a file, so the file's extension decides instead.
CLIENT_DEFAULT_TYPES = ("", "application/x-www-form-urlencoded")


def content_type_for(key: str, declared: str | None) -> str:
    """The Content-Type to store: the declared one, else a guess from the extension."""
    declared = (declared or "").strip()
    if declared.split(";")[0].strip().lower() not in CLIENT_DEFAULT_TYPES:
        return declared
    return mimetypes.guess_type(key, strict=False)[0] or DEFAULT_CONTENT_TYPE


def _storage(request: Request) -> Storage:
    storage: Storage = request.app.state.storage
    return storage


async def put_file(request: Request) -> Response:
    """Store the request body as the file at `path`."""
    key = to_key(request.path_params["path"])
    body = await request.body()
    content_type = content_type_for(key, request.headers.get("content-type"))
    stored = _storage(request).put(key, body, content_type)
    return JSONResponse(stored.to_json(), status_code=201, headers={"Location": f"/v1/files/{key}"})


async def api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, FilesApiError)
    body = {"error": {"code": exc.code, "message": exc.message}}
    return JSONResponse(body, status_code=exc.status_code)


def create_app(settings: Settings | None = None, *, s3: S3Client | None = None) -> Starlette:
    """Build the app; settings and the S3 client default to the environment's."""
    settings = settings or Settings.from_env()
    if s3 is None:
        import boto3

        s3 = boto3.client("s3")
    app = Starlette(
        routes=[Route("/v1/files/{path:path}", put_file, methods=["PUT"])],
        exception_handlers={FilesApiError: api_error},
    )
    app.state.storage = Storage(settings.bucket, s3)
    return app
