"""files-api tasks: `invoke --list` shows them; `invoke build deploy` ships the service."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from invoke.collection import Collection
from invoke.context import Context
from invoke.exceptions import Exit
from invoke.tasks import task

from localcloud import aws, control
from localcloud.processes import StartError
from shipper import artifacts, environments, layer, manifest
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
        local = environment.local
        try:
            control.start_gateway(ROOT, local, environment.region, outputs["api_id"])
        except StartError as exc:
            raise Exit(f"error: the local API gateway did not start: {exc}") from exc
        url = local.gateway_url
    print(f"\nAPI: {url}\nTry: curl -X PUT --data-binary @README.md {url}/v1/files/docs/README.md")


@task(help={"env": ENV_HELP})
def outputs(c: Context, env: str = "local") -> None:
    """Print the deployed stack's outputs."""
    environment = _env(env)
    from shipper import terraform

    with deployer.workspace(ROOT, environment, _aws_env(environment)) as tf:
        for name, value in terraform.outputs(tf).items():
            print(f"{name} = {value}")


@task(name="up")
def local_up(c: Context) -> None:
    """Start the local AWS (idempotent); `invoke deploy` starts the gateway."""
    environment = _env("local")
    _aws_env(environment)
    for name, state in control.status(ROOT, _local(environment)).items():
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


local = Collection("local", local_up, local_down, local_status)
ns = Collection(build, deploy, outputs, local)
