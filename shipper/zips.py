"""Byte-reproducible zip files: the same tree gives the same bytes on any machine."""

from __future__ import annotations

import base64
import hashlib
import os
import stat
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# Zip can't store dates before 1980; any fixed date makes the bytes stable.
FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)
COMPRESSION_LEVEL = 9


@dataclass(frozen=True)
class ZipInfo:
    """A written zip: where it is, its hashes and sizes."""

    path: Path
    sha256_hex: str
    sha256_base64: str
    size: int
    unzipped_size: int


def tree_files(root: Path, exclude_dirs: Iterable[str] = ("__pycache__",)) -> list[Path]:
    """Every file under `root`, as relative paths, skipping excluded folder names and .pyc."""
    skip = set(exclude_dirs)
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in skip]
        for filename in filenames:
            if not filename.endswith(".pyc"):
                found.append((Path(dirpath) / filename).relative_to(root))
    return found


def _entry(arcname: str, source: Path) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(arcname, date_time=FIXED_DATE_TIME)
    executable = source.stat().st_mode & stat.S_IXUSR
    mode = 0o755 if executable else 0o644
    info.external_attr = (stat.S_IFREG | mode) << 16
    info.create_system = 3  # Unix, whatever the build machine, so modes are read back
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write_zip(root: Path, files: Iterable[Path], dest: Path, prefix: str = "") -> ZipInfo:
    """Zip `files` (relative to `root`) into `dest` atomically, sorted, with fixed metadata."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    names = sorted({f.as_posix() for f in files})
    unzipped = 0
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w") as archive:
            for name in names:
                source = root / name
                data = source.read_bytes()
                unzipped += len(data)
                archive.writestr(
                    _entry(prefix + name, source), data, compresslevel=COMPRESSION_LEVEL
                )
        os.replace(tmp_name, dest)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return describe(dest, unzipped)


def describe(path: Path, unzipped_size: int) -> ZipInfo:
    digest = hashlib.sha256(path.read_bytes()).digest()
    return ZipInfo(
        path=path,
        sha256_hex=digest.hex(),
        sha256_base64=base64.b64encode(digest).decode(),
        size=path.stat().st_size,
        unzipped_size=unzipped_size,
    )
