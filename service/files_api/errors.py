"""Domain errors, each with its HTTP status and code; `app.py` renders them as JSON."""

from __future__ import annotations


class FilesApiError(Exception):
    """Base class of every error the API answers with a JSON body."""

    status_code = 500
    code = "internal_error"

    def __init__(self, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.headers = headers or {}


class InvalidPath(FilesApiError):
    """The file path is not a valid object key."""

    status_code = 400
    code = "invalid_path"


class InvalidRequest(FilesApiError):
    """The request is malformed (a bad token, header or body)."""

    status_code = 400
    code = "invalid_request"


class InvalidParameter(FilesApiError):
    """A query parameter has a value outside what the route accepts."""

    status_code = 422
    code = "invalid_parameter"


class Unauthorized(FilesApiError):
    """No valid bearer token was sent."""

    status_code = 401
    code = "unauthorized"

    def __init__(self, message: str) -> None:
        super().__init__(message, headers={"WWW-Authenticate": 'Bearer realm="files-api"'})


class FileNotFound(FilesApiError):
    """No file is stored at the path."""

    status_code = 404
    code = "not_found"


class PreconditionFailed(FilesApiError):
    """An If-Match / If-None-Match precondition does not hold."""

    status_code = 412
    code = "precondition_failed"


class PayloadTooLarge(FilesApiError):
    """The body is past what a Lambda request can carry inline."""

    status_code = 413
    code = "payload_too_large"


class RangeNotSatisfiable(FilesApiError):
    """The requested byte range lies outside the file."""

    status_code = 416
    code = "range_not_satisfiable"


class ConfigurationError(FilesApiError):
    """A required setting is missing or invalid."""

    status_code = 500
    code = "configuration_error"


class UpstreamError(FilesApiError):
    """The generation backend failed or answered something unusable."""

    status_code = 502
    code = "upstream_error"


class Unavailable(FilesApiError):
    """A dependency is not configured or is rate limiting; try again later."""

    status_code = 503
    code = "unavailable"
