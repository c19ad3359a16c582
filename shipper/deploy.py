"""`invoke deploy`, `plan` and `destroy`: init, plan to a file, review it, apply that same plan."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from python_terraform import Terraform

from shipper import review, terraform
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


Confirm = Callable[[review.Review], bool]


def _always(_: review.Review) -> bool:
    return True


def plan(
    tf: Terraform, env: Environment, plan_file: Path, *, destroy: bool = False
) -> review.Review:
    """Init and plan into `plan_file`, print the review; the plan file is left for apply."""
    terraform.init(tf, env)
    result = review.Review()
    if terraform.plan(tf, plan_file, destroy=destroy):
        result = review.review(terraform.show(tf, str(plan_file)))
    if result.changed:
        print(review.describe(result), flush=True)
        print(f"(full plan: {terraform.text_file(plan_file)})", flush=True)
    else:
        print("No changes: the deployed infrastructure matches this build.", flush=True)
    return result


def deploy(
    tf: Terraform,
    env: Environment,
    plan_file: Path,
    confirm: Confirm = _always,
    *,
    destroy: bool = False,
) -> tuple[bool, dict[str, Any]]:
    """Plan, then apply exactly that plan if `confirm` agrees; returns (applied, outputs)."""
    try:
        result = plan(tf, env, plan_file, destroy=destroy)
        applied = result.changed and confirm(result)
        if applied:
            terraform.apply(tf, str(plan_file))
        elif result.changed:
            raise ShipError(f"not applied: nothing in {env.name} was changed")
    finally:
        plan_file.unlink(missing_ok=True)
    return applied, terraform.outputs(tf)
