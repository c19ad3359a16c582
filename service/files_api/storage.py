"""The S3 boundary: the only module that talks to the SDK about files."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


@dataclass(frozen=True)
class StoredFile:
    """Metadata of a stored object, as the API reports it."""

    path: str
    size: int
    content_type: str
    etag: str
    sha256: str

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "size": self.size,
            "content_type": self.content_type,
            "etag": self.etag,
            "sha256": self.sha256,
        }


class Storage:
    """Files kept as objects in one S3 bucket."""

    def __init__(self, bucket: str, client: S3Client) -> None:
        self.bucket = bucket
        self.client = client

    def put(self, key: str, body: bytes, content_type: str) -> StoredFile:
        digest = hashlib.sha256(body).hexdigest()
        response = self.client.put_object(
            Bucket=self.bucket, Key=key, Body=body, ContentType=content_type
        )
        return StoredFile(
            path=key,
            size=len(body),
            content_type=content_type,
            etag=response["ETag"],
            sha256=digest,
        )
