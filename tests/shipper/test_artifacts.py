from __future__ import annotations

import json
import os
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from shipper import artifacts, elf
from shipper.environments import Environment
from shipper.errors import ShipError

PYPROJECT = """\
[project]
name = "tiny"
version = "0"
requires-python = ">=3.11"
dependencies = ["markupsafe==3.0.2", "boto3==1.43.11"]

[dependency-groups]
dev = ["six==1.17.0"]

[tool.uv]
package = false
"""


def _env(architecture: str = "arm64") -> Environment:
    return Environment("test", "us-east-1", "3.12", architecture, backend={})


@pytest.fixture(scope="module")
def locked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny project and its lock: one compiled runtime dependency, boto3, a dev dependency."""
    root = tmp_path_factory.mktemp("locked")
    (root / "pyproject.toml").write_text(PYPROJECT)
    subprocess.run(["uv", "lock", "--quiet"], cwd=root, check=True)
    return root


def _project(locked: Path, dest: Path, *, umask: int = 0o022, mtime: int = 1_600_000_000) -> Path:
    """A copy of the locked project with a service/, its files made with `umask`, at `mtime`."""
    old = os.umask(umask)
    try:
        (dest / "service" / "app").mkdir(parents=True)
        (dest / "service" / ".pytest_cache").mkdir()
        (dest / "service" / "index.py").write_text("from app import run\nhandler = run\n")
        (dest / "service" / "app" / "__init__.py").write_text("def run(e, c): return e\n")
        (dest / "service" / ".pytest_cache" / "README.md").write_text("cache\n")
        for name in ("pyproject.toml", "uv.lock"):
            (dest / name).write_text((locked / name).read_text())
    finally:
        os.umask(old)
    for path in dest.rglob("*"):
        os.utime(path, (mtime, mtime))
    return dest


@pytest.fixture
def project(locked: Path, tmp_path: Path) -> Path:
    return _project(locked, tmp_path / "project")


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}


def _quiet(_: str) -> None:
    pass


def test_build_same_bytes_whatever_folder_times_and_umask(locked: Path, tmp_path: Path) -> None:
    one = _project(locked, tmp_path / "a", umask=0o022, mtime=1_000_000_000)
    two = _project(locked, tmp_path / "deeper" / "b", umask=0o077, mtime=1_700_000_000)

    old = os.umask(0o077)  # the second build also installs with another umask
    try:
        first = artifacts.build(one, _env(), one / "build", _quiet)
    finally:
        os.umask(old)
    second = artifacts.build(two, _env(), two / "build", _quiet)

    for name in ("code", "layer"):
        a, b = first.manifest["artifacts"][name], second.manifest["artifacts"][name]
        assert a["sha256_hex"] == b["sha256_hex"], name
        assert (one / a["path"]).read_bytes() == (two / b["path"]).read_bytes()
    assert (one / "build/manifest.json").read_text() == (two / "build/manifest.json").read_text()


def test_build_layer_holds_runtime_deps_only_and_code_holds_service_only(project: Path) -> None:
    built = artifacts.build(project, _env("arm64"), project / "build", _quiet)

    layer: dict[str, Any] = built.manifest["artifacts"]["layer"]
    assert layer["packages"] == ["markupsafe==3.0.2"]  # no boto3 (the runtime has it), no six
    with zipfile.ZipFile(project / layer["path"]) as archive:
        names = archive.namelist()
    assert all(name.startswith("python/") for name in names)
    assert "python/markupsafe/__init__.py" in names
    with zipfile.ZipFile(project / "build/code.zip") as archive:
        assert archive.namelist() == ["app/__init__.py", "index.py"]
    assert (layer["architecture"], layer["python"], layer["large"]) == ("arm64", "3.12", False)
    assert built.rebuilt == {"code": True, "layer": True}


def test_build_bundles_runtime_packages_when_asked(project: Path) -> None:
    built = artifacts.build(project, _env(), project / "build", _quiet, prune=())

    pins = built.manifest["artifacts"]["layer"]["packages"]
    assert {"boto3==1.43.11", "markupsafe==3.0.2"} <= set(pins)
    assert any(pin.startswith("botocore==") for pin in pins)


def test_build_for_each_architecture_has_only_its_elf_files(project: Path, tmp_path: Path) -> None:
    for architecture in ("arm64", "x86_64"):
        artifacts.build(project, _env(architecture), project / "build", _quiet)
        unpacked = tmp_path / architecture
        with zipfile.ZipFile(project / "build/layer.zip") as archive:
            archive.extractall(unpacked)
        compiled = [p for p in unpacked.rglob("*") if elf.is_compiled(p)]
        assert compiled
        assert {elf.machine(p) for p in compiled} == {architecture}


def test_build_again_without_changes_rebuilds_and_writes_nothing(project: Path) -> None:
    out = project / "build"
    first = artifacts.build(project, _env(), out, _quiet)
    before = _snapshot(out)
    messages: list[str] = []

    second = artifacts.build(project, _env(), out, messages.append)

    assert second.rebuilt == {"code": False, "layer": False}
    assert second.manifest == first.manifest
    assert _snapshot(out) == before
    assert not any("installing" in m or "zipping" in m for m in messages)
    assert "layer unchanged (inputs match the last build): reusing it" in messages


def test_build_rebuilds_only_what_changed(project: Path) -> None:
    out = project / "build"
    first = artifacts.build(project, _env(), out, _quiet)
    (project / "service" / "index.py").write_text("handler = None\n")

    second = artifacts.build(project, _env(), out, _quiet)
    third = artifacts.build(project, _env("x86_64"), out, _quiet)

    assert second.rebuilt == {"code": True, "layer": False}
    assert third.rebuilt == {"code": False, "layer": True}
    code = (first.manifest, second.manifest)
    assert code[0]["artifacts"]["code"]["sha256_hex"] != code[1]["artifacts"]["code"]["sha256_hex"]
    assert third.manifest["artifacts"]["code"]["architecture"] == "x86_64"


def test_build_over_the_size_limit_fails_listing_packages(project: Path) -> None:
    limits = artifacts.Limits(unzipped=10_000)

    with pytest.raises(ShipError) as caught:
        artifacts.build(project, _env(), project / "build", _quiet, limits=limits)

    message = str(caught.value)
    assert "over Lambda's 9.8 KB limit" in message
    assert "markupsafe" in message and " KB" in message.split("markupsafe")[1].splitlines()[0]
    assert not (project / "build" / "layer.zip").exists()


def test_build_marks_zips_too_large_to_upload_directly(project: Path) -> None:
    limits = artifacts.Limits(direct_upload=5_000)

    built = artifacts.build(project, _env(), project / "build", _quiet, limits=limits)

    entries = built.manifest["artifacts"]
    assert entries["layer"]["size"] > 5_000 > entries["code"]["size"]
    assert (entries["layer"]["large"], entries["code"]["large"]) == (True, False)
    assert "large: deploy uploads it through S3" in artifacts.summary(built)


def _interrupt_after(calls: int) -> Any:
    """A ZipFile.writestr that writes `calls - 1` entries, then stops as Ctrl-C would."""
    write = zipfile.ZipFile.writestr
    made: list[int] = []

    def writestr(self: zipfile.ZipFile, *args: Any, **kwargs: Any) -> None:
        made.append(1)
        if len(made) == calls:
            raise KeyboardInterrupt
        write(self, *args, **kwargs)

    return writestr


def test_interrupted_build_leaves_no_artifact(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(zipfile.ZipFile, "writestr", _interrupt_after(3))

    with pytest.raises(KeyboardInterrupt):
        artifacts.build(project, _env(), project / "build", _quiet)

    assert list((project / "build").iterdir()) == []


def test_interrupted_rebuild_leaves_no_manifest_to_deploy(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = project / "build"
    artifacts.build(project, _env("arm64"), out, _quiet)
    old_layer = (out / "layer.zip").read_bytes()
    monkeypatch.setattr(zipfile.ZipFile, "writestr", _interrupt_after(3))

    with pytest.raises(KeyboardInterrupt):
        artifacts.build(project, _env("x86_64"), out, _quiet)

    # The old zips are whole; without a manifest, deploy asks for a build instead of using them.
    assert sorted(p.name for p in out.iterdir()) == ["code.zip", "layer.zip"]
    assert (out / "layer.zip").read_bytes() == old_layer


def test_write_tfvars_only_when_changed(project: Path) -> None:
    built = artifacts.build(project, _env(), project / "build", _quiet)
    path = project / "infra" / "build.auto.tfvars.json"

    artifacts.write_tfvars(path, _env(), built.manifest)
    first = path.stat().st_mtime_ns, path.stat().st_ino
    artifacts.write_tfvars(path, _env(), built.manifest)

    assert (path.stat().st_mtime_ns, path.stat().st_ino) == first
    values = json.loads(path.read_text())
    layer = built.manifest["artifacts"]["layer"]
    assert values["artifacts"]["layer"] == {
        "path": "../build/layer.zip",
        "sha256_base64": layer["sha256_base64"],
        "large": False,
    }
    assert values["artifacts"]["architecture"] == "arm64"
