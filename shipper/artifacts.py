"""`invoke build`: the code zip, the layer zip (cached) and the manifest."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shipper import layer, manifest, zips
from shipper.environments import Environment

Report = Callable[[str], None]


def _cached_layer(root: Path, previous: dict[str, Any], key: str) -> zips.ZipInfo | None:
    """The layer of the previous build, if it was built from the same inputs and is intact."""
    entry = previous.get("artifacts", {}).get("layer", {})
    path = root / entry.get("path", "missing")
    if entry.get("input_hash") != key or not path.is_file():
        return None
    info = zips.describe(path, entry["unzipped_size"])
    return info if info.sha256_hex == entry["sha256_hex"] else None


def build(root: Path, env: Environment, out: Path, report: Report = print) -> dict[str, Any]:
    """Build both artifacts into `out` and write the manifest; returns the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / "manifest.json"
    previous = manifest.read(manifest_path) if manifest_path.is_file() else {}
    target = layer.Target(python=env.python, architecture=env.architecture)

    requirements = layer.locked_requirements(root)
    key = layer.input_hash(requirements, target)
    layer_info = _cached_layer(root, previous, key)
    if layer_info is None:
        report(f"building layer for {env.runtime} on {env.architecture} ({target.uv_platform})")
        layer_info = layer.build(requirements, target, out / "layer.zip")
    else:
        report("layer unchanged (inputs match the last build): reusing it")

    service = root / "service"
    code_info = zips.write_zip(service, zips.tree_files(service), out / "code.zip")
    packages = [line for line in requirements.splitlines() if "==" in line]
    data = {
        "runtime": env.runtime,
        "architecture": env.architecture,
        "artifacts": {
            "code": manifest.artifact(code_info, root),
            "layer": manifest.artifact(layer_info, root, input_hash=key, packages=packages),
        },
    }
    manifest.write(manifest_path, data)
    return data


def write_tfvars(path: Path, env: Environment, built: dict[str, Any]) -> None:
    """Terraform variables for `env` and this build, where `terraform plan` picks them up.

    Artifact paths are relative to infra/, so the plan is the same in any clone.
    """
    artifacts = {
        name: {
            "path": f"../{entry['path']}",
            "sha256_base64": entry["sha256_base64"],
            # Too large for a direct upload: Terraform routes it through S3.
            "large": bool(entry.get("large", False)),
        }
        for name, entry in built["artifacts"].items()
    }
    values = {
        **env.tf_vars,
        "environment": env.name,
        "region": env.region,
        "artifacts": {
            **artifacts,
            "runtime": built["runtime"],
            "architecture": built["architecture"],
        },
    }
    path.write_text(json.dumps(values, indent=2, sort_keys=True) + "\n")
