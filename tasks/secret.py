"""Secrets: API tokens and the OpenAI key, kept in SSM and set out of band, never in Terraform."""

from __future__ import annotations

import getpass
import sys

import boto3
from invoke.context import Context
from invoke.exceptions import Exit
from invoke.tasks import task

from shipper import environments, secrets, terraform
from shipper.errors import ShipError
from tasks.common import ENV_HELP, aws_env, env_named, outputs_of


def _parameter(environment: environments.Environment, secret: str) -> str:
    names = outputs_of(environment).get("parameter_names")
    if not isinstance(names, dict):
        raise Exit(f"error: {environment.name} is not deployed: run `invoke build deploy`")
    try:
        return secrets.parameter_name(names, secret)
    except ShipError as exc:
        raise Exit(f"error: {exc}") from exc


@task(help={"env": ENV_HELP})
def token(c: Context, env: str = "local") -> None:
    """Print an API token for clients (`Authorization: Bearer <token>`)."""
    environment = env_named(env)
    name = _parameter(environment, "api-tokens")
    with terraform.environ(aws_env(environment)):
        ssm = boto3.client("ssm")
        value = secrets.ensure_token(ssm, name) if environment.local else secrets.read(ssm, name)
    if value is None:
        raise Exit(f"error: no API token is set: run `invoke secrets.set api-tokens --env {env}`")
    print(value.split(",")[0].strip())


@task(name="set", help={"name": "secret name (api-tokens, openai-api-key)", "env": ENV_HELP})
def secrets_set(c: Context, name: str, env: str = "local") -> None:
    """Set a secret's value in SSM (read from the terminal, or stdin); never via Terraform."""
    environment = env_named(env)
    parameter = _parameter(environment, name)
    prompt = f"value for {name} ({parameter}): "
    value = getpass.getpass(prompt) if sys.stdin.isatty() else sys.stdin.read().strip()
    with terraform.environ(aws_env(environment)):
        try:
            version = secrets.write(boto3.client("ssm"), parameter, value)
        except ShipError as exc:
            raise Exit(f"error: {exc}") from exc
    print(f"{parameter}: version {version} stored; the function picks it up within its cache TTL")
