from __future__ import annotations

import hashlib
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import pytest

from tests.service.conftest import BUCKET, Api

ALL_BYTES = bytes(range(256))


def test_put_file_creates_with_metadata_and_exact_bytes(api: Api, s3: Any) -> None:
    answer = api("PUT", "/v1/files/photos/all.bin", ALL_BYTES)

    assert answer.status == 201
    body = answer.json()
    stored = s3.get_object(Bucket=BUCKET, Key="photos/all.bin")
    assert body == {
        "path": "photos/all.bin",
        "size": 256,
        "content_type": "application/octet-stream",
        "etag": stored["ETag"],
        "sha256": hashlib.sha256(ALL_BYTES).hexdigest(),
        "last_modified": stored["LastModified"].isoformat().replace("+00:00", "Z"),
    }
    assert answer.headers["location"] == "/v1/files/photos/all.bin"
    assert answer.headers["etag"] == stored["ETag"]
    assert stored["Body"].read() == ALL_BYTES


def test_put_file_replaces_with_200(api: Api, s3: Any) -> None:
    api("PUT", "/v1/files/a.txt", b"one")
    answer = api("PUT", "/v1/files/a.txt", b"two")

    assert answer.status == 200
    assert answer.json()["size"] == 3
    assert s3.get_object(Bucket=BUCKET, Key="a.txt")["Body"].read() == b"two"


def test_put_file_if_none_match_creates_only(api: Api, s3: Any) -> None:
    first = api("PUT", "/v1/files/a.txt", b"one", {"if-none-match": "*"})
    second = api("PUT", "/v1/files/a.txt", b"two", {"if-none-match": "*"})

    assert (first.status, second.status) == (201, 412)
    assert second.error == "precondition_failed"
    assert s3.get_object(Bucket=BUCKET, Key="a.txt")["Body"].read() == b"one"


def test_put_file_if_match_replaces_only_that_version(api: Api, s3: Any) -> None:
    etag = api("PUT", "/v1/files/a.txt", b"one").json()["etag"]
    replaced = api("PUT", "/v1/files/a.txt", b"two", {"if-match": etag})
    stale = api("PUT", "/v1/files/a.txt", b"three", {"if-match": etag})
    missing = api("PUT", "/v1/files/b.txt", b"x", {"if-match": etag})

    assert (replaced.status, stale.status, missing.status) == (200, 412, 412)
    assert s3.get_object(Bucket=BUCKET, Key="a.txt")["Body"].read() == b"two"
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 1


def test_put_file_if_match_accepts_unquoted_etag(api: Api) -> None:
    etag = api("PUT", "/v1/files/a.txt", b"one").json()["etag"]
    assert api("PUT", "/v1/files/a.txt", b"two", {"if-match": etag.strip('"')}).status == 200


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"if-none-match": '"abc"'}, id="if-none-match-not-star"),
        pytest.param({"if-match": "*"}, id="if-match-star"),
        pytest.param({"if-match": '"a", "b"'}, id="if-match-list"),
        pytest.param({"if-match": '"a"', "if-none-match": "*"}, id="both"),
    ],
)
def test_put_file_rejects_unsupported_preconditions(
    api: Api, s3: Any, headers: dict[str, str]
) -> None:
    answer = api("PUT", "/v1/files/a.txt", b"x", headers)

    assert (answer.status, answer.error) == (400, "invalid_request")
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


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
    api: Api, s3: Any, path: str, declared: str | None, stored: str
) -> None:
    headers = {"content-type": declared} if declared else {}
    answer = api("PUT", f"/v1/files/{path}", b"x", headers)

    assert answer.json()["content_type"] == stored
    assert s3.head_object(Bucket=BUCKET, Key=path)["ContentType"] == stored


def _multipart(fields: list[tuple[str, str | None, bytes, str]]) -> tuple[bytes, str]:
    boundary = "----files-api-test"
    parts = []
    for name, filename, data, content_type in fields:
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        head = f"--{boundary}\r\nContent-Disposition: {disposition}\r\n"
        head += f"Content-Type: {content_type}\r\n\r\n"
        parts.append(head.encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), boundary


def test_put_file_accepts_multipart_file_field(api: Api, s3: Any) -> None:
    body, boundary = _multipart([("file", "x.bin", ALL_BYTES, "image/png")])
    content_type = f"multipart/form-data; boundary={boundary}"

    answer = api("PUT", "/v1/files/up/x.png", body, {"content-type": content_type})

    assert answer.status == 201
    assert answer.json()["size"] == 256
    assert answer.json()["content_type"] == "image/png"
    assert s3.get_object(Bucket=BUCKET, Key="up/x.png")["Body"].read() == ALL_BYTES


