"""File paths as clients send them, validated into S3 object keys."""

from __future__ import annotations

from files_api.errors import InvalidPath

MAX_KEY_BYTES = 1024


def to_key(path: str) -> str:
    """Return the S3 key for a request path, or raise `InvalidPath` saying why."""
    if not path:
        raise InvalidPath("the file path is empty")
    if len(path.encode("utf-8", errors="surrogatepass")) > MAX_KEY_BYTES:
        raise InvalidPath(f"the file path is longer than {MAX_KEY_BYTES} bytes")
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in path):
        raise InvalidPath("the file path contains control characters")
    for segment in path.split("/"):
        if segment in ("", ".", ".."):
            raise InvalidPath("the file path has an empty, '.' or '..' segment")
    return path
