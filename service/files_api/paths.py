"""File paths as clients send them, validated into S3 object keys.

API Gateway hands the function request paths in two shapes: HTTP APIs (payload
2.0) decode percent-encoding before the function sees the path; REST APIs (v1)
and Lambda Function URLs keep it. Mangum 0.22 unquotes whatever it gets, which
decodes HTTP API paths a second time (a key named `%41` would become `A`), so
`event_path` takes the path from the event itself and decodes it exactly once,
and only for the kinds that deliver it encoded.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from files_api.errors import InvalidPath

MAX_KEY_BYTES = 1024
_ESCAPE = re.compile(rb"%([0-9A-Fa-f]{2})")


def is_percent_encoded(event: Mapping[str, Any]) -> bool:
    """True for events whose path still carries percent-encoding (REST v1, Function URL)."""
    if event.get("version") == "2.0":
        domain = str(event.get("requestContext", {}).get("domainName", ""))
        return ".lambda-url." in domain
    return "httpMethod" in event


def event_path(event: Mapping[str, Any]) -> str:
    """The request path of a Lambda event, percent-decoded exactly once."""
    http = event.get("requestContext", {}).get("http", {})
    raw = str(http.get("path") or event.get("rawPath") or event.get("path") or "/")
    path = percent_decode(raw) if is_percent_encoded(event) else raw
    _check_characters(path, "the path")
    return path


def percent_decode(path: str) -> str:
    """Decode `%XX` escapes once, strictly: a stray `%` or non-UTF-8 bytes are errors."""
    raw = path.encode("utf-8", errors="surrogateescape")
    if raw.count(b"%") != len(_ESCAPE.findall(raw)):
        raise InvalidPath("the path has invalid percent-encoding")
    try:
        return _ESCAPE.sub(lambda match: bytes([int(match[1], 16)]), raw).decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidPath("the path's percent-encoding is not UTF-8") from None


def _check_characters(text: str, what: str) -> None:
    if any(ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F for char in text):
        raise InvalidPath(f"{what} contains control characters")


def to_key(path: str) -> str:
    """Return the S3 key for a (decoded) file path, or raise `InvalidPath` saying why."""
    if not path:
        raise InvalidPath("the file path is empty")
    try:
        size = len(path.encode("utf-8"))
    except UnicodeEncodeError:
        raise InvalidPath("the file path is not valid UTF-8") from None
    if size > MAX_KEY_BYTES:
        raise InvalidPath(f"the file path is longer than {MAX_KEY_BYTES} bytes")
    _check_characters(path, "the file path")
    if path.endswith("/"):
        raise InvalidPath("the file path ends with '/': name a file, not a folder")
    for segment in path.split("/"):
        if segment in ("", ".", ".."):
            raise InvalidPath("the file path has an empty, '.' or '..' segment")
    return path


def to_prefix(prefix: str) -> str:
    """Validate a listing prefix: any key start, without control characters."""
    if len(prefix.encode("utf-8", errors="replace")) > MAX_KEY_BYTES:
        raise InvalidPath(f"the prefix is longer than {MAX_KEY_BYTES} bytes")
    _check_characters(prefix, "the prefix")
    return prefix
