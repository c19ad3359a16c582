"""build/manifest.json: what the build made. The deploy reads only this."""

from __future__ import annotations

import json
import os
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


def write(path: Path, data: dict[str, Any]) -> None:
    """Write atomically, so a reader never sees half a manifest."""
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"format": FORMAT_VERSION, **data}, indent=2, sort_keys=True) + "\n")
    os.replace(tmp, path)


def read(path: Path) -> dict[str, Any]:
    """The manifest, or an error saying to build first."""
    if not path.is_file():
        raise ShipError(f"{path} is missing: run `invoke build` first")
    data: dict[str, Any] = json.loads(path.read_text())
    if data.get("format") != FORMAT_VERSION:
        raise ShipError(f"{path} was written by another version of the build: run `invoke build`")
    return data
