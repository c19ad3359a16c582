from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port


@dataclass
class Project:
    """A copy of this repository with its own build/ and its own local cloud ports."""

    root: Path
    env: dict[str, str]
    aws_endpoint: str
    gateway_url: str

    def output(self, name: str) -> str:
        """One of `invoke outputs`' values (its lines are `name = value`)."""
        for line in self.invoke("outputs").stdout.splitlines():
            key, _, value = line.partition(" = ")
            if key == name:
                return value
        raise AssertionError(f"no output {name!r}")

    def invoke(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "invoke", *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"invoke {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
            )
        return result


def processes_mentioning(text: str) -> list[int]:
    """PIDs of live processes whose command line mentions `text`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (
                    (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                )
            except OSError:
                continue
            if text in cmdline and int(entry.name) != os.getpid():
                found.append(int(entry.name))
    return found


@contextmanager
def copied_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    """A fresh copy of the repository on its own free ports; its local cloud is stopped after."""
    root = tmp_path_factory.mktemp("project") / "files-api"
    listed = (
        subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, root / name)
    aws_port, gateway_port = free_port(), free_port()
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "FILES_API_AWS_PORT": str(aws_port),
        "FILES_API_GATEWAY_PORT": str(gateway_port),
    }
    project = Project(root, env, f"http://127.0.0.1:{aws_port}", f"http://127.0.0.1:{gateway_port}")
    try:
        yield project
    finally:
        project.invoke("local.down", check=False)
        leftover = processes_mentioning(str(root))
        assert leftover == [], f"processes left running: {leftover}"


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    with copied_project(tmp_path_factory) as copied:
        yield copied
