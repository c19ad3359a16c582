"""Terraform, driven through python-terraform with every exit code checked.

python-terraform 0.10.1 never raises on failure, so every call goes through
`run`, which does.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from python_terraform import IsFlagged, Terraform

from shipper.environments import Environment
from shipper.errors import ShipError

PROVIDER = "registry.terraform.io/hashicorp/aws"
# Where a machine image may carry an unpacked provider mirror, besides the
# directories Terraform itself searches (its "implied local mirror directories").
MIRROR_GLOBS = ("/opt/*/", "/usr/local/share/terraform/plugins/", "/usr/share/terraform/plugins/")


def find_provider_mirror(setting: str | None) -> Path | None:
    """The provider mirror to install from: the setting if given, else one found on disk.

    None means no mirror: Terraform downloads providers from the registry.
    """
    if setting:
        mirror = Path(setting).expanduser()
        if not (mirror / PROVIDER).is_dir():
            raise ShipError(f"provider mirror {mirror} has no {PROVIDER}: fix FILES_API_TF_MIRROR")
        return mirror
    for pattern in MIRROR_GLOBS:
        for candidate in sorted(glob.glob(pattern)):
            if (Path(candidate) / PROVIDER).is_dir():
                return Path(candidate)
    return None


def write_cli_config(path: Path, mirror: Path | None) -> Path:
    """A Terraform CLI config that installs providers from `mirror`, or the registry."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if mirror is None:
        path.write_text("# No provider mirror: providers come from the registry.\n")
    else:
        path.write_text(
            "provider_installation {\n"
            f'  filesystem_mirror {{\n    path    = "{mirror}"\n'
            '    include = ["registry.terraform.io/hashicorp/*"]\n  }\n'
            '  direct {\n    exclude = ["registry.terraform.io/hashicorp/*"]\n  }\n}\n'
        )
    return path


@contextmanager
def environ(values: Mapping[str, str | None]) -> Iterator[None]:
    """Set (or, for None, unset) environment variables for terraform, then restore them."""
    saved = {key: os.environ.get(key) for key in values}
    try:
        for key, value in values.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def run(tf: Terraform, command: str, *args: str, ok: tuple[int, ...] = (0,), **options: Any) -> int:
    """Run one terraform command, streaming its output; raise unless its exit code is in `ok`."""
    shown = " ".join(["terraform", command, *args])
    print(f"$ {shown}", flush=True)
    code, _, _ = tf.cmd(command, *args, capture_output=False, **options)
    if code not in ok:
        raise ShipError(f"`{shown}` failed (exit code {code}): see its output above")
    return int(code)


def capture(tf: Terraform, command: str, *args: str, **options: Any) -> str:
    """Run one terraform command and return its stdout; raise on failure."""
    code, out, err = tf.cmd(command, *args, capture_output=True, **options)
    if code != 0:
        raise ShipError(f"`terraform {command}` failed (exit code {code}):\n{err.strip()}")
    return str(out)


# Written after a successful init: what it was run for. A working directory that still matches
# needs no init (about a second of checking the provider's checksums on every deploy).
INIT_STAMP = "files-api-init.sha256"


def init(tf: Terraform, env: Environment) -> None:
    backend = {"region": env.region, "use_lockfile": "true", **env.backend}
    if env.local is not None:
        backend["use_path_style"] = "true"
    described = f"(backend s3://{env.backend.get('bucket')}, providers)"
    infra = Path(str(tf.working_dir))
    stamp = infra / ".terraform" / INIT_STAMP
    if stamp.is_file() and stamp.read_text() == init_digest(infra, backend):
        print(f"$ terraform init  {described}: up to date, skipped", flush=True)
        return
    print(f"$ terraform init  {described}", flush=True)
    # Its success chatter ("Successfully configured the backend") reads as if something
    # changed on every run: shown only when it fails.
    options = {"input": False, "reconfigure": IsFlagged, "no_color": IsFlagged}
    stamp.unlink(missing_ok=True)
    capture(tf, "init", backend_config=backend, **options)
    stamp.write_text(init_digest(infra, backend))


def init_digest(infra: Path, backend: Mapping[str, str]) -> str:
    """What an init depends on: the backend settings, the CLI configuration (the provider
    mirror), the configuration's files (its modules), the lock file, and what the last init
    left in .terraform (its backend and installed providers)."""
    digest = hashlib.sha256(json.dumps(dict(backend), sort_keys=True).encode())
    cli_config = os.environ.get("TF_CLI_CONFIG_FILE")
    work = infra / ".terraform"
    inputs = [Path(cli_config)] if cli_config else []
    inputs += [*sorted(infra.glob("**/*.tf")), infra / ".terraform.lock.hcl"]
    inputs += [work / "terraform.tfstate", work / "modules" / "modules.json"]
    inputs += sorted((work / "providers").glob("*/*/*/*/*"))  # host/namespace/name/version/os_arch
    for path in inputs:
        digest.update(str(path.relative_to(infra) if path.is_relative_to(infra) else path).encode())
        digest.update(path.read_bytes() if path.is_file() else b"(none)")
    return digest.hexdigest()


def text_file(plan_file: Path) -> Path:
    """Where the plan's text goes: beside it, `<name>.tfplan.txt`."""
    return plan_file.with_name(f"{plan_file.name}.txt")


def plan(tf: Terraform, plan_file: Path, *, destroy: bool = False) -> bool:
    """Plan into `plan_file`, its text beside it (`text_file`); True if there are changes."""
    options: dict[str, Any] = {"input": False, "no_color": IsFlagged, "out": str(plan_file)}
    if destroy:
        options["destroy"] = IsFlagged
    print(f"$ terraform plan -out={plan_file.name}  (refreshing and planning...)", flush=True)
    code, out, err = tf.cmd("plan", capture_output=True, detailed_exitcode=IsFlagged, **options)
    text_file(plan_file).write_text(out)
    if code not in (0, 2):
        raise ShipError(f"`terraform plan` failed (exit code {code}):\n{err.strip()}")
    return bool(code == 2)


def apply(tf: Terraform, plan_file: str) -> None:
    run(tf, "apply", plan_file, input=False, no_color=IsFlagged)


def outputs(tf: Terraform) -> dict[str, Any]:
    raw = json.loads(capture(tf, "output", json=IsFlagged))
    return {name: item["value"] for name, item in raw.items()}


def show(tf: Terraform, plan_file: str) -> dict[str, Any]:
    """A saved plan as JSON (`terraform show -json`)."""
    shown: dict[str, Any] = json.loads(capture(tf, "show", plan_file, json=IsFlagged))
    return shown
