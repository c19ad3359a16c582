from __future__ import annotations

from pathlib import Path

import pytest

from shipper import environments
from shipper.errors import ShipError
from tests.conftest import ROOT


def test_load_local_environment_builds_for_this_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FILES_API_GATEWAY_PORT", raising=False)
    monkeypatch.setenv("FILES_API_AWS_PORT", "4999")

    env = environments.load(ROOT, "local")

    assert env.architecture == environments.host_architecture()
    assert env.runtime == "python3.12"
    assert env.local is not None
    assert env.local.aws_endpoint == "http://127.0.0.1:4999"
    assert env.local.gateway_url == "http://127.0.0.1:3000"
    assert env.tf_vars["bucket_force_destroy"] is True


def test_load_unknown_environment_names_the_known_ones(tmp_path: Path) -> None:
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "dev.toml").write_text('region = "eu-west-1"\n')

    with pytest.raises(ShipError, match=r"no environment 'prod'.*Known: dev"):
        environments.load(tmp_path, "prod")
