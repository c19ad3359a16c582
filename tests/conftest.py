from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from localcloud import aws

ROOT = Path(__file__).resolve().parent.parent
# The service is deployed as the root of its zip, so tests import it the same way.
sys.path.insert(0, str(ROOT / "service"))


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


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
