from __future__ import annotations

from pathlib import Path

import pytest

from shipper import elf
from shipper.errors import ShipError


def _elf(path: Path, e_machine: int, little: bool = True) -> Path:
    """A file with just enough of an ELF header to be read: magic, byte order, e_machine."""
    order = "little" if little else "big"
    ident = b"\x7fELF" + bytes([2, 1 if little else 2, 1]) + bytes(9)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ident + (3).to_bytes(2, order) + e_machine.to_bytes(2, order) + bytes(40))
    return path


@pytest.mark.parametrize(
    ("e_machine", "little", "expected"),
    [
        pytest.param(62, True, "x86_64", id="x86-64"),
        pytest.param(183, True, "arm64", id="aarch64"),
        pytest.param(183, False, "arm64", id="aarch64-big-endian-header"),
        pytest.param(40, True, "ELF machine 40", id="arm32"),
    ],
)
def test_machine_reads_the_elf_header(
    tmp_path: Path, e_machine: int, little: bool, expected: str
) -> None:
    assert elf.machine(_elf(tmp_path / "x.so", e_machine, little)) == expected


def test_check_names_every_file_for_another_architecture(tmp_path: Path) -> None:
    _elf(tmp_path / "good" / "_ok.cpython-312-aarch64-linux-gnu.so", 183)
    _elf(tmp_path / "bad" / "_speedups.cpython-312-x86_64-linux-gnu.so", 62)
    _elf(tmp_path / "bad.libs" / "libz.so.1.2.13", 62)
    (tmp_path / "fake.so").write_text("not a library")

    with pytest.raises(ShipError) as caught:
        elf.check(tmp_path, "arm64")

    message = str(caught.value)
    assert "bad/_speedups.cpython-312-x86_64-linux-gnu.so: x86_64" in message
    assert "bad.libs/libz.so.1.2.13: x86_64" in message
    assert "fake.so: not an ELF file" in message
    assert "_ok" not in message


def test_check_counts_matching_files(tmp_path: Path) -> None:
    _elf(tmp_path / "a" / "_one.so", 62)
    _elf(tmp_path / "a.libs" / "libtwo.so.3", 62)
    (tmp_path / "a" / "mod.py").write_text("")

    assert elf.check(tmp_path, "x86_64") == 2
