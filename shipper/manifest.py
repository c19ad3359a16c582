"""build/manifest.json: what the build made. The deploy reads only this."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from shipper.errors import ShipError
from shipper.zips import ZipInfo

FORMAT_VERSION = 1


def artifact(info: ZipInfo, root: Path, **extra: Any) -> dict[str, Any]:
    """One artifact's manifest entry; its path relative to the project `root`."""
    return {
        "path": info.path.relative_to(root).as_posix(),
        "sha256_base64": info.sha256_base64,
        "sha256_hex": info.sha256_hex,
        "size": info.size,
        "unzipped_size": info.unzipped_size,
        **extra,
    }


def write_json(path: Path, data: dict[str, Any]) -> bool:
    """Write `data` atomically, only if it differs from what is there; returns whether it wrote.

    Atomic so a reader never sees half a file; skipped when unchanged so a no-change build
    touches nothing.
    """
    text = json.dumps(data, indent=2, sort_keys=True) + "\n"
    if path.is_file() and path.read_text() == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def write(path: Path, data: dict[str, Any]) -> bool:
    """Write the manifest (atomically, and only if it changed)."""
    return write_json(path, {"format": FORMAT_VERSION, **data})


def read(path: Path) -> dict[str, Any]:
    """The manifest, or an error saying to build first."""
    if not path.is_file():
        raise ShipError(f"{path} is missing: run `invoke build` first")
    data: dict[str, Any] = json.loads(path.read_text())
    if data.get("format") != FORMAT_VERSION:
        raise ShipError(f"{path} was written by another version of the build: run `invoke build`")
    return data
