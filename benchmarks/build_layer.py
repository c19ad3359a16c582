"""Layer build, side by side in one run: ours vs a naive `pip install -t` vs AWS SAM's builder.

    uv run python -m benchmarks.build_layer [--arch arm64] [--python 3.12]

Each cold build starts from an empty download cache of its own; all three install the
project's locked requirements. The naive one keeps boto3 (and its dependencies) and pip's
bytecode caches, as a plain `pip install -t` does; ours and SAM's get the requirements
without what the Lambda runtime provides. Results go in the README by hand.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from localcloud.pythons import find_python
from shipper import artifacts, elf, layer
from shipper.environments import Environment

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "bench"


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _foreign(folder: Path, architecture: str) -> int:
    """How many compiled files would not load on the target."""
    compiled = [p for p in folder.rglob("*") if p.is_file() and elf.is_compiled(p)]
    return sum(1 for p in compiled if elf.machine(p) != architecture)


def _measured(site: Path, cold: float, architecture: str) -> dict[str, float]:
    """Sizes of a layer's `python/` folder, unzipped and zipped as a plain zip tool would."""
    archive = shutil.make_archive(str(site.parent / "layer"), "zip", site.parent, site.name)
    return {
        "cold": cold,
        "unzipped": _size(site),
        "zipped": Path(archive).stat().st_size,
        "foreign": _foreign(site, architecture),
    }


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


@contextmanager
def _cold_caches(tmp: Path, python: str = "3.12") -> Iterator[None]:
    """Empty download caches for uv and pip, and pip reading no machine-wide configuration
    (index mirrors, local wheel folders), so every tool fetches from the same index. The
    target's interpreter comes first on PATH, where SAM's builder looks for `pythonX.Y`."""
    saved = dict(os.environ)
    os.environ |= {
        "PATH": f"{Path(find_python(python)).parent}{os.pathsep}{os.environ['PATH']}",
        "UV_CACHE_DIR": str(tmp / "uv-cache"),
        "PIP_CACHE_DIR": str(tmp / "pip-cache"),
        "PIP_CONFIG_FILE": os.devnull,
    }
    os.environ.pop("PIP_FIND_LINKS", None)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def ours(env: Environment, tmp: Path) -> dict[str, float]:
    out = OUT / "ours"
    shutil.rmtree(out, ignore_errors=True)
    quiet: artifacts.Report = lambda _: None  # noqa: E731
    with _cold_caches(tmp):
        cold = _timed(lambda: artifacts.build(ROOT, env, out, quiet))
    warm = _timed(lambda: artifacts.build(ROOT, env, out, quiet))
    entry = artifacts.build(ROOT, env, out, quiet).manifest["artifacts"]["layer"]
    sizes = {"unzipped": entry["unzipped_size"], "zipped": entry["size"], "foreign": 0}
    return {"cold": cold, "warm": warm, **sizes}


def naive(env: Environment, tmp: Path) -> dict[str, float]:
    """`pip install -t` of every runtime requirement (boto3 too), for the machine it runs on."""
    requirements = tmp / "naive.txt"
    requirements.write_text(layer.locked_requirements(ROOT, prune=()))
    target = tmp / "naive" / "python"
    command = [find_python(env.python), "-m", "pip", "install", "--quiet", "-t", str(target)]
    with _cold_caches(tmp, env.python):
        cold = _timed(lambda: subprocess.run([*command, "-r", str(requirements)], check=True))
    return _measured(target, cold, env.architecture)


def sam(env: Environment, tmp: Path) -> dict[str, float]:
    """aws-lambda-builders' python_pip workflow (what `sam build` runs), for the same target."""
    from aws_lambda_builders.builder import LambdaBuilder

    source, built = tmp / "sam-src", tmp / "sam-out" / "python"
    source.mkdir()
    (source / "requirements.txt").write_text(layer.locked_requirements(ROOT))
    builder = LambdaBuilder(language="python", dependency_manager="pip", application_framework=None)
    with _cold_caches(tmp, env.python):
        cold = _timed(
            lambda: builder.build(
                str(source),
                str(built),
                str(tmp / "sam-scratch"),
                str(source / "requirements.txt"),
                runtime=env.runtime,
                architecture=env.architecture,
            )
        )
    (built / "requirements.txt").unlink(missing_ok=True)  # copied from the source folder
    return _measured(built, cold, env.architecture)


def invoke_warm() -> tuple[float, float]:
    """A no-change `invoke build` as a user runs it (process start included), local env:
    wall time, and CPU time (which a busy machine inflates less)."""
    command = [sys.executable, "-m", "invoke", "build", "--quiet"]
    subprocess.run(command, cwd=ROOT, check=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = _timed(lambda: subprocess.run(command, cwd=ROOT, check=True))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _row(name: str, result: dict[str, float], base: dict[str, float]) -> str:
    mb = 1024 * 1024
    cells = [
        name,
        f"{result['cold']:.1f} s ({result['cold'] / base['cold']:.2f}x)",
        f"{result['unzipped'] / mb:.1f} MB ({result['unzipped'] / base['unzipped']:.2f}x)",
        f"{result['zipped'] / mb:.1f} MB ({result['zipped'] / base['zipped']:.2f}x)",
        f"{result['foreign']:.0f}",
    ]
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", default="arm64", choices=sorted(layer.UV_ARCH))
    parser.add_argument("--python", default="3.12")
    args = parser.parse_args()
    env = Environment("bench", "us-east-1", args.python, args.arch, backend={})
    with tempfile.TemporaryDirectory(prefix="files-api-bench-") as name:
        tmp = Path(name)
        results = {"ours": ours(env, tmp), "naive": naive(env, tmp)}
        try:
            results["sam"] = sam(env, tmp)
        except Exception as exc:  # reported, so the other columns still come out
            print(f"aws-lambda-builders failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        warm_wall, warm_cpu = invoke_warm()
    base = results["ours"]
    print(f"target: python{args.python} on {args.arch}; ratios are against ours\n")
    print("| builder | cold build | unzipped | zipped | .so files not for the target |")
    print("|---|---|---|---|---|")
    labels = {
        "ours": "ours (`invoke build`)",
        "naive": "naive `pip install -t` (host platform, boto3 + caches kept)",
        "sam": "aws-lambda-builders python_pip (what `sam build` runs)",
    }
    for key, result in results.items():
        print(_row(labels[key], result, base))
    print(f"\nwarm no-change build: {base['warm'] * 1000:.0f} ms in-process, ", end="")
    print(f"{warm_wall * 1000:.0f} ms ({warm_cpu * 1000:.0f} ms CPU) for the whole `invoke build`")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
