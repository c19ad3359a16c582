"""The dependency layer: locked runtime dependencies, installed from wheels for the target."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from shipper import elf
from shipper.errors import ShipError

# Bump when the way the layer is made changes, so cached layers are rebuilt.
BUILDER_VERSION = "3"

# What the Lambda Python runtime already provides. Pruned with everything only
# they need, so the layer doesn't carry a second, older copy.
RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer", "jmespath")

# The newest manylinux tag each Lambda runtime's glibc supports (python3.11:
# Amazon Linux 2, glibc 2.26; 3.12 and later: Amazon Linux 2023, glibc 2.34).
# Asking for the newest one lets current wheels (numpy, pydantic-core) resolve.
MANYLINUX = {"3.11": "2_26", "3.12": "2_34", "3.13": "2_34", "3.14": "2_34"}
UV_ARCH = {"x86_64": "x86_64", "arm64": "aarch64"}

# Folders that only a package's own test suite uses; removed unless something imports them.
TEST_DIRS = ("tests", "test")
# Written by the installer, never read at run time; bin/ scripts name this machine's Python.
INSTALLER_LEFTOVERS = ("bin", ".lock")

_NO_WHEEL = re.compile(r"Because (\S+?)(?:==(\S+))? has no (?:usable )?wheels")


@dataclass(frozen=True)
class Target:
    """The Lambda runtime a layer is built for."""

    python: str
    architecture: str

    @property
    def uv_platform(self) -> str:
        if self.python not in MANYLINUX:
            raise ShipError(
                f"Python {self.python} is not a Lambda runtime: use one of {sorted(MANYLINUX)}"
            )
        if self.architecture not in UV_ARCH:
            raise ShipError(
                f"{self.architecture!r} is not a Lambda architecture: use one of {sorted(UV_ARCH)}"
            )
        return f"{UV_ARCH[self.architecture]}-manylinux_{MANYLINUX[self.python]}"

    def __str__(self) -> str:
        return f"python{self.python} on {self.architecture}"


def locked_requirements(root: Path, prune: tuple[str, ...] = RUNTIME_PROVIDED) -> str:
    """The runtime dependencies pinned by uv.lock, as a requirements file's text."""
    command = ["uv", "export", "--frozen", "--no-default-groups", "--no-hashes", "--no-header"]
    command += ["--no-annotate", *(arg for name in prune for arg in ("--prune", name))]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ShipError(f"uv export failed: {result.stderr.strip()}\nRun `uv lock` and try again.")
    return result.stdout


def input_hash(requirements: str, target: Target, prune: tuple[str, ...]) -> str:
    """The cache key of a layer: everything that decides its bytes, never a timestamp."""
    key = "\n".join(
        [BUILDER_VERSION, target.python, target.architecture, ",".join(sorted(prune)), requirements]
    )
    return hashlib.sha256(key.encode()).hexdigest()


def _install_error(stderr: str, target: Target) -> ShipError:
    missing = _NO_WHEEL.search(stderr)
    if missing is None:
        return ShipError(
            f"installing the layer's dependencies for {target} failed:\n{stderr.strip()}"
        )
    name, version = missing.group(1), missing.group(2)
    pinned = f"{name}=={version}" if version else name
    return ShipError(
        f"{pinned} has no wheel for {target} ({target.uv_platform}), and the layer is built "
        f"from wheels only (no compiler, no docker). Pin a version of {name} that publishes "
        f"wheels for this target (see its files on the package index), or drop {name} from "
        "the dependencies; then run `uv lock` and build again."
    )


def install(requirements: str, target: Target, dest: Path) -> None:
    """Install pinned wheels for `target` into `dest` (no sdists, no build, no docker)."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as reqs:
        reqs.write(requirements)
        reqs.flush()
        command = ["uv", "pip", "install", "--quiet", "--target", str(dest), "--no-deps"]
        command += ["--python-version", target.python, "--python-platform", target.uv_platform]
        command += ["--only-binary", ":all:", "--link-mode", "copy", "--no-compile"]
        command += ["-r", reqs.name]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise _install_error(result.stderr, target)


def _imported_elsewhere(site: Path, folder: Path) -> bool:
    """Whether any module outside `folder` names it in an import (then it is not only tests)."""
    dotted = ".".join(folder.relative_to(site).parts)
    relative = re.compile(rf"from \.+\s*import[^\n]*\b{folder.name}\b|from \.+{folder.name}\b")
    for module in site.rglob("*.py"):
        if folder in module.parents:
            continue
        text = module.read_text(errors="replace")
        if dotted in text or (module.parent == folder.parent and relative.search(text)):
            return True
    return False


def strip(site: Path) -> None:
    """Remove what the runtime never reads: bytecode, installer leftovers, packages' tests.

    dist-info folders stay: importlib.metadata (versions, entry points) reads them.
    """
    for name in INSTALLER_LEFTOVERS:
        target = site / name
        if target.is_dir():
            shutil.rmtree(target)
        target.unlink(missing_ok=True)
    for cache in sorted(site.rglob("__pycache__"), reverse=True):
        shutil.rmtree(cache)
    for compiled in site.rglob("*.py[co]"):
        compiled.unlink()
    tests = [d for d in site.rglob("*") if d.name in TEST_DIRS and d.parent != site and d.is_dir()]
    for folder in sorted(tests, key=lambda d: len(d.parts)):
        if folder.is_dir() and not _imported_elsewhere(site, folder):
            shutil.rmtree(folder)
    forget_removed(site)


def forget_removed(site: Path) -> None:
    """Drop RECORD lines of files stripped from the layer.

    They would name files that aren't there, and the bin/ scripts' hashes depend
    on the installing interpreter's path: left in, the layer's bytes would change
    with the folder the project is cloned into.
    """
    for record in site.glob("*.dist-info/RECORD"):
        lines = record.read_text().splitlines()
        kept = [line for line in lines if (site / line.rsplit(",", 2)[0]).exists()]
        if kept != lines:
            record.write_text("".join(f"{line}\n" for line in kept))


def stage(requirements: str, target: Target, site: Path) -> None:
    """Install, strip and check the layer's packages in `site` (the layer's `python/`)."""
    install(requirements, target, site)
    strip(site)
    elf.check(site, target.architecture)
