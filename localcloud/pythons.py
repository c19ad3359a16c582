"""Lambda's Python runtime, provided locally: the interpreter and its site packages."""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

RUNTIME_GROUP = "lambda-runtime"


class RuntimeUnavailable(Exception):
    """The function's Python runtime can't be provided on this machine."""


def _reports(candidate: str, version: str) -> bool:
    """True if `candidate` runs and is Python `version`."""
    try:
        out = subprocess.run(
            [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except OSError:
        return False
    return out.returncode == 0 and out.stdout.strip() == version


def find_python(version: str) -> str:
    """An interpreter for Python `version`: the setting, PATH, pyenv, or uv's."""
    setting = f"FILES_API_PYTHON_{version.replace('.', '_')}"
    candidates = [os.environ.get(setting, "")]
    candidates.append(shutil.which(f"python{version}") or "")
    pyenv_root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    candidates += sorted(
        glob.glob(f"{pyenv_root}/versions/{version}*/bin/python{version}"), reverse=True
    )
    if shutil.which("uv"):
        found = subprocess.run(
            ["uv", "python", "find", version], capture_output=True, text=True, check=False
        )
        candidates.append(found.stdout.strip())
    for candidate in filter(None, candidates):
        if _reports(candidate, version):
            return candidate
    raise RuntimeUnavailable(
        f"the function runs python{version}, and no Python {version} interpreter was found on this "
        f"machine (looked at ${setting}, PATH, pyenv and uv). Install Python {version}, or set "
        f"{setting} to its path, or deploy with a runtime this machine has."
    )


def runtime_packages(root: Path, version: str, platform: str, cache: Path) -> Path:
    """What Lambda's Python runtime provides besides the standard library: the runtime
    interface client and boto3, as locked, installed once per Python version."""
    requirements = subprocess.run(
        [
            "uv",
            "export",
            "--frozen",
            "--only-group",
            RUNTIME_GROUP,
            "--no-hashes",
            "--no-header",
            "--no-annotate",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    key = hashlib.sha256(f"{version}\n{platform}\n{requirements}".encode()).hexdigest()[:16]
    site = cache / f"python{version}-{key}"
    if site.is_dir():
        return site
    tmp = cache / f".{site.name}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    reqs = cache / f"{site.name}.txt"
    cache.mkdir(parents=True, exist_ok=True)
    reqs.write_text(requirements)
    result = subprocess.run(
        [
            "uv",
            "pip",
            "install",
            "--quiet",
            "--target",
            str(tmp),
            "--no-deps",
            "--only-binary",
            ":all:",
            "--python-version",
            version,
            "--python-platform",
            platform,
            "-r",
            str(reqs),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeUnavailable(f"installing the local Lambda runtime failed:\n{result.stderr}")
    tmp.rename(site)
    return site
