"""The deploy tasks on an AWS environment, on a machine without AWS credentials."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

NO_CREDENTIALS = {
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    # No instance metadata lookup: the tests reach nothing but 127.0.0.1.
    "AWS_EC2_METADATA_DISABLED": "true",
}


@pytest.mark.parametrize(
    "task",
    [
        pytest.param(["plan"], id="plan"),
        pytest.param(["deploy"], id="deploy"),
        pytest.param(["destroy", "--yes"], id="destroy"),
        pytest.param(["outputs"], id="outputs"),
        pytest.param(["logs"], id="logs"),
        pytest.param(["bootstrap"], id="bootstrap"),
    ],
)
def test_aws_environment_tasks_stop_with_a_clear_message_without_credentials(
    task: list[str],
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    tfvars = ROOT / "infra" / "build.auto.tfvars.json"
    before = tfvars.read_bytes() if tfvars.exists() else None

    result = subprocess.run(
        [sys.executable, "-m", "invoke", *task, "--env", "dev"],
        cwd=ROOT,
        env={**env, **NO_CREDENTIALS},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 1
    assert result.stderr.strip().startswith("error: no AWS credentials for environment dev:")
    assert "`aws configure`, AWS_PROFILE" in result.stderr
    assert (tfvars.read_bytes() if tfvars.exists() else None) == before  # nothing written
