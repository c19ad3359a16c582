"""Paths through every event kind: decoded exactly once, bad ones a clear 400, nothing stored."""

from __future__ import annotations

from typing import Any

import pytest

from tests.events import KINDS, Builder, http_api
from tests.service.conftest import BUCKET, Api

KIND_PARAMS = [pytest.param(kind, id=kind.__name__) for kind in KINDS]
ROUND_TRIP_KEYS = [
    pytest.param("with space/a b.txt", id="space"),
    pytest.param("plus/a+b.txt", id="plus"),
    pytest.param("percent/100%.txt", id="percent"),
    pytest.param("percent/%41%20.txt", id="percent-escape-lookalike"),
    pytest.param("hash/a#b.txt", id="hash"),
    pytest.param("question/a?b.txt", id="question-mark"),
    pytest.param("unicode/żółw 🐢.txt", id="unicode"),
    pytest.param("k" * 1024, id="max-length"),
]


@pytest.mark.parametrize("kind", KIND_PARAMS)
@pytest.mark.parametrize("key", ROUND_TRIP_KEYS)
def test_keys_round_trip_exactly(api: Api, s3: Any, kind: Builder, key: str) -> None:
    body = bytes(range(256)) * 3

    put = api("PUT", f"/v1/files/{key}", body, kind=kind)
    got = api("GET", f"/v1/files/{key}", kind=kind)
    listed = api("GET", "/v1/files", kind=kind).json()["files"]

    assert put.status == 201, put.body
    assert put.json()["path"] == key
    assert got.body == body
    assert [file["path"] for file in listed] == [key]
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == body


BAD_PATHS = [
    pytest.param("/v1/files/", id="empty"),
    pytest.param("/v1/files/a//b", id="empty-segment"),
    pytest.param("/v1/files/a/../b", id="dot-dot"),
    pytest.param("/v1/files/./b", id="dot"),
    pytest.param("/v1/files/..", id="only-dot-dot"),
    pytest.param("/v1/files/a/", id="trailing-slash"),
    pytest.param("/v1/files/a\x01b", id="control-char"),
    pytest.param("/v1/files/a\x7fb", id="delete-char"),
    pytest.param("/v1/files/a\nb", id="newline"),
    pytest.param("/v1/files/" + "k" * 1025, id="too-long"),
    pytest.param("/v1/files/" + "ż" * 513, id="too-long-in-bytes"),
]


@pytest.mark.parametrize("kind", KIND_PARAMS)
@pytest.mark.parametrize("path", BAD_PATHS)
@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_bad_paths_are_400_and_store_nothing(
    api: Api, s3: Any, kind: Builder, path: str, method: str
) -> None:
    answer = api(method, path, b"data", kind=kind)

    assert (answer.status, answer.error) == (400, "invalid_path")
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


@pytest.mark.parametrize("kind", [k for k in KIND_PARAMS if k.values[0] is not http_api])
@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/v1/files/a%zzb", id="not-hex"),
        pytest.param("/v1/files/a%", id="truncated"),
        pytest.param("/v1/files/a%4", id="half"),
        pytest.param("/v1/files/a%ffb", id="not-utf8"),
        pytest.param("/v1/files/%2e%2e/b", id="encoded-dot-dot"),
        pytest.param("/v1/files/a%00b", id="encoded-nul"),
    ],
)
def test_bad_percent_encoding_is_400(api: Api, s3: Any, kind: Builder, path: str) -> None:
    answer = api("PUT", path, b"data", kind=kind, encoded=True)

    assert (answer.status, answer.error) == (400, "invalid_path")
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


@pytest.mark.parametrize("kind", KIND_PARAMS)
def test_binary_body_round_trips_byte_exact(api: Api, kind: Builder) -> None:
    body = bytes(range(256))[::-1] * 64 + b"\x00\xff\r\n"

    assert api("PUT", "/v1/files/bin/data.bin", body, kind=kind).status == 201
    got = api("GET", "/v1/files/bin/data.bin", kind=kind)

    assert got.raw["isBase64Encoded"] is True
    assert got.body == body
