from __future__ import annotations

import os
import zipfile
from pathlib import Path

from shipper import zips


def _tree(root: Path, mtime: int, umask: int) -> Path:
    old = os.umask(umask)
    try:
        (root / "pkg" / "__pycache__").mkdir(parents=True)
        (root / "pkg" / "mod.py").write_text("x = 1\n")
        (root / "pkg" / "__pycache__" / "mod.cpython-312.pyc").write_bytes(b"junk")
        (root / "index.py").write_text("handler = None\n")
        (root / "run.sh").write_text("#!/bin/sh\n")
        (root / "run.sh").chmod(0o777 & ~umask)
    finally:
        os.umask(old)
    for path in root.rglob("*"):
        os.utime(path, (mtime, mtime))
    return root


def test_write_zip_same_bytes_whatever_times_umask_and_folder(tmp_path: Path) -> None:
    first = _tree(tmp_path / "a", mtime=1_000_000_000, umask=0o022)
    second = _tree(tmp_path / "elsewhere" / "b", mtime=1_700_000_000, umask=0o077)

    one = zips.write_zip(first, zips.tree_files(first), tmp_path / "one.zip")
    two = zips.write_zip(second, zips.tree_files(second), tmp_path / "two.zip")

    assert one.sha256_hex == two.sha256_hex
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()


def test_write_zip_sorted_without_caches_and_keeps_exec_bit(tmp_path: Path) -> None:
    root = _tree(tmp_path / "src", mtime=1_000_000_000, umask=0o022)

    info = zips.write_zip(root, zips.tree_files(root), tmp_path / "out.zip", prefix="python/")

    with zipfile.ZipFile(info.path) as archive:
        entries = archive.infolist()
    assert [e.filename for e in entries] == [
        "python/index.py",
        "python/pkg/mod.py",
        "python/run.sh",
    ]
    modes = {e.filename: (e.external_attr >> 16) & 0o777 for e in entries}
    assert modes == {"python/index.py": 0o644, "python/pkg/mod.py": 0o644, "python/run.sh": 0o755}
    assert {e.date_time for e in entries} == {zips.FIXED_DATE_TIME}
    assert info.unzipped_size == len("x = 1\n") + len("handler = None\n") + len("#!/bin/sh\n")


def test_write_zip_failure_leaves_no_file(tmp_path: Path) -> None:
    root = _tree(tmp_path / "src", mtime=1_000_000_000, umask=0o022)
    files = [*zips.tree_files(root), Path("missing.py")]

    try:
        zips.write_zip(root, files, tmp_path / "out.zip")
    except FileNotFoundError:
        pass
    else:
        raise AssertionError("a missing input must fail the zip")

    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]
