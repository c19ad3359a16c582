"""files-api tasks: `invoke --list` shows them; `invoke build deploy` ships the service."""

from __future__ import annotations

import getpass
import json
import sys
from contextlib import AbstractContextManager
from pathlib import Path

import boto3
from invoke.collection import Collection
from invoke.context import Context
from invoke.exceptions import Exit
from invoke.tasks import task
from python_terraform import Terraform

from localcloud import aws, control, processes
from localcloud.processes import StartError
from shipper import (
    artifacts,
    environments,
    invocation,
    manifest,
    review,
    secrets,
    terraform,
)
from shipper import deploy as deployer
from shipper import logs as shipper_logs
from shipper import state as state_bucket
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
    if aws.ensure_running(state_dir, env.local.aws_port):
        print(f"started the local AWS on {env.local.aws_endpoint} (logs: {state_dir / 'aws.log'})")
    values = aws.client_environment(env.local.aws_endpoint, env.region)
    with terraform.environ(values):
        state_bucket.bootstrap(boto3.client("s3"), env.backend["bucket"], env.region)
    return values


def _confirm(environment: environments.Environment, yes: bool) -> deployer.Confirm:
    """Apply to the local cloud freely; elsewhere only with --yes or a typed `yes`."""

    def confirm(result: review.Review) -> bool:
        if yes or environment.local is not None:
            return True
        if not sys.stdin.isatty():
            raise Exit("error: not applied: review the plan above, then pass --yes to apply it")
        warning = " (see DANGER above)" if result.dangers else ""
        answer = input(f"Apply this plan to {environment.name}{warning}? Type yes: ")
        return answer.strip() == "yes"

    return confirm


@task(help={"env": ENV_HELP, "quiet": "print only errors"})
def build(c: Context, env: str = "local", quiet: bool = False) -> None:
    """Build the dependency layer and code zips, and build/manifest.json."""
    environment = _env(env)
    report = (lambda _: None) if quiet else print
    try:
        built = artifacts.build(ROOT, environment, BUILD, report)
    except ShipError as exc:
        raise Exit(f"error: {exc}") from exc
    artifacts.write_tfvars(TFVARS, environment, built)
    if not quiet:
        for name, entry in built["artifacts"].items():
            print(
                f"  {name:6} {entry['path']:18} {entry['size']:>10,} bytes  "
                f"sha256 {entry['sha256_hex'][:12]}"
            )


def _workspace(environment: environments.Environment) -> AbstractContextManager[Terraform]:
    """Terraform for infra/ with this build's variables; ShipError if the build is missing or
    for another target. AWS credentials are checked first, so without them nothing is written."""
    aws_env = _aws_env(environment)
    built = manifest.read(MANIFEST)
    deployer.check_target(environment, built)
    artifacts.write_tfvars(TFVARS, environment, built)
    return deployer.workspace(ROOT, environment, aws_env)


@task(
    help={
        "env": ENV_HELP,
        "yes": "apply without asking (needed outside `local` when not at a terminal)",
    }
)
def deploy(c: Context, env: str = "local", yes: bool = False) -> None:
    """Apply infra/ with the built artifacts: init, plan to a file, review, apply that plan."""
    environment = _env(env)
    try:
        with _workspace(environment) as tf:
            _, outputs = deployer.deploy(
                tf, environment, BUILD / f"{env}.tfplan", _confirm(environment, yes)
            )
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


@task(help={"env": ENV_HELP})
def plan(c: Context, env: str = "local") -> None:
    """Review only: what `invoke deploy` would change, with the dangerous changes flagged."""
    environment = _env(env)
    plan_file = BUILD / f"{env}.review.tfplan"
    try:
        with _workspace(environment) as tf:
            deployer.plan(tf, environment, plan_file)
    except ShipError as exc:
        raise Exit(f"error: {exc}") from exc
    finally:
        plan_file.unlink(missing_ok=True)


