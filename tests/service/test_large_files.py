from __future__ import annotations

from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from tests.service.conftest import BUCKET, TOKENS_PARAMETER, Api, cold_import

LIMIT = 1000


@pytest.fixture
def small(s3: Any, ssm: Any, monkeypatch: pytest.MonkeyPatch) -> Api:
    """The service with a tiny inline limit, so "large" is cheap to test."""
    index: ModuleType = cold_import(
        monkeypatch,
        FILES_BUCKET=BUCKET,
        API_TOKENS_PARAMETER=TOKENS_PARAMETER,
        INLINE_LIMIT_BYTES=str(LIMIT),
    )
    return Api(index)


def test_put_past_the_limit_is_413_saying_how_to_upload(small: Api, s3: Any) -> None:
    answer = small("PUT", "/v1/files/big/a b.bin", b"x" * (LIMIT + 1))

    assert (answer.status, answer.error) == (413, "payload_too_large")
    assert "POST /v1/presigned/big/a%20b.bin?method=PUT" in answer.json()["error"]["message"]
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


def test_put_at_the_limit_is_stored(small: Api) -> None:
    assert small("PUT", "/v1/files/big/a.bin", b"x" * LIMIT).status == 201


def test_presigned_put_and_get_urls(small: Api, s3: Any) -> None:
    put = small("POST", "/v1/presigned/big/a b.bin", query="method=PUT&expires_in=60")

    assert put.status == 200
    body = put.json()
    assert (body["path"], body["method"], body["expires_in"]) == ("big/a b.bin", "PUT", 60)
    url = urlsplit(body["url"])
    assert unquote(url.path).endswith("/big/a b.bin")
    assert parse_qs(url.query)["X-Amz-Expires"] == ["60"]


def test_presigned_get_of_missing_file_is_404(small: Api, s3: Any) -> None:
    answer = small("POST", "/v1/presigned/nothing.bin", query="method=GET")
    assert (answer.status, answer.error) == (404, "not_found")


@pytest.mark.parametrize("query", ["", "method=DELETE", "method=GET&expires_in=0"])
def test_presigned_rejects_bad_query(small: Api, s3: Any, query: str) -> None:
    small("PUT", "/v1/files/a.bin", b"x")
    answer = small("POST", "/v1/presigned/a.bin", query=query)
    assert (answer.status, answer.error) == (422, "invalid_parameter")


def test_get_past_the_limit_redirects_to_a_presigned_url(small: Api, s3: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key="big/blob.bin", Body=b"y" * (LIMIT + 1))

    answer = small("GET", "/v1/files/big/blob.bin")

    assert answer.status == 307
    location = urlsplit(answer.headers["location"])
    assert location.path.endswith("/big/blob.bin")
    assert "X-Amz-Signature" in parse_qs(location.query)
    assert answer.headers["cache-control"] == "no-store"


def test_range_within_the_limit_of_a_large_file_is_served(small: Api, s3: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key="big/blob.bin", Body=bytes(range(256)) * 8)

    answer = small("GET", "/v1/files/big/blob.bin", headers={"range": "bytes=256-259"})

    assert (answer.status, answer.body) == (206, bytes(range(4)))
