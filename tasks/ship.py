"""Build and ship: build, deploy, plan, destroy, outputs, logs, invoke-event, bootstrap."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import boto3
from invoke.context import Context
from invoke.exceptions import Exit
from invoke.tasks import task

from localcloud import control, processes
from localcloud.processes import StartError
from shipper import artifacts, environments, invocation, layer, review, secrets, terraform
from shipper import deploy as deployer
from shipper import logs as shipper_logs
from shipper import state as state_bucket
from shipper.errors import ShipError
from tasks.common import (
    BUILD,
    ENV_HELP,
    ROOT,
    TFVARS,
    aws_env,
    env_named,
    output,
    outputs_of,
    workspace,
)


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
    environment = env_named(env)
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


@task(
    help={
        "env": ENV_HELP,
        "yes": "apply without asking (needed outside `local` when not at a terminal)",
    }
)
def deploy(c: Context, env: str = "local", yes: bool = False) -> None:
    """Apply infra/ with the built artifacts: init, plan to a file, review, apply that plan."""
    environment = env_named(env)
    try:
        with workspace(environment) as tf:
            changed, outputs = deployer.deploy(
                tf, environment, BUILD / f"{env}.tfplan", _confirm(environment, yes)
            )
    except ShipError as exc:
        raise Exit(f"error: {exc}") from exc
    url = outputs["api_endpoint"]
    if environment.local is not None:
        with terraform.environ(aws_env(environment)):
            ssm = boto3.client("ssm")
            secrets.ensure_token(ssm, outputs["parameter_names"]["api-tokens"])
        local = environment.local
        # Unchanged and running: keep its warm environments, as Lambda would.
        if changed or not control.gateway_running(ROOT):
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
    environment = env_named(env)
    plan_file = BUILD / f"{env}.review.tfplan"
    try:
        with workspace(environment) as tf:
            deployer.plan(tf, environment, plan_file)
    except ShipError as exc:
        raise Exit(f"error: {exc}") from exc
    finally:
        plan_file.unlink(missing_ok=True)


@task(help={"env": ENV_HELP, "yes": "destroy without asking (outside `local`)"})
def destroy(c: Context, env: str = "local", yes: bool = False) -> None:
    """Destroy the stack (a bucket still holding files only where the environment allows it)."""
    environment = env_named(env)
    try:
        with workspace(environment) as tf:
            deployer.deploy(
                tf, environment, BUILD / f"{env}.tfplan", _confirm(environment, yes), destroy=True
            )
    except ShipError as exc:
        raise Exit(f"error: {exc}") from exc
    if environment.local is not None and processes.stop(control.gateway_pid_file(ROOT)):
        print("stopped the local API gateway: its function is gone")


@task(help={"env": ENV_HELP})
def outputs(c: Context, env: str = "local") -> None:
    """Print the deployed stack's outputs (locally, the local gateway's URL first)."""
    environment = env_named(env)
    if environment.local is not None:
        print(f"local_api_url = {environment.local.gateway_url}")
    for name, value in outputs_of(environment).items():
        print(f"{name} = {json.dumps(value) if isinstance(value, dict | list) else value}")


@task(
    help={
        "env": ENV_HELP,
        "since": "how far back to show: seconds, or 90s, 10m, 2h, 1d (default 10m)",
        "follow": "keep showing new events until Ctrl-C",
        "access": "the HTTP API's access log instead of the function's log",
    }
)
def logs(
    c: Context, env: str = "local", since: str = "10m", follow: bool = False, access: bool = False
) -> None:
    """Show the deployed function's log events (its CloudWatch log group), or the API's."""
    try:
        seconds = shipper_logs.parse_since(since)
    except ShipError as exc:
        raise Exit(f"error: {exc}") from exc
    environment = env_named(env)
    group = output(environment, "access_log_group_name" if access else "log_group_name")
    with terraform.environ(aws_env(environment)):
        client = boto3.client("logs")
        try:
            shown = shipper_logs.tail(client, group, seconds, follow=follow)
        except KeyboardInterrupt:
            return
    if not shown:
        print(f"no events in {group} in the last {since}")


@task(name="invoke-event", help={"file": "a JSON file holding the event", "env": ENV_HELP})
def invoke_event(c: Context, file: str, env: str = "local") -> None:
    """Send a crafted event (a JSON file) to the deployed function and print its result."""
    environment = env_named(env)
    try:
        event = invocation.read_event(Path(file))
        function = output(environment, "function_name")
        if environment.local is not None:
            with terraform.environ(aws_env(environment)):
                result = invocation.on_local_cloud(
                    ROOT, environment.local.aws_endpoint, environment.region, function, event
                )
        else:
            with terraform.environ(aws_env(environment)):
                result, log = invocation.on_aws(boto3.client("lambda"), function, event)
            print(log, file=sys.stderr)
    except ShipError as exc:
        raise Exit(f"error: {exc}") from exc
    print(json.dumps(result, indent=2))


@task(help={"env": ENV_HELP})
def bootstrap(c: Context, env: str = "local") -> None:
    """Create the environment's Terraform state bucket (versioned, encrypted, private)."""
    environment = env_named(env)
    bucket = environment.backend.get("bucket")
    if not bucket:
        raise Exit(f"error: environments/{env}.toml names no terraform.backend bucket")
    values = aws_env(environment)
    with terraform.environ(values):
        created = state_bucket.bootstrap(boto3.client("s3"), bucket, environment.region)
    print(
        f"state bucket {bucket}: {'created' if created else 'already there'}; "
        "versioned, encrypted, private"
    )
