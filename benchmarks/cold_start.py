"""Cold init and warm latency: the service against a FastAPI + Mangum app, side by side.

    uv run python benchmarks/cold_start.py [--rounds 15] [--warm 100]

Each round starts a fresh interpreter per app (alternating, so both see the
same machine load) that imports `index` and serves its first request: that is
the cold init. The same process then times warm PUTs and GETs. Both apps talk
to one moto server on 127.0.0.1 and read their token from SSM, as deployed.
Results are medians; the ratios are what to compare across machines.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import free_port  # noqa: E402
from tests.events import http_api  # noqa: E402

Result = dict[str, Any]  # import, cold: seconds; put, get: lists of seconds
Results = dict[str, list[Result]]
FASTAPI = [ROOT / "benchmarks" / "fastapi_app", ROOT / "service"]
# name -> (PYTHONPATH, extra environment)
APPS: dict[str, tuple[list[Path], dict[str, str]]] = {
    "service (Starlette)": ([ROOT / "service"], {}),
    "FastAPI, same clients": (FASTAPI, {}),
    "FastAPI, boto3 clients": (FASTAPI, {"BENCH_CLIENTS": "boto3"}),
}
BUCKET = "files-api-bench"
PARAMETER = "/files-api/bench/api-tokens"
TOKEN = "bench-token"
# Runs in the fresh interpreter. Timing starts just before `import index`.
PROBE = """
import json, sys, time, types
events = json.loads(open(sys.argv[1]).read())
context = types.SimpleNamespace(
    function_name="bench", function_version="$LATEST", aws_request_id="bench",
    memory_limit_in_mb=512, get_remaining_time_in_millis=lambda: 30_000,
)
started = time.perf_counter()
import index
imported = time.perf_counter()
first = index.handler(events["put"], context)
served = time.perf_counter()
assert first["statusCode"] in (200, 201), first
warm = {"put": [], "get": []}
for _ in range(events["warm"]):
    for name in ("put", "get"):
        begin = time.perf_counter()
        answer = index.handler(events[name], context)
        warm[name].append(time.perf_counter() - begin)
        assert answer["statusCode"] in (200, 201), answer
result = {"import": imported - started, "cold": served - started, **warm}
open(sys.argv[2], "w").write(json.dumps(result))
"""


def _environment(endpoint: str, path: list[Path], extra: dict[str, str]) -> dict[str, str]:
    return {
        **extra,
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": os.pathsep.join(str(p) for p in path),
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
        "FILES_BUCKET": BUCKET,
        "API_TOKENS_PARAMETER": PARAMETER,
    }


def _run(env: dict[str, str], events: Path, workdir: Path) -> Result:
    out = workdir / "result.json"
    subprocess.run(
        [sys.executable, "-c", PROBE, str(events), str(out)],
        env=env,
        cwd=workdir,
        stdout=subprocess.DEVNULL,  # the service's JSON request logs
        check=True,
        timeout=120,
    )
    result: Result = json.loads(out.read_text())
    return result


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:8.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="cold starts per app")
    parser.add_argument("--warm", type=int, default=100, help="warm PUT+GET pairs per round")
    args = parser.parse_args()

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request log
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        session = boto3.Session(
            aws_access_key_id="bench", aws_secret_access_key="bench", region_name="us-east-1"
        )
        session.client("s3", endpoint_url=endpoint).create_bucket(Bucket=BUCKET)
        session.client("ssm", endpoint_url=endpoint).put_parameter(
            Name=PARAMETER, Value=TOKEN, Type="SecureString", Overwrite=True
        )
        headers = {"authorization": f"Bearer {TOKEN}"}
        body = bytes(range(256)) * 4
        events = {
            "put": http_api("PUT", "/v1/files/bench/one.bin", body, headers),
            "get": http_api("GET", "/v1/files/bench/one.bin", b"", headers),
            "warm": args.warm,
        }
        results: Results = {name: [] for name in APPS}
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            events_file = workdir / "events.json"
            events_file.write_text(json.dumps(events))
            for round_ in range(args.rounds + 1):
                for name, (path, extra) in APPS.items():
                    result = _run(_environment(endpoint, path, extra), events_file, workdir)
                    if round_:  # round 0 warms the OS file cache and writes .pyc files
                        results[name].append(result)
    finally:
        server.stop()
    _report(results, args)


def _report(results: Results, args: argparse.Namespace) -> None:
    print(f"{args.rounds} cold starts per app, {args.warm} warm PUT+GET pairs per round, "
          f"Python {sys.version.split()[0]}; medians in ms")  # fmt: skip
    print(f"{'app':24} {'import':>8} {'cold init':>9} {'warm PUT':>8} {'warm GET':>8}")
    cold: dict[str, float] = {}
    for name, rounds in results.items():
        imports = [float(r["import"]) for r in rounds]
        colds = [float(r["cold"]) for r in rounds]
        puts = [v for r in rounds for v in r["put"]]
        gets = [v for r in rounds for v in r["get"]]
        cold[name] = statistics.median(colds)
        print(f"{name:24} {_ms(imports)} {_ms(colds):>9} {_ms(puts)} {_ms(gets)}")
    service = cold[next(iter(APPS))]
    for name, value in list(cold.items())[1:]:
        print(f"cold init ratio service / {name}: {service / value:.2f} (goal: at most 0.50)")


if __name__ == "__main__":
    main()
