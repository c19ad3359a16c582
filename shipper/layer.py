"""The dependency layer: locked runtime dependencies, installed from wheels for the target."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from shipper import zips
from shipper.errors import ShipError

# Bump when the way the layer is made changes, so cached layers are rebuilt.
BUILDER_VERSION = "1"

# What the Lambda Python runtime already provides. Pruned with everything only
# they need, so the layer doesn't carry a second, older copy.
RUNTIME_PROVIDED = ("boto3",)

# The newest manylinux tag each Lambda runtime's glibc supports
# (python3.11: Amazon Linux 2, glibc 2.26; 3.12 and 3.13: Amazon Linux 2023, glibc 2.34).
MANYLINUX = {"3.11": "2_26", "3.12": "2_34", "3.13": "2_34"}
UV_ARCH = {"x86_64": "x86_64", "arm64": "aarch64"}


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
        return f"{UV_ARCH[self.architecture]}-manylinux_{MANYLINUX[self.python]}"


def locked_requirements(root: Path, prune: tuple[str, ...] = RUNTIME_PROVIDED) -> str:
    """The runtime dependencies pinned by uv.lock, as a requirements file's text."""
    command = ["uv", "export", "--frozen", "--no-default-groups", "--no-hashes", "--no-header"]
    command += ["--no-annotate", *(arg for name in prune for arg in ("--prune", name))]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ShipError(f"uv export failed: {result.stderr.strip()}\nRun `uv lock` and try again.")
    return result.stdout


def input_hash(requirements: str, target: Target) -> str:
    """The cache key of a layer: everything that decides its bytes, never a timestamp."""
    key = "\n".join([BUILDER_VERSION, target.python, target.architecture, requirements])
    return hashlib.sha256(key.encode()).hexdigest()


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
        raise ShipError(
            f"installing the layer's dependencies for {target.python} on {target.architecture} "
            f"failed:\n{result.stderr.strip()}\n"
            "Every dependency needs a wheel for this target: "
            "pin a version that has one, or drop it."
        )


def build(requirements: str, target: Target, dest: Path) -> zips.ZipInfo:
    """Build the layer zip at `dest`, with the packages under `python/` as Lambda expects."""
    with tempfile.TemporaryDirectory(prefix="files-api-layer-") as tmp:
        site = Path(tmp) / "python"
        install(requirements, target, site)
        shutil.rmtree(site / "bin", ignore_errors=True)
        return zips.write_zip(site, zips.tree_files(site), dest, prefix="python/")
