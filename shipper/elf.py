"""ELF headers: which CPU a compiled extension was built for, read without running it."""

from __future__ import annotations

from pathlib import Path

from shipper.errors import ShipError

# e_machine values from the ELF specification, by Lambda's architecture names.
MACHINES = {62: "x86_64", 183: "arm64"}
_MAGIC = b"\x7fELF"


def machine(path: Path) -> str:
    """The architecture `path` was compiled for (x86_64, arm64, or a description of another)."""
    with path.open("rb") as f:
        header = f.read(20)
    if len(header) < 20 or header[:4] != _MAGIC:
        return "not an ELF file"
    # EI_DATA (byte 5) says how the header's multi-byte fields are ordered: 1 little, 2 big.
    little = header[5] == 1
    e_machine = int.from_bytes(header[18:20], "little" if little else "big")
    return MACHINES.get(e_machine, f"ELF machine {e_machine}")


def is_compiled(path: Path) -> bool:
    """Shared objects by name: `x.so`, and vendored libraries such as `libfoo.so.1.2`."""
    return path.suffix == ".so" or ".so." in path.name


def check(root: Path, architecture: str) -> int:
    """Every compiled file under `root` must be for `architecture`; returns how many were checked.

    Fails naming each wrong file: Lambda would only fail on import, at run time.
    """
    wrong, checked = [], 0
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and is_compiled(path):
            checked += 1
            found = machine(path)
            if found != architecture:
                wrong.append(f"  {path.relative_to(root).as_posix()}: {found}")
    if wrong:
        raise ShipError(
            f"compiled files not built for {architecture}:\n" + "\n".join(wrong) + "\n"
            f"The layer would fail to import on {architecture}: pin versions whose wheels "
            "target it, or drop the packages these files come from."
        )
    return checked
