"""files-api tasks: `invoke --list` shows them; `invoke build deploy` ships the service."""

from __future__ import annotations

import getpass
import sys
from dataclasses import replace
from pathlib import Path

import boto3
from invoke.collection import Collection
from invoke.context import Context
from invoke.exceptions import Exit
from invoke.tasks import task

from localcloud import aws, control
from localcloud.processes import StartError
from shipper import artifacts, environments, layer, manifest, secrets, terraform
from shipper import deploy as deployer
from shipper.errors import ShipError

ROOT = Path(__file__).resolve().parent
BUILD = ROOT / "build"
MANIFEST = BUILD / "manifest.json"
TFVARS = ROOT / "infra" / "build.auto.tfvars.json"
ENV_HELP = "environment name: a file in environments/ (default: local)"


def _env(name: str) -> environments.Environment:
    try:
        return environments.load(ROOT, name)
    except ShipError as exc:
        raise Exit(f"error: {exc}") from exc


def _local(env: environments.Environment) -> environments.LocalCloud:
    if env.local is None:
        raise Exit(f"error: {env.name} is not a local environment")
    return env.local


def _aws_env(env: environments.Environment) -> dict[str, str | None]:
    """Environment for AWS clients: the local AWS (started if needed), or the user's own AWS."""
    if env.local is None:
        return {"AWS_REGION": env.region, "AWS_DEFAULT_REGION": env.region}
    state = control.state_dir(ROOT)
    if aws.ensure_running(state, env.local.aws_port):
        print(f"started the local AWS on {env.local.aws_endpoint} (logs: {state / 'aws.log'})")
    aws.ensure_bucket(env.local.aws_endpoint, env.region, env.backend["bucket"])
    return aws.client_environment(env.local.aws_endpoint, env.region)


@task(
    help={
        "env": ENV_HELP,
        "arch": "target architecture, arm64 or x86_64 (default: the environment's)",
        "python": "target Python version, e.g. 3.13 (default: the environment's)",
        "bundle_runtime_packages": "also put boto3, botocore, s3transfer and jmespath in the "
        "layer (the Lambda runtime provides them, so they are left out by default)",
        "quiet": "print only errors (for CI)",
    }
)
def build(
    c: Context,
    env: str = "local",
    arch: str = "",
    python: str = "",
    bundle_runtime_packages: bool = False,
    quiet: bool = False,
) -> None:
    """Build the dependency layer and code zips, and build/manifest.json."""
    environment = _env(env)
    environment = replace(
        environment,
        architecture=arch or environment.architecture,
        python=python or environment.python,
    )
    report = (lambda _: None) if quiet else print
    prune = () if bundle_runtime_packages else layer.RUNTIME_PROVIDED
    try:
        built = artifacts.build(ROOT, environment, BUILD, report, prune=prune)
    except ShipError as exc:
        raise Exit(f"error: {exc}") from exc
    artifacts.write_tfvars(TFVARS, environment, built.manifest)
    if not quiet:
        print(artifacts.summary(built))


@task(help={"env": ENV_HELP})
def deploy(c: Context, env: str = "local") -> None:
    """Apply infra/ with the built artifacts (init, plan to a file, apply that plan)."""
    environment = _env(env)
    try:
        built = manifest.read(MANIFEST)
        deployer.check_target(environment, built)
        artifacts.write_tfvars(TFVARS, environment, built)
        with deployer.workspace(ROOT, environment, _aws_env(environment)) as tf:
            _, outputs = deployer.deploy(tf, environment, BUILD / f"{env}.tfplan")
    except ShipError as exc:
        raise Exit(f"error: {exc}") from exc
    url = outputs["api_endpoint"]
    if environment.local is not None:
        with terraform.environ(_aws_env(environment)):
            ssm = boto3.client("ssm")
            secrets.ensure_token(ssm, outputs["parameter_names"]["api-tokens"])
        local = environment.local
        try:
            control.start_gateway(ROOT, local, environment.region, outputs["api_id"])
        except StartError as exc:
            raise Exit(f"error: the local API gateway did not start: {exc}") from exc
        url = local.gateway_url
    print(f"\nAPI: {url}\nToken: uv run invoke token --env {env}")
    print(
        f'Try: curl -X PUT -H "Authorization: Bearer $(uv run invoke token --env {env})" '
        f"--data-binary @README.md {url}/v1/files/docs/README.md"
    )


