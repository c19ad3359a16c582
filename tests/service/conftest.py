from __future__ import annotations

import base64
import importlib
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import boto3
import pytest
from moto import mock_aws

from tests.events import Builder, Context, http_api, path_for

BUCKET = "files-test"
TOKENS_PARAMETER = "/files-api/test/api-tokens"
TOKEN = "token-a"
SETTINGS = (
    "FILES_BUCKET",
    "API_TOKENS",
    "API_TOKENS_PARAMETER",
    "AUTH_DISABLED",
    "GENERATOR",
    "OPENAI_API_KEY",
    "OPENAI_API_KEY_PARAMETER",
    "OPENAI_BASE_URL",
    "OPENAI_TEXT_MODEL",
    "OPENAI_IMAGE_MODEL",
    "OPENAI_SPEECH_MODEL",
    "OPENAI_TIMEOUT_SECONDS",
    "SECRETS_TTL_SECONDS",
    "INLINE_LIMIT_BYTES",
    "PRESIGNED_URL_SECONDS",
)


@pytest.fixture(scope="package")
def mocked_aws() -> Iterator[None]:
    """One in-process mock AWS for the package: starting one per test costs ~1 s."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_ACCESS_KEY_ID", "test")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "test")
        patch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        patch.delenv("AWS_ENDPOINT_URL", raising=False)
        with mock_aws():
            yield


@pytest.fixture
def aws(mocked_aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SETTINGS:  # only what each test sets itself
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def s3(aws: None) -> Iterator[Any]:
    client = boto3.client("s3")
    client.create_bucket(Bucket=BUCKET)
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.fixture
def ssm(aws: None) -> Iterator[Any]:
    client = boto3.client("ssm")
    client.put_parameter(
        Name=TOKENS_PARAMETER, Value=f"{TOKEN}, token-b", Type="SecureString", Overwrite=True
    )
    yield client
    client.delete_parameter(Name=TOKENS_PARAMETER)


def cold_import(monkeypatch: pytest.MonkeyPatch, **environ: str) -> ModuleType:
    """The Lambda entry module, imported fresh (a cold start) with `environ` set."""
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("index", None)
    return importlib.import_module("index")


@pytest.fixture
def index(s3: Any, ssm: Any, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The entry module configured as Terraform configures it: tokens in SSM."""
    return cold_import(monkeypatch, FILES_BUCKET=BUCKET, API_TOKENS_PARAMETER=TOKENS_PARAMETER)


@dataclass
class Answer:
    """A handler's result, decoded as API Gateway would send it to a client."""

    raw: dict[str, Any]
    status: int = field(init=False)
    headers: dict[str, str] = field(init=False)
    body: bytes = field(init=False)

    def __post_init__(self) -> None:
        self.status = self.raw["statusCode"]
        self.headers = {k.lower(): v for k, v in (self.raw.get("headers") or {}).items()}
        for name, values in (self.raw.get("multiValueHeaders") or {}).items():
            self.headers[name.lower()] = ",".join(values)
        text = self.raw.get("body") or ""
        self.body = base64.b64decode(text) if self.raw.get("isBase64Encoded") else text.encode()

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def error(self) -> str:
        """The error code of a JSON error answer."""
        code: str = self.json()["error"]["code"]
        return code


@dataclass
class Api:
    """Calls `index.handler` the way API Gateway would, with the bearer token by default."""

    index: ModuleType
    token: str | None = TOKEN

    def __call__(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        query: str = "",
        kind: Builder = http_api,
        encoded: bool = False,
    ) -> Answer:
        sent = {"authorization": f"Bearer {self.token}"} if self.token else {}
        sent.update(headers or {})
        event_path = path if encoded else path_for(kind, path)
        return Answer(self.index.handler(kind(method, event_path, body, sent, query), Context()))


@pytest.fixture
def api(index: ModuleType) -> Api:
    return Api(index)
