"""infra/ as a reviewer's tools see it: fmt, validate with the real provider, checkov."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from shipper import terraform
from tests.conftest import ROOT

pytestmark = pytest.mark.integration

INFRA = ROOT / "infra"
CHECKOV = ROOT / "tools" / "checkov"


def _run(command: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=INFRA, env=env, capture_output=True, text=True, check=False, timeout=600
    )


def test_terraform_fmt_is_clean() -> None:
    result = _run(["terraform", "fmt", "-check", "-recursive", "-diff"])

    assert result.returncode == 0, result.stdout + result.stderr


def test_terraform_validate_passes_with_the_real_provider(tmp_path: Path) -> None:
    mirror = terraform.find_provider_mirror(os.environ.get("FILES_API_TF_MIRROR"))
    cli_config = terraform.write_cli_config(tmp_path / "terraform.rc", mirror)
    # A data dir of its own, so a deployed working directory's backend is left alone.
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(cli_config), "TF_DATA_DIR": str(tmp_path)}
    init = _run(["terraform", "init", "-backend=false", "-input=false", "-no-color"], env)
    assert init.returncode == 0, init.stdout + init.stderr

    result = _run(["terraform", "validate", "-json", "-no-color"], env)

    report = json.loads(result.stdout)
    assert report["valid"] is True, report["diagnostics"]
    assert report["warning_count"] == 0, report["diagnostics"]


def test_checkov_finds_no_failed_check_and_every_skip_has_a_reason() -> None:
    # --skip-download: no guideline download; the scan itself needs no network.
    result = _run(
        [
            "uv",
            "run",
            "--frozen",
            "--project",
            str(CHECKOV),
            "checkov",
            "--directory",
            str(INFRA),
            "--framework",
            "terraform",
            "--skip-download",
            "--output",
            "json",
        ]
    )

    report = json.loads(result.stdout)
    failed = [(c["check_id"], c["resource"]) for c in report["results"]["failed_checks"]]
    assert failed == []
    assert report["summary"]["parsing_errors"] == 0
    assert report["summary"]["passed"] > 50
    skipped = report["results"]["skipped_checks"]
    unexplained = [
        (c["check_id"], c["resource"])
        for c in skipped
        if len(c["check_result"].get("suppress_comment") or "") < 30
    ]
    assert unexplained == []
    assert result.returncode == 0, result.stderr


def test_every_variable_has_a_description_and_a_type() -> None:
    missing = []
    for path in sorted(INFRA.rglob("variables.tf")):
        blocks = re.split(r'^variable "', path.read_text(), flags=re.MULTILINE)[1:]
        for block in blocks:
            name = block.split('"', 1)[0]
            if not re.search(r"^  description\s*=", block, re.MULTILINE) or not re.search(
                r"^  type\s*=", block, re.MULTILINE
            ):
                missing.append(f"{path.relative_to(ROOT)}: {name}")

    assert len(list(INFRA.rglob("variables.tf"))) == 5
    assert missing == []
