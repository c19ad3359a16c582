from __future__ import annotations

import hashlib
import json
from types import ModuleType
from typing import Any

import pytest

from tests.events import Context, http_api
from tests.service.conftest import BUCKET

ALL_BYTES = bytes(range(256))


def test_put_file_stores_exact_bytes(index: ModuleType, s3: Any) -> None:
    response = index.handler(http_api("PUT", "/v1/files/photos/all.bin", ALL_BYTES), Context())

    assert response["statusCode"] == 201
    body = json.loads(response["body"])
    assert body == {
        "path": "photos/all.bin",
        "size": 256,
        "content_type": "application/octet-stream",
        "etag": body["etag"],
        "sha256": hashlib.sha256(ALL_BYTES).hexdigest(),
    }
    assert response["headers"]["location"] == "/v1/files/photos/all.bin"
    stored = s3.get_object(Bucket=BUCKET, Key="photos/all.bin")
    assert stored["Body"].read() == ALL_BYTES
    assert stored["ETag"] == body["etag"]


@pytest.mark.parametrize(
    ("path", "declared", "stored"),
    [
        pytest.param("a/b.png", "image/webp", "image/webp", id="declared-wins"),
        pytest.param("a/b.png", None, "image/png", id="none-guessed-from-extension"),
        pytest.param(
            "a/b.json",
            "application/x-www-form-urlencoded",
            "application/json",
            id="curl-default-guessed",
        ),
        pytest.param("a/b.unknownext", None, "application/octet-stream", id="unknown-octet-stream"),
    ],
)
def test_put_file_content_type(
    index: ModuleType, s3: Any, path: str, declared: str | None, stored: str
) -> None:
    headers = {"content-type": declared} if declared else {}
    response = index.handler(http_api("PUT", f"/v1/files/{path}", b"x", headers), Context())

    assert json.loads(response["body"])["content_type"] == stored
    assert s3.head_object(Bucket=BUCKET, Key=path)["ContentType"] == stored


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/v1/files/a//b", id="empty-segment"),
        pytest.param("/v1/files/a/../b", id="dot-dot"),
        pytest.param("/v1/files/./b", id="dot"),
        pytest.param("/v1/files/a\x01b", id="control-char"),
        pytest.param("/v1/files/" + "k" * 1025, id="too-long"),
    ],
)
def test_put_file_rejects_bad_path_and_stores_nothing(
    index: ModuleType, s3: Any, path: str
) -> None:
    response = index.handler(http_api("PUT", path, b"data"), Context())

    assert response["statusCode"] == 400
    assert json.loads(response["body"])["error"]["code"] == "invalid_path"
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0
