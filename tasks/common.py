"""What the task modules share: where things are, the environment, AWS access, Terraform."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

import boto3
from invoke.exceptions import Exit
from python_terraform import Terraform

from localcloud import aws, control
from localcloud.processes import StartError
from shipper import artifacts, environments, manifest, terraform
from shipper import deploy as deployer
from shipper import state as state_bucket
from shipper.errors import ShipError

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
MANIFEST = BUILD / "manifest.json"
TFVARS = ROOT / "infra" / "build.auto.tfvars.json"
ENV_HELP = "environment name: a file in environments/ (default: local)"


def env_named(name: str) -> environments.Environment:
    try:
        return environments.load(ROOT, name)
    except ShipError as exc:
        raise Exit(f"error: {exc}") from exc


def local_of(env: environments.Environment) -> environments.LocalCloud:
    if env.local is None:
        raise Exit(f"error: {env.name} is not a local environment")
    return env.local


def aws_env(env: environments.Environment) -> dict[str, str | None]:
    """Environment for AWS clients: the local AWS (started if needed, with its state bucket),
    or the user's own AWS credentials, which must exist."""
    if env.local is None:
        if boto3.Session(region_name=env.region).get_credentials() is None:
            raise Exit(
                f"error: no AWS credentials for environment {env.name}: configure them "
                "(`aws configure`, AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) "
                "and run this again; `--env local` needs none"
            )
        return {"AWS_REGION": env.region, "AWS_DEFAULT_REGION": env.region}
    state_dir = control.state_dir(ROOT)
    try:
        started = aws.ensure_running(state_dir, env.local.aws_port)
    except StartError as exc:
        raise Exit(f"error: the local AWS did not start: {exc}") from exc
    if started:
        print(f"started the local AWS on {env.local.aws_endpoint} (logs: {state_dir / 'aws.log'})")
    values = aws.client_environment(env.local.aws_endpoint, env.region)
    with terraform.environ(values):
        state_bucket.bootstrap(boto3.client("s3"), env.backend["bucket"], env.region)
    return values


def workspace(environment: environments.Environment) -> AbstractContextManager[Terraform]:
    """Terraform for infra/ with this build's variables; ShipError if the build is missing or
    for another target. AWS credentials are checked first, so without them nothing is written."""
    values = aws_env(environment)
    built = manifest.read(MANIFEST)
    deployer.check_target(environment, built)
    artifacts.write_tfvars(TFVARS, environment, built)
    return deployer.workspace(ROOT, environment, values)


def outputs_of(environment: environments.Environment) -> dict[str, object]:
    with deployer.workspace(ROOT, environment, aws_env(environment)) as tf:
        return terraform.outputs(tf)


def output(environment: environments.Environment, name: str) -> str:
    value = outputs_of(environment).get(name)
    if not isinstance(value, str):
        raise Exit(
            f"error: {environment.name} is not deployed: "
            f"run `invoke build deploy --env {environment.name}`"
        )
    return value
