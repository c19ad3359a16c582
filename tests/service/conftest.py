from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from types import ModuleType

import boto3
import pytest
from moto import mock_aws

BUCKET = "files-test"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        yield


@pytest.fixture
def s3(aws: None) -> object:
    client = boto3.client("s3")
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture
def index(s3: object, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The Lambda entry module, imported fresh (a cold start) inside the mock."""
    monkeypatch.setenv("FILES_BUCKET", BUCKET)
    sys.modules.pop("index", None)
    return importlib.import_module("index")
