"""The local cloud: `invoke local.up`, `local.down`, `local.status`, `local.logs`, `local.cost`."""

from __future__ import annotations

from invoke.context import Context
from invoke.exceptions import Exit
from invoke.tasks import task

from localcloud import aws, control
from localcloud.processes import StartError
from tasks.common import ROOT, aws_env, env_named, local_of


@task(name="up")
def local_up(c: Context) -> None:
    """Start the local AWS, and the gateway if something is deployed (idempotent)."""
    environment = env_named("local")
    local = local_of(environment)
    aws_env(environment)
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
    """Show whether the local AWS and gateway are running, and the gateway's warm environments."""
    for name, state in control.status(ROOT, local_of(env_named("local"))).items():
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
    environment = env_named("local")
    local = local_of(environment)
    if control.status(ROOT, local)["local AWS"] == "stopped":
        raise Exit("error: the local AWS is not running: run `invoke local.up`")
    try:
        estimate = control.cost(environment)
    except control.NotDeployed as exc:
        raise Exit(f"error: {exc}") from exc
    if estimate is None:
        raise Exit(f"no invocations logged yet: send some requests to {local.gateway_url} first")
    print(estimate.describe())


@task(name="env")
def local_env(c: Context) -> None:
    """Print `export` lines that point AWS tools at the local AWS (for `terraform plan` by hand)."""
    environment = env_named("local")
    values = aws.client_environment(local_of(environment).aws_endpoint, environment.region)
    for name, value in values.items():
        print(f"export {name}={value}" if value is not None else f"unset {name}")
