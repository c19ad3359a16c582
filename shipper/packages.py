"""The distributions installed in a folder: names, versions and how much room each takes."""

from __future__ import annotations

import csv
import email.parser
import re
from dataclasses import dataclass
from pathlib import Path

UNOWNED = "(files no package claims)"


@dataclass(frozen=True)
class Package:
    """One installed distribution and the bytes of its files that are still there."""

    name: str
    version: str
    size: int

    @property
    def pin(self) -> str:
        return f"{self.name}=={self.version}"


def _metadata(dist_info: Path) -> tuple[str, str]:
    headers = email.parser.HeaderParser().parsestr((dist_info / "METADATA").read_text())
    # The normalized name (PEP 503), as uv.lock and the package index spell it.
    return re.sub(r"[-_.]+", "-", headers["Name"]).lower(), headers["Version"]


def _owned(site: Path, dist_info: Path) -> set[Path]:
    with (dist_info / "RECORD").open(newline="") as f:
        return {(site / row[0]).resolve() for row in csv.reader(f) if row}


def installed(site: Path) -> list[Package]:
    """Every distribution under `site` (from its dist-info), largest first.

    Sizes count the files each RECORD lists that are still present, so stripped files don't
    count; files no RECORD lists are grouped as one pseudo-package.
    """
    found, claimed = [], set()
    for dist_info in sorted(site.glob("*.dist-info")):
        name, version = _metadata(dist_info)
        owned = {p for p in _owned(site, dist_info) if p.is_file()}
        claimed |= owned
        found.append(Package(name, version, sum(p.stat().st_size for p in owned)))
    rest = [p for p in site.resolve().rglob("*") if p.is_file() and p not in claimed]
    if rest:
        found.append(Package(UNOWNED, "", sum(p.stat().st_size for p in rest)))
    return sorted(found, key=lambda p: (-p.size, p.name))
