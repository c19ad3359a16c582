from __future__ import annotations

import json
from pathlib import Path

import pytest

from localcloud.functions import Artifacts, DeploymentMismatch
from shipper import zips


def _zip(tmp_path: Path, name: str, content: str) -> zips.ZipInfo:
    source = tmp_path / f"{name}-src"
    source.mkdir(exist_ok=True)
    (source / "index.py").write_text(content)
    return zips.write_zip(source, [Path("index.py")], tmp_path / f"{name}.zip")


def test_artifacts_find_the_zip_with_the_deployed_hash(tmp_path: Path) -> None:
    code, layer = _zip(tmp_path, "code", "A = 1\n"), _zip(tmp_path, "layer", "B = 2\n")
    manifest = tmp_path / "manifest.json"
    listed = {"code": {"path": "code.zip"}, "layer": {"path": "layer.zip"}}
    manifest.write_text(json.dumps({"artifacts": listed}))

    artifacts = Artifacts.from_manifest(manifest, tmp_path)

    assert artifacts.find("code", code.sha256_base64) == tmp_path / "code.zip"
    assert artifacts.find("layer", layer.sha256_base64) == tmp_path / "layer.zip"


def test_artifacts_refuse_a_rebuilt_zip_that_was_not_deployed(tmp_path: Path) -> None:
    deployed = _zip(tmp_path, "code", "A = 1\n").sha256_base64
    rebuilt = _zip(tmp_path, "code", "A = 2\n")  # same path, other bytes: not what is deployed
    artifacts = Artifacts([rebuilt.path])

    with pytest.raises(DeploymentMismatch, match="run `invoke build deploy`"):
        artifacts.find("code of f", deployed)


def test_artifacts_without_a_manifest_say_to_build(tmp_path: Path) -> None:
    with pytest.raises(DeploymentMismatch, match=r"manifest\.json is missing"):
        Artifacts.from_manifest(tmp_path / "manifest.json", tmp_path)
