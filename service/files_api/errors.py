"""Domain errors, each mapped to one HTTP status and code in `app.py`."""

from __future__ import annotations


class FilesApiError(Exception):
    """Base class of every error the API answers with a JSON body."""

    status_code = 500
    code = "internal_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidPath(FilesApiError):
    """The file path is not a valid object key."""

    status_code = 400
    code = "invalid_path"


class ConfigurationError(FilesApiError):
    """A required setting is missing or invalid."""

    status_code = 500
    code = "configuration_error"
