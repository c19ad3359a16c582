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


# Made by running or editing the code, never part of it.
CACHE_DIRS = ("__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache")
CACHE_SUFFIXES = (".pyc", ".pyo")
CACHE_FILES = (".DS_Store",)


def tree_files(root: Path, exclude_dirs: Iterable[str] = CACHE_DIRS) -> list[Path]:
    """Every file under `root`, as relative paths, skipping caches (folders, bytecode)."""
    skip = set(exclude_dirs)
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in skip]
        for filename in filenames:
            if not filename.endswith(CACHE_SUFFIXES) and filename not in CACHE_FILES:
                found.append((Path(dirpath) / filename).relative_to(root))
    return found


def _mode(source: Path) -> int:
    """0o755 or 0o644: only the owner's exec bit survives, so umask and chmod habits don't."""
    return 0o755 if source.stat().st_mode & stat.S_IXUSR else 0o644


def tree_hash(root: Path, files: Iterable[Path]) -> str:
    """A hash of exactly what a zip of `files` holds (names, modes, contents), no timestamps."""
    digest = hashlib.sha256()
    for name in sorted({f.as_posix() for f in files}):
        source = root / name
        digest.update(f"{name}\0{_mode(source):o}\0{source.stat().st_size}\0".encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def unzipped_size(root: Path, files: Iterable[Path]) -> int:
    """The bytes `files` take once unzipped, as Lambda counts them."""
    return sum((root / f).stat().st_size for f in set(files))


def _entry(arcname: str, source: Path) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(arcname, date_time=FIXED_DATE_TIME)
    info.external_attr = (stat.S_IFREG | _mode(source)) << 16
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
        os.chmod(tmp_name, 0o644)  # mkstemp's 0o600 would hide the zip from other users' tools
        os.replace(tmp_name, dest)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return describe(dest, unzipped)


def describe(path: Path, unzipped_size: int) -> ZipInfo:
    """Hashes and sizes of the zip at `path` (`unzipped_size` is known by who wrote it)."""
    digest = hashlib.sha256(path.read_bytes()).digest()
    return ZipInfo(
        path=path,
        sha256_hex=digest.hex(),
        sha256_base64=base64.b64encode(digest).decode(),
        size=path.stat().st_size,
        unzipped_size=unzipped_size,
    )