@task(help={"env": ENV_HELP, "yes": "destroy without asking (outside `local`)"})
def destroy(c: Context, env: str = "local", yes: bool = False) -> None:
    """Destroy the stack (a bucket still holding files only where the environment allows it)."""
    environment = _env(env)
    try:
        with _workspace(environment) as tf:
            deployer.deploy(
                tf, environment, BUILD / f"{env}.tfplan", _confirm(environment, yes), destroy=True
            )
    except ShipError as exc:
        raise Exit(f"error: {exc}") from exc
    if environment.local is not None and processes.stop(control.gateway_pid_file(ROOT)):
        print("stopped the local API gateway: its function is gone")


def _outputs(environment: environments.Environment) -> dict[str, object]:
    with deployer.workspace(ROOT, environment, _aws_env(environment)) as tf:
        return terraform.outputs(tf)


@task(help={"env": ENV_HELP})
def outputs(c: Context, env: str = "local") -> None:
    """Print the deployed stack's outputs."""
    for name, value in _outputs(_env(env)).items():
        print(f"{name} = {value}")


def _output(environment: environments.Environment, name: str) -> str:
    value = _outputs(environment).get(name)
    if not isinstance(value, str):
        raise Exit(
            f"error: {environment.name} is not deployed: "
            f"run `invoke build deploy --env {environment.name}`"
        )
    return value


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


@task(
    help={
        "env": ENV_HELP,
        "since": "seconds of history to show (default 600)",
        "follow": "keep showing new events until Ctrl-C",
    }
)
def logs(c: Context, env: str = "local", since: int = 600, follow: bool = False) -> None:
    """Show the deployed function's log events (its CloudWatch log group)."""
    environment = _env(env)
    group = _output(environment, "log_group_name")
    with terraform.environ(_aws_env(environment)):
        client = boto3.client("logs")
        try:
            shown = shipper_logs.tail(client, group, since, follow=follow)
        except KeyboardInterrupt:
            return
    if not shown:
        print(f"no events in {group} in the last {since} s")


@task(name="invoke-event", help={"file": "a JSON file holding the event", "env": ENV_HELP})
def invoke_event(c: Context, file: str, env: str = "local") -> None:
    """Send a crafted event (a JSON file) to the deployed function and print its result."""
    environment = _env(env)
    try:
        event = invocation.read_event(Path(file))
        if environment.local is not None:
            api_id = _output(environment, "api_id")
            values = _aws_env(environment)
            with terraform.environ(values):
                result = invocation.on_local_cloud(
                    ROOT,
                    environment.local.aws_endpoint,
                    environment.region,
                    api_id,
                    {k: v for k, v in values.items() if v is not None},
                    event,
                )
        else:
            function = _output(environment, "function_name")
            with terraform.environ(_aws_env(environment)):
                result, log = invocation.on_aws(boto3.client("lambda"), function, event)
            print(log, file=sys.stderr)
    except ShipError as exc:
        raise Exit(f"error: {exc}") from exc
    print(json.dumps(result, indent=2))


@task(help={"env": ENV_HELP})
def bootstrap(c: Context, env: str = "local") -> None:
    """Create the environment's Terraform state bucket (versioned, encrypted, private)."""
    environment = _env(env)
    bucket = environment.backend.get("bucket")
    if not bucket:
        raise Exit(f"error: environments/{env}.toml names no terraform.backend bucket")
    values = _aws_env(environment)
    with terraform.environ(values):
        created = state_bucket.bootstrap(boto3.client("s3"), bucket, environment.region)
    print(
        f"state bucket {bucket}: {'created' if created else 'already there'}; "
        "versioned, encrypted, private"
    )


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
ns = Collection(
    build,
    deploy,
    plan,
    destroy,
    outputs,
    logs,
    invoke_event,
    bootstrap,
    token,
    Collection("secrets", secrets_set),
    local,
)
