"""`invoke build`: the code zip, the layer zip (both cached) and the manifest."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shipper import layer, manifest, packages, zips
from shipper.environments import Environment
from shipper.errors import ShipError

Report = Callable[[str], None]
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Lambda's size limits, checked at build time rather than found at deploy."""

    # Function code and all its layers, unzipped: a hard limit.
    unzipped: int = 250 * MB
    # Zipped, for a direct upload; a larger zip must go through S3.
    direct_upload: int = 50 * MB


@dataclass
class Built:
    """What a build made: the manifest, and which artifacts were rebuilt (not reused)."""

    manifest: dict[str, Any]
    rebuilt: dict[str, bool] = field(default_factory=dict)


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB else f"{size / 1024:.1f} KB"


def check_size(code_size: int, layer_packages: dict[str, int], limits: Limits) -> None:
    """Fail if code + layer unzip past Lambda's limit, listing the largest packages."""
    total = code_size + sum(layer_packages.values())
    if total <= limits.unzipped:
        return
    largest = sorted(layer_packages.items(), key=lambda item: (-item[1], item[0]))[:10]
    listing = "\n".join(f"  {name:32} {_mb(size):>9}" for name, size in largest)
    raise ShipError(
        f"code + layer unzip to {_mb(total)}, over Lambda's {_mb(limits.unzipped)} limit "
        f"(code: {_mb(code_size)}). Largest packages in the layer:\n{listing}\n"
        "Drop or replace the largest dependencies, then run `uv lock` and build again."
    )


def _previous(path: Path) -> dict[str, Any]:
    try:
        return manifest.read(path)
    except (ShipError, ValueError):
        return {}  # none, unreadable or another format: nothing to reuse


@dataclass
class _Build:
    root: Path
    env: Environment
    out: Path
    limits: Limits
    report: Report
    previous: dict[str, Any] = field(default_factory=dict)

    @property
    def manifest_path(self) -> Path:
        return self.out / "manifest.json"

    def reusable(self, name: str, key: str) -> dict[str, Any] | None:
        """The previous build's entry for `name`, if made from the same inputs and intact."""
        entry: dict[str, Any] = self.previous.get("artifacts", {}).get(name, {})
        path = self.root / entry.get("path", "missing")
        if entry.get("input_hash") != key or not path.is_file():
            return None
        if zips.describe(path, 0).sha256_hex != entry["sha256_hex"]:
            return None
        self.report(f"{name} unchanged (inputs match the last build): reusing it")
        return {**entry, **self.entry_fields(entry["size"])}

    def entry_fields(self, size: int) -> dict[str, Any]:
        """The target, and `large`: a zip Lambda refuses directly, so the deploy goes via S3."""
        env = self.env
        large = size > self.limits.direct_upload
        return {"architecture": env.architecture, "python": env.python, "large": large}

    def write_zip(self, root: Path, files: list[Path], name: str, prefix: str = "") -> zips.ZipInfo:
        """Zip into out/<name>.zip; the manifest goes first, so an interrupted build leaves
        no manifest naming zips it did not describe (and zips are renamed in only when whole)."""
        self.manifest_path.unlink(missing_ok=True)
        return zips.write_zip(root, files, self.out / f"{name}.zip", prefix=prefix)

    def entry(self, info: zips.ZipInfo, **extra: Any) -> dict[str, Any]:
        return manifest.artifact(info, self.root, **self.entry_fields(info.size), **extra)

    def code(self, service: Path, files: list[Path]) -> tuple[dict[str, Any], bool]:
        key = f"{layer.BUILDER_VERSION}\n{zips.tree_hash(service, files)}"
        key = hashlib.sha256(key.encode()).hexdigest()
        reused = self.reusable("code", key)
        if reused is not None:
            return reused, False
        self.report(f"zipping the code: {len(files)} files from service/")
        return self.entry(self.write_zip(service, files, "code"), input_hash=key), True

    def layer(self, prune: tuple[str, ...], code_size: int) -> tuple[dict[str, Any], bool]:
        target = layer.Target(python=self.env.python, architecture=self.env.architecture)
        self.report(
            f"resolving the locked runtime dependencies for {target} ({target.uv_platform})"
        )
        requirements = layer.locked_requirements(self.root, prune)
        key = layer.input_hash(requirements, target, prune)
        reused = self.reusable("layer", key)
        if reused is not None:
            check_size(code_size, reused["package_sizes"], self.limits)
            return reused, False
        with tempfile.TemporaryDirectory(prefix="files-api-layer-") as tmp:
            site = Path(tmp) / "python"
            count = sum(1 for line in requirements.splitlines() if "==" in line)
            self.report(
                f"installing {count} packages from wheels for {target.uv_platform} "
                "(downloading what uv has not cached)"
            )
            layer.stage(requirements, target, site)
            installed = packages.installed(site)
            sizes = {p.name: p.size for p in installed}
            check_size(code_size, sizes, self.limits)
            files = zips.tree_files(site)
            self.report(f"zipping the layer: {len(files)} files, {_mb(sum(sizes.values()))}")
            info = self.write_zip(site, files, "layer", prefix="python/")
        pins = sorted(p.pin for p in installed if p.version)
        return self.entry(info, input_hash=key, packages=pins, package_sizes=sizes), True


def build(
    root: Path,
    env: Environment,
    out: Path,
    report: Report = print,
    *,
    prune: tuple[str, ...] = layer.RUNTIME_PROVIDED,
    limits: Limits = Limits(),
) -> Built:
    """Build both artifacts into `out`, reusing unchanged ones, and write the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    run = _Build(root, env, out, limits, report)
    run.previous = _previous(run.manifest_path)
    service = root / "service"
    files = zips.tree_files(service)
    layer_entry, layer_rebuilt = run.layer(prune, zips.unzipped_size(service, files))
    code_entry, code_rebuilt = run.code(service, files)
    data = {
        "runtime": env.runtime,
        "architecture": env.architecture,
        "artifacts": {"code": code_entry, "layer": layer_entry},
    }
    manifest.write(run.manifest_path, data)
    return Built(data, {"code": code_rebuilt, "layer": layer_rebuilt})


def summary(built: Built) -> str:
    """A table of the artifacts: size, hash prefix, and whether each was rebuilt or cached."""
    lines = [f"  {'artifact':8} {'path':18} {'zipped':>10} {'unzipped':>10}  sha256        status"]
    for name, entry in sorted(built.manifest["artifacts"].items()):
        status = "rebuilt" if built.rebuilt.get(name) else "cached"
        status += ", large: deploy uploads it through S3" if entry.get("large") else ""
        lines.append(
            f"  {name:8} {entry['path']:18} {_mb(entry['size']):>10} "
            f"{_mb(entry['unzipped_size']):>10}  {entry['sha256_hex'][:12]}  {status}"
        )
    return "\n".join(lines)


def write_tfvars(path: Path, env: Environment, built: dict[str, Any]) -> None:
    """Terraform variables for `env` and this build, where `terraform plan` picks them up.

    Artifact paths are relative to infra/, so the plan is the same in any clone. Written only
    when changed, and atomically.
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
    manifest.write_json(path, values)
