from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from shipper import elf, layer, packages
from shipper.errors import ShipError

# A small real package with a compiled part, published for both architectures.
COMPILED = "markupsafe==3.0.2\n"


def _sdist(folder: Path, name: str, version: str) -> Path:
    """A source-only release of `name`: the installer may not build it, so it has no wheel."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name.replace('-', '_')}-{version}.tar.gz"
    pkg_info = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo(f"{name.replace('-', '_')}-{version}/PKG-INFO")
        info.size = len(pkg_info)
        tar.addfile(info, io.BytesIO(pkg_info))
    return path


@pytest.mark.parametrize(
    ("architecture", "other"),
    [pytest.param("arm64", "x86_64", id="arm64"), pytest.param("x86_64", "arm64", id="x86_64")],
)
def test_stage_installs_compiled_files_for_the_target_only(
    tmp_path: Path, architecture: str, other: str
) -> None:
    site = tmp_path / "python"

    layer.stage(COMPILED, layer.Target("3.12", architecture), site)

    compiled = [p for p in site.rglob("*") if elf.is_compiled(p)]
    assert compiled, "markupsafe ships a compiled extension"
    assert {elf.machine(p) for p in compiled} == {architecture}
    assert [p.name for p in site.glob("*.dist-info")] == ["MarkupSafe-3.0.2.dist-info"]
    assert not list(site.rglob("__pycache__")) and not (site / ".lock").exists()


def test_stage_refuses_a_package_with_only_an_sdist(tmp_path: Path) -> None:
    index = tmp_path / "index"
    _sdist(index, "sdist-only", "0.1.0")
    requirements = f"--no-index\n--find-links {index}\nsdist-only==0.1.0\n"

    with pytest.raises(ShipError) as caught:
        layer.stage(requirements, layer.Target("3.12", "arm64"), tmp_path / "python")

    message = str(caught.value)
    assert "sdist-only==0.1.0 has no wheel for python3.12 on arm64" in message
    assert "aarch64-manylinux_2_34" in message
    assert "Pin a version of sdist-only that publishes wheels" in message
    assert "or drop sdist-only" in message


def test_strip_removes_caches_leftovers_and_unused_tests(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "from pkg.testing import helpers\n",
        "pkg/__pycache__/__init__.cpython-312.pyc": "",
        "pkg/tests/test_pkg.py": "import pkg\n",
        "pkg/sub/test/data.py": "",
        "pkg/testing/helpers.py": "",
        "other/__init__.py": "from other.test import fixtures\n",
        "other/test/fixtures.py": "",
        "pkg-1.0.dist-info/METADATA": "Name: pkg\n",
        "pkg-1.0.dist-info/RECORD": (
            "pkg/__init__.py,sha256=a,33\n"
            "pkg/tests/test_pkg.py,sha256=b,11\n"
            "bin/pkg-cli,sha256=c,19\n"
            "pkg-1.0.dist-info/RECORD,,\n"
        ),
        "bin/pkg-cli": "#!/usr/bin/python3\n",
        ".lock": "",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)

    layer.strip(tmp_path)

    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.*")) == [
        "other/__init__.py",
        "other/test/fixtures.py",  # imported by the package itself: not only tests
        "pkg-1.0.dist-info",
        "pkg/__init__.py",
        "pkg/testing/helpers.py",
    ]
    assert (tmp_path / "pkg-1.0.dist-info" / "METADATA").is_file()
    # RECORD no longer names what was stripped (bin/ scripts' hashes vary by machine).
    assert (tmp_path / "pkg-1.0.dist-info" / "RECORD").read_text() == (
        "pkg/__init__.py,sha256=a,33\npkg-1.0.dist-info/RECORD,,\n"
    )


def test_installed_lists_packages_with_their_sizes(tmp_path: Path) -> None:
    site = tmp_path / "python"
    layer.stage(COMPILED, layer.Target("3.12", "x86_64"), site)
    (site / "stray.txt").write_text("12345")

    found = packages.installed(site)

    on_disk = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    assert [(p.name, p.version) for p in found] == [("markupsafe", "3.0.2"), (packages.UNOWNED, "")]
    assert found[1].size == 5
    assert sum(p.size for p in found) == on_disk


@pytest.mark.parametrize(
    ("python", "architecture", "error"),
    [
        pytest.param("3.10", "arm64", "Python 3.10 is not a Lambda runtime", id="python"),
        pytest.param("3.12", "armv7", "'armv7' is not a Lambda architecture", id="arch"),
    ],
)
def test_target_refuses_what_lambda_does_not_run(
    python: str, architecture: str, error: str
) -> None:
    with pytest.raises(ShipError, match=error):
        _ = layer.Target(python, architecture).uv_platform
