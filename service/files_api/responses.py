"""JSON responses, the one shape every answer of the API takes."""

from __future__ import annotations

from datetime import UTC
from email.utils import format_datetime
from typing import Any

from starlette.responses import JSONResponse

from files_api.errors import FilesApiError
from files_api.storage import StoredFile


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def error_response(exc: FilesApiError) -> JSONResponse:
    """The JSON answer of a domain error: its status, code, message and headers."""
    return JSONResponse(
        error_body(exc.code, exc.message), status_code=exc.status_code, headers=exc.headers
    )


def file_headers(file: StoredFile) -> dict[str, str]:
    """HTTP headers describing a stored file (without its length)."""
    return {
        "Content-Type": file.content_type or "application/octet-stream",
        "ETag": file.etag,
        "Last-Modified": format_datetime(file.last_modified.astimezone(UTC), usegmt=True),
        "Accept-Ranges": "bytes",
    }
