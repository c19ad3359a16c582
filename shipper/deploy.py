"""`invoke deploy`: init, plan to a file, show what changes, apply that same plan."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from python_terraform import Terraform

from shipper import terraform
from shipper.environments import Environment
from shipper.errors import ShipError


@contextmanager
def workspace(root: Path, env: Environment, aws_env: dict[str, str | None]) -> Iterator[Terraform]:
    """A Terraform for infra/, set up for `env`: its credentials, endpoint and provider mirror."""
    mirror = terraform.find_provider_mirror(os.environ.get("FILES_API_TF_MIRROR"))
    cli_config = terraform.write_cli_config(root / "build" / "terraform.rc", mirror)
    values = {**aws_env, "TF_CLI_CONFIG_FILE": str(cli_config), "TF_IN_AUTOMATION": "1"}
    with terraform.environ(values):
        yield Terraform(working_dir=str(root / "infra"))


def check_target(env: Environment, built: dict[str, Any]) -> None:
    """The build must be for the environment's runtime and architecture."""
    if (built["runtime"], built["architecture"]) != (env.runtime, env.architecture):
        raise ShipError(
            f"build/ holds a build for {built['runtime']} on {built['architecture']}, but "
            f"{env.name} runs {env.runtime} on {env.architecture}: "
            f"run `invoke build --env {env.name}`"
        )


def deploy(tf: Terraform, env: Environment, plan_file: Path) -> tuple[bool, dict[str, Any]]:
    """Plan and apply; returns whether anything changed, and the outputs."""
    terraform.init(tf, env)
    changed = terraform.plan(tf, plan_file)
    if changed:
        print(terraform.describe(terraform.summarize(tf, str(plan_file))), flush=True)
        print(f"(full plan: {plan_file.with_suffix('.txt')})", flush=True)
        terraform.apply(tf, str(plan_file))
    else:
        print("No changes: the deployed infrastructure matches this build.", flush=True)
    plan_file.unlink(missing_ok=True)
    return changed, terraform.outputs(tf)