def test_put_file_multipart_octet_stream_part_is_guessed(api: Api, s3: Any) -> None:
    body, boundary = _multipart([("file", "x.md", b"# hi", "application/octet-stream")])
    content_type = f"multipart/form-data; boundary={boundary}"

    answer = api("PUT", "/v1/files/up/x.md", body, {"content-type": content_type})

    assert answer.json()["content_type"] == "text/markdown"


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param([("other", "x.bin", b"x", "text/plain")], id="no-file-field"),
        pytest.param([("file", None, b"x", "text/plain")], id="file-not-a-file"),
    ],
)
def test_put_file_rejects_multipart_without_one_file(
    api: Api, s3: Any, fields: list[tuple[str, str | None, bytes, str]]
) -> None:
    body, boundary = _multipart(fields)
    content_type = f"multipart/form-data; boundary={boundary}"

    answer = api("PUT", "/v1/files/up/x.txt", body, {"content-type": content_type})

    assert (answer.status, answer.error) == (400, "invalid_request")
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


def test_put_file_rejects_malformed_multipart(api: Api, s3: Any) -> None:
    headers = {"content-type": "multipart/form-data"}  # no boundary
    answer = api("PUT", "/v1/files/up/x.txt", b"garbage", headers)

    assert answer.status == 400
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


def test_get_file_returns_bytes_and_headers(api: Api) -> None:
    put = api("PUT", "/v1/files/d/all.bin", ALL_BYTES, {"content-type": "image/x-test"}).json()

    answer = api("GET", "/v1/files/d/all.bin")

    assert answer.status == 200
    assert answer.body == ALL_BYTES
    assert answer.headers["content-type"] == "image/x-test"
    assert answer.headers["content-length"] == "256"
    assert answer.headers["etag"] == put["etag"]
    last_modified = datetime.fromisoformat(put["last_modified"].replace("Z", "+00:00"))
    assert parsedate_to_datetime(answer.headers["last-modified"]) == last_modified


def test_get_file_text_round_trips(api: Api) -> None:
    text = "héllo\n".encode()
    api("PUT", "/v1/files/t.txt", text, {"content-type": "text/plain; charset=utf-8"})
    assert api("GET", "/v1/files/t.txt").body == text


def test_get_file_if_none_match_gives_304(api: Api) -> None:
    etag = api("PUT", "/v1/files/a.txt", b"one").json()["etag"]

    same = api("GET", "/v1/files/a.txt", headers={"if-none-match": etag})
    other = api("GET", "/v1/files/a.txt", headers={"if-none-match": '"other"'})

    assert (same.status, same.body, same.headers["etag"]) == (304, b"", etag)
    assert (other.status, other.body) == (200, b"one")


@pytest.mark.parametrize(
    ("header", "body", "content_range"),
    [
        pytest.param("bytes=0-3", bytes(range(4)), "bytes 0-3/256", id="first"),
        pytest.param("bytes=250-", bytes(range(250, 256)), "bytes 250-255/256", id="open"),
        pytest.param("bytes=-2", bytes([254, 255]), "bytes 254-255/256", id="suffix"),
    ],
)
def test_get_file_range_gives_206(api: Api, header: str, body: bytes, content_range: str) -> None:
    api("PUT", "/v1/files/r.bin", ALL_BYTES)

    answer = api("GET", "/v1/files/r.bin", headers={"range": header})

    assert (answer.status, answer.body) == (206, body)
    assert answer.headers["content-range"] == content_range
    assert answer.headers["content-length"] == str(len(body))


def test_get_file_unsatisfiable_range_gives_416(api: Api) -> None:
    api("PUT", "/v1/files/r.bin", ALL_BYTES)

    answer = api("GET", "/v1/files/r.bin", headers={"range": "bytes=1000-2000"})

    assert (answer.status, answer.error) == (416, "range_not_satisfiable")
    assert answer.headers["content-range"] == "bytes */256"


@pytest.mark.parametrize("header", ["bytes=0-1,4-5", "items=0-1", "bytes=5-2", "bytes=-"])
def test_get_file_ignores_unsupported_range(api: Api, header: str) -> None:
    api("PUT", "/v1/files/r.bin", ALL_BYTES)
    answer = api("GET", "/v1/files/r.bin", headers={"range": header})
    assert (answer.status, answer.body) == (200, ALL_BYTES)


def test_head_file_gives_headers_without_body(api: Api) -> None:
    etag = api("PUT", "/v1/files/h.bin", ALL_BYTES).json()["etag"]

    answer = api("HEAD", "/v1/files/h.bin")
    cached = api("HEAD", "/v1/files/h.bin", headers={"if-none-match": etag})

    assert (answer.status, answer.body) == (200, b"")
    assert answer.headers["content-length"] == "256"
    assert answer.headers["etag"] == etag
    assert answer.headers["content-type"] == "application/octet-stream"
    assert cached.status == 304


@pytest.mark.parametrize("method", ["GET", "HEAD", "DELETE"])
def test_missing_file_gives_404(api: Api, method: str) -> None:
    answer = api(method, "/v1/files/nothing/here.txt")
    assert answer.status == 404
    if method != "HEAD":
        assert answer.error == "not_found"


def test_delete_file_gives_204_then_404(api: Api, s3: Any) -> None:
    api("PUT", "/v1/files/x.txt", b"x")

    first, second = api("DELETE", "/v1/files/x.txt"), api("DELETE", "/v1/files/x.txt")

    assert (first.status, first.body, second.status) == (204, b"", 404)
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0
