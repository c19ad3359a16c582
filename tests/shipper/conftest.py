from __future__ import annotations

from collections.abc import Iterator

import pytest

from localcloud import aws
from tests.conftest import free_port


@pytest.fixture(scope="module")
def moto_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A moto server on 127.0.0.1 for this module, stopped by its PID afterwards."""
    state = tmp_path_factory.mktemp("moto")
    port = free_port()
    aws.ensure_running(state, port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        aws.stop(state)


@pytest.fixture
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dummy credentials, so clients sign requests for the moto server."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
