"""The S3 boundary: the only module that talks to the SDK about files.

boto3's `ClientError` is translated here into the domain errors of `errors.py`.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from files_api.errors import (
    FileNotFound,
    InvalidRequest,
    PreconditionFailed,
    RangeNotSatisfiable,
)

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


@dataclass(frozen=True)
class StoredFile:
    """Metadata of a stored object, as the API reports it."""

    path: str
    size: int
    etag: str
    last_modified: datetime
    content_type: str | None = None
    sha256: str | None = None

    def to_json(self) -> dict[str, Any]:
        reported: dict[str, Any] = {"path": self.path, "size": self.size}
        if self.content_type is not None:
            reported["content_type"] = self.content_type
        reported["etag"] = self.etag
        if self.sha256 is not None:
            reported["sha256"] = self.sha256
        reported["last_modified"] = (
            self.last_modified.astimezone(UTC).isoformat().replace("+00:00", "Z")
        )
        return reported


@dataclass(frozen=True)
class Download:
    """An object's bytes (or part of them) with what HTTP needs to describe them."""

    file: StoredFile
    body: Any  # botocore's StreamingBody: read it, or close it unread
    length: int
    content_range: str | None = None


@dataclass(frozen=True)
class Page:
    files: list[StoredFile]
    next_token: str | None


@contextmanager
def _translated(path: str) -> Iterator[None]:
    try:
        yield
    except ClientError as exc:
        error = exc.response.get("Error", {})
        code = _code(exc)
        if code in ("NoSuchKey", "404", "NotFound"):
            raise FileNotFound(f"no file at {path}") from exc
        if code in ("PreconditionFailed", "412", "ConditionalRequestConflict"):
            raise PreconditionFailed(f"the precondition on {path} does not hold") from exc
        if code == "InvalidRange":
            raise RangeNotSatisfiable(
                f"the range is outside {path}",
                headers={"Content-Range": f"bytes */{error.get('ActualObjectSize', '*')}"},
            ) from exc
        raise


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _not_modified(exc: ClientError) -> bool:
    return _code(exc) in ("304", "NotModified")


def _token(prefix: str, after: str) -> str:
    data = json.dumps({"prefix": prefix, "after": after}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _after(token: str, prefix: str) -> str:
    """The key a page token continues after; the token is bound to its prefix."""
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        after, bound = data["after"], data["prefix"]
    except (ValueError, TypeError, KeyError):
        raise InvalidRequest("page_token is not a token this API returned") from None
    if not isinstance(after, str) or bound != prefix:
        raise InvalidRequest("page_token belongs to another listing (prefix)")
    return after


class Storage:
    """Files kept as objects in one S3 bucket."""

    def __init__(self, bucket: str, client: S3Client) -> None:
        self.bucket = bucket
        self.client = client

    def put(
        self,
        key: str,
        body: bytes,
        content_type: str,
        *,
        if_match: str | None = None,
        if_none_match: bool = False,
    ) -> tuple[StoredFile, bool]:
        """Store `body`; returns the file and whether it was created (not replaced).

        Without a precondition it first tries a create-only write, so "created"
        is exactly what S3 decided, not a guess from an earlier read.
        """
        digest = hashlib.sha256(body)
        args: dict[str, Any] = {
            "Bucket": self.bucket,
            "Key": key,
            "Body": body,
            "ContentType": content_type,
            # S3 verifies the bytes it received against this checksum.
            "ChecksumSHA256": base64.b64encode(digest.digest()).decode(),
        }
        with _translated(key):
            if if_match is not None:
                try:
                    etag = self.client.put_object(**args, IfMatch=if_match)["ETag"]
                except ClientError as exc:
                    if _code(exc) in ("NoSuchKey", "404"):  # no version at all to match
                        raise PreconditionFailed(f"there is no file at {key} to replace") from exc
                    raise
                created = False
            else:
                try:
                    etag = self.client.put_object(**args, IfNoneMatch="*")["ETag"]
                    created = True
                except ClientError as exc:
                    if if_none_match or _code(exc) not in ("PreconditionFailed", "412"):
                        raise
                    etag = self.client.put_object(**args)["ETag"]
                    created = False
            last_modified = self.client.head_object(Bucket=self.bucket, Key=key)["LastModified"]
        stored = StoredFile(key, len(body), etag, last_modified, content_type, digest.hexdigest())
        return stored, created

    def _read(self, operation: Callable[..., Any], key: str, **args: Any) -> Any | None:
        """Call a read operation on `key`; None when its If-None-Match matched (HTTP 304)."""
        args = {name: value for name, value in args.items() if value}
        with _translated(key):
            try:
                return operation(Bucket=self.bucket, Key=key, **args)
            except ClientError as exc:
                if _not_modified(exc):
                    return None
                raise

    def head(self, key: str, *, if_none_match: str | None = None) -> StoredFile | None:
        """The file's metadata; None when `if_none_match` matches (HTTP 304)."""
        response = self._read(self.client.head_object, key, IfNoneMatch=if_none_match)
        if response is None:
            return None
        return StoredFile(
            key,
            response["ContentLength"],
            response["ETag"],
            response["LastModified"],
            response.get("ContentType"),
        )

    def exists(self, key: str) -> StoredFile:
        """The file's metadata, or `FileNotFound`."""
        file = self.head(key)
        assert file is not None  # no condition was sent
        return file

    def get(
        self, key: str, *, byte_range: str | None = None, if_none_match: str | None = None
    ) -> Download | None:
        """Open the object (or a range of it); None when `if_none_match` matches (HTTP 304)."""
        response = self._read(
            self.client.get_object, key, Range=byte_range, IfNoneMatch=if_none_match
        )
        if response is None:
            return None
        content_range = response.get("ContentRange")
        size = int(content_range.rsplit("/", 1)[1]) if content_range else response["ContentLength"]
        file = StoredFile(
            key, size, response["ETag"], response["LastModified"], response.get("ContentType")
        )
        return Download(file, response["Body"], response["ContentLength"], content_range)

    def delete(self, key: str) -> None:
        """Delete the file; `FileNotFound` if there is none (S3 itself would not say)."""
        self.exists(key)
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def list(self, prefix: str, page_size: int, token: str | None) -> Page:
        args: dict[str, Any] = {"Bucket": self.bucket, "Prefix": prefix, "MaxKeys": page_size}
        if token is not None:
            args["StartAfter"] = _after(token, prefix)
        response = self.client.list_objects_v2(**args)
        files = [
            StoredFile(item["Key"], item["Size"], item["ETag"], item["LastModified"])
            for item in response.get("Contents", [])
        ]
        more = response.get("IsTruncated", False) and files
        return Page(files, _token(prefix, files[-1].path) if more else None)

    def presigned_url(self, method: str, key: str, expires_in: int) -> str:
        operation = "put_object" if method == "PUT" else "get_object"
        params = {"Bucket": self.bucket, "Key": key}
        return self.client.generate_presigned_url(operation, Params=params, ExpiresIn=expires_in)
