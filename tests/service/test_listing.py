from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote

import pytest

from tests.service.conftest import Api

KEYS = ["a/1.txt", "a/2.txt", "a/3.txt", "a/4.txt", "a/5.txt", "b/1.txt"]


@pytest.fixture
def stored(api: Api, s3: Any) -> list[str]:
    for key in KEYS:
        api("PUT", f"/v1/files/{key}", key.encode())
    return KEYS


def _pages(api: Api, query: str) -> list[list[str]]:
    pages, token = [], None
    while True:
        extra = f"&page_token={quote(token)}" if token else ""
        answer = api("GET", "/v1/files", query=query + extra)
        assert answer.status == 200, answer.body
        body = answer.json()
        pages.append([file["path"] for file in body["files"]])
        token = body["next_page_token"]
        if token is None:
            return pages


def test_list_files_pages_through_a_prefix(api: Api, stored: list[str]) -> None:
    assert _pages(api, "prefix=a/&page_size=2") == [
        ["a/1.txt", "a/2.txt"],
        ["a/3.txt", "a/4.txt"],
        ["a/5.txt"],
    ]


def test_list_files_defaults_to_everything(api: Api, stored: list[str]) -> None:
    body = api("GET", "/v1/files").json()

    assert [file["path"] for file in body["files"]] == KEYS
    assert body["next_page_token"] is None
    first = body["files"][0]
    assert set(first) == {"path", "size", "etag", "last_modified"}
    assert first["size"] == len("a/1.txt")


def test_list_files_empty(api: Api, s3: Any) -> None:
    assert api("GET", "/v1/files", query="prefix=zzz").json() == {
        "files": [],
        "next_page_token": None,
    }


@pytest.mark.parametrize("page_size", ["0", "1001", "-1", "ten", "1.5"])
def test_list_files_rejects_bad_page_size(api: Api, s3: Any, page_size: str) -> None:
    answer = api("GET", "/v1/files", query=f"page_size={page_size}")
    assert (answer.status, answer.error) == (422, "invalid_parameter")


def _token(data: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode()


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("garbage!", id="not-base64"),
        pytest.param(_token([1, 2]), id="not-an-object"),
        pytest.param(_token({"after": 1, "prefix": ""}), id="after-not-string"),
        pytest.param(_token({"after": "a/1.txt", "prefix": "b/"}), id="other-prefix"),
    ],
)
def test_list_files_rejects_bad_token(api: Api, stored: list[str], token: str) -> None:
    answer = api("GET", "/v1/files", query=f"page_token={quote(token)}")
    assert (answer.status, answer.error) == (400, "invalid_request")


def test_list_files_rejects_control_characters_in_prefix(api: Api, s3: Any) -> None:
    answer = api("GET", "/v1/files", query="prefix=a%01")
    assert (answer.status, answer.error) == (400, "invalid_path")
