from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from files_api.errors import ConfigurationError
from files_api.settings import Settings

from tests.conftest import ROOT
from tests.events import KINDS, Builder
from tests.service.conftest import Api, cold_import

KIND_PARAMS = [pytest.param(kind, id=kind.__name__) for kind in KINDS]


@pytest.mark.parametrize("kind", KIND_PARAMS)
@pytest.mark.parametrize("path", ["/v1/nothing", "/nothing", "/v1/generated/x"])
def test_unknown_route_is_404_json(api: Api, kind: Builder, path: str) -> None:
    answer = api("GET", path, kind=kind)
    assert (answer.status, answer.error) == (404, "not_found")


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        pytest.param("POST", "/v1/files/a.txt", "GET, HEAD, PUT, DELETE", id="file"),
        pytest.param("PATCH", "/v1/files/a.txt", "GET, HEAD, PUT, DELETE", id="file-patch"),
        pytest.param("DELETE", "/v1/files", "GET, HEAD", id="list"),
        pytest.param("GET", "/v1/generated/files/a.txt", "PUT", id="generated"),
        pytest.param("GET", "/v1/presigned/a.txt", "POST", id="presigned"),
        pytest.param("POST", "/health", "GET, HEAD", id="health"),
    ],
)
def test_wrong_method_is_405_with_allow(api: Api, method: str, path: str, allow: str) -> None:
    answer = api(method, path)

    assert (answer.status, answer.error) == (405, "method_not_allowed")
    assert set(answer.headers["allow"].split(", ")) == set(allow.split(", "))


def test_missing_setting_logs_its_name_and_answers_json_500(
    s3: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("FILES_BUCKET", raising=False)
    index = cold_import(monkeypatch, API_TOKENS="t")

    answers = [Api(index, token="t")("GET", "/v1/files") for _ in range(2)]

    logged = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert logged[0]["level"] == "ERROR"
    assert "FILES_BUCKET" in logged[0]["message"]
    for answer in answers:
        assert (answer.status, answer.error) == (500, "configuration_error")
        assert "FILES_BUCKET" in answer.json()["error"]["message"]


def test_one_json_log_line_per_request_without_secrets(
    api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    api("PUT", "/v1/files/secret-body.txt", b"the body", query="x=1")
    api("GET", "/v1/files/secret-body.txt")

    out = capsys.readouterr().out
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["message"] for line in lines] == ["request", "request"]
    first, second = lines
    assert {k: v for k, v in first.items() if k != "duration_ms"} == {
        "level": "INFO",
        "logger": "files_api",
        "message": "request",
        "request_id": "req-1",
        "method": "PUT",
        "path": "/v1/files/secret-body.txt",
        "status": 201,
        "cold_start": True,
        "function_name": "files-api-test",
        "function_version": "$LATEST",
    }
    assert first["duration_ms"] > 0
    assert (second["cold_start"], second["status"]) == (False, 200)
    assert "the body" not in out and "token-a" not in out and "x=1" not in out


def test_unknown_exception_is_json_500_without_internals(
    api: Api, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    storage = api.index.app.state.storage

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("internal detail")

    monkeypatch.setattr(storage, "head", broken)

    answer = api("HEAD", "/v1/files/a.txt")
    body = api("DELETE", "/v1/files/a.txt")

    assert answer.status == 500
    assert (body.status, body.error) == (500, "internal_error")
    assert b"internal detail" not in body.body
    errors = [
        json.loads(line) for line in capsys.readouterr().out.splitlines() if '"ERROR"' in line
    ]
    assert errors[0]["request_id"] == "req-1"
    assert "internal detail" in errors[0]["exception"]


def test_openapi_documents_every_route(api: Api) -> None:
    paths = api("GET", "/openapi.json").json()["paths"]
    assert set(paths) == {
        "/health",
        "/v1/files",
        "/v1/files/{path}",
        "/v1/presigned/{path}",
        "/v1/generated/files/{path}",
    }


def test_settings_defaults() -> None:
    settings = Settings.from_env({"FILES_BUCKET": "b", "API_TOKENS_PARAMETER": "/p"})

    assert (settings.bucket, settings.generator, settings.auth_disabled) == ("b", "local", False)
    assert (settings.api_tokens.parameter, settings.api_tokens.value) == ("/p", None)
    assert settings.secrets_ttl_seconds == 300
    assert settings.inline_limit_bytes == 4 * 1024 * 1024


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        pytest.param({}, "FILES_BUCKET", id="no-bucket"),
        pytest.param({"FILES_BUCKET": "unset"}, "FILES_BUCKET", id="placeholder-bucket"),
        pytest.param({"FILES_BUCKET": "b", "GENERATOR": "magic"}, "GENERATOR", id="generator"),
        pytest.param(
            {"FILES_BUCKET": "b", "SECRETS_TTL_SECONDS": "soon"}, "SECRETS_TTL_SECONDS", id="ttl"
        ),
        pytest.param(
            {"FILES_BUCKET": "b", "INLINE_LIMIT_BYTES": "0"}, "INLINE_LIMIT_BYTES", id="limit"
        ),
    ],
)
def test_settings_errors_name_the_setting(environ: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigurationError, match=named):
        Settings.from_env(environ)


def test_settings_placeholder_secret_is_not_set() -> None:
    settings = Settings.from_env({"FILES_BUCKET": "b", "OPENAI_API_KEY": "unset"})
    assert settings.openai_api_key.value is None


def _cold_start(code: str) -> str:
    """Run `code` in a fresh interpreter beside index.py, as a cold start; its stdout."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT / "service",
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


def test_cold_start_does_not_import_openai() -> None:
    code = (
        "import os, sys; os.environ.update(FILES_BUCKET='b', AUTH_DISABLED='1',"
        " AWS_DEFAULT_REGION='us-east-1', AWS_ACCESS_KEY_ID='t', AWS_SECRET_ACCESS_KEY='t');"
        " import index; print(sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('openai', 'pydantic', 'httpx2')))"
    )
    assert _cold_start(code).strip() == "[]"


@pytest.mark.parametrize(
    "environ",
    [
        pytest.param("FILES_BUCKET='b', AUTH_DISABLED='1'", id="configured"),
        pytest.param("AUTH_DISABLED='1'", id="misconfigured"),
    ],
)
def test_cold_start_leaves_the_collector_on(environ: str) -> None:
    code = (
        f"import gc, os; os.environ.update({environ}, AWS_DEFAULT_REGION='us-east-1',"
        " AWS_ACCESS_KEY_ID='t', AWS_SECRET_ACCESS_KEY='t');"
        " import index; print(gc.isenabled(), gc.get_freeze_count() > 0)"
    )
    out = _cold_start(code)
    assert out.splitlines()[-1].split() == ["True", "True"]  # after the JSON log lines