def _outputs(environment: environments.Environment) -> dict[str, object]:
    with deployer.workspace(ROOT, environment, _aws_env(environment)) as tf:
        return terraform.outputs(tf)


@task(help={"env": ENV_HELP})
def outputs(c: Context, env: str = "local") -> None:
    """Print the deployed stack's outputs."""
    for name, value in _outputs(_env(env)).items():
        print(f"{name} = {value}")


def _parameter(environment: environments.Environment, secret: str) -> str:
    names = _outputs(environment).get("parameter_names")
    if not isinstance(names, dict):
        raise Exit(f"error: {environment.name} is not deployed: run `invoke build deploy`")
    try:
        return secrets.parameter_name(names, secret)
    except ShipError as exc:
        raise Exit(f"error: {exc}") from exc


@task(help={"env": ENV_HELP})
def token(c: Context, env: str = "local") -> None:
    """Print an API token for clients (`Authorization: Bearer <token>`)."""
    environment = _env(env)
    name = _parameter(environment, "api-tokens")
    with terraform.environ(_aws_env(environment)):
        ssm = boto3.client("ssm")
        value = secrets.ensure_token(ssm, name) if environment.local else secrets.read(ssm, name)
    if value is None:
        raise Exit(f"error: no API token is set: run `invoke secrets.set api-tokens --env {env}`")
    print(value.split(",")[0].strip())


@task(name="set", help={"name": "secret name (api-tokens, openai-api-key)", "env": ENV_HELP})
def secrets_set(c: Context, name: str, env: str = "local") -> None:
    """Set a secret's value in SSM (read from the terminal, or stdin); never via Terraform."""
    environment = _env(env)
    parameter = _parameter(environment, name)
    prompt = f"value for {name} ({parameter}): "
    value = getpass.getpass(prompt) if sys.stdin.isatty() else sys.stdin.read().strip()
    with terraform.environ(_aws_env(environment)):
        try:
            version = secrets.write(boto3.client("ssm"), parameter, value)
        except ShipError as exc:
            raise Exit(f"error: {exc}") from exc
    print(f"{parameter}: version {version} stored; the function picks it up within its cache TTL")


@task(name="up")
def local_up(c: Context) -> None:
    """Start the local AWS, and the gateway if something is deployed (idempotent)."""
    environment = _env("local")
    local = _local(environment)
    _aws_env(environment)
    try:
        outputs = control.deployed_outputs(environment)
    except control.NotDeployed as exc:
        print(exc)
    else:
        if not control.gateway_running(ROOT):
            try:
                control.start_gateway(ROOT, local, environment.region, outputs["api_id"])
            except StartError as exc:
                raise Exit(f"error: the local API gateway did not start: {exc}") from exc
        print(f"API: {local.gateway_url}")
    for name, state in control.status(ROOT, local).items():
        print(f"{name}: {state}")


@task(name="down")
def local_down(c: Context) -> None:
    """Stop the local gateway, its runtimes and the local AWS (its data goes with it)."""
    stopped = control.down(ROOT)
    print(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")


@task(name="status")
def local_status(c: Context) -> None:
    """Show whether the local AWS and gateway are running."""
    for name, state in control.status(ROOT, _local(_env("local"))).items():
        print(f"{name}: {state}")


@task(name="logs", help={"follow": "keep printing new lines as they come"})
def local_logs(c: Context, follow: bool = False) -> None:
    """Print the local gateway's console: START, the function's output, END and REPORT."""
    log = control.state_dir(ROOT) / "gateway.log"
    if not log.is_file():
        raise Exit("error: the gateway has not run yet: run `invoke build deploy`")
    c.run(f"tail -n 100 {'-f ' if follow else ''}{log}", echo=True, pty=follow)


@task(name="cost")
def local_cost(c: Context) -> None:
    """What a million requests like the local ones so far would cost on AWS (Lambda + HTTP API)."""
    environment = _env("local")
    local = _local(environment)
    if control.status(ROOT, local)["local AWS"] == "stopped":
        raise Exit("error: the local AWS is not running: run `invoke local.up`")
    try:
        estimate = control.cost(environment)
    except control.NotDeployed as exc:
        raise Exit(f"error: {exc}") from exc
    if estimate is None:
        raise Exit(f"no invocations logged yet: send some requests to {local.gateway_url} first")
    print(estimate.describe())


local = Collection("local", local_up, local_down, local_status, local_logs, local_cost)
ns = Collection(build, deploy, outputs, token, Collection("secrets", secrets_set), local)
