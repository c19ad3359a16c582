"""The local gateway's cost, side by side in one run: `uv run python -m benchmarks.gateway`.

1. Overhead per warm request: a request through the gateway (HTTP in, payload 2.0 event, the
   Runtime API, the real runtime client, HTTP out) against calling the same handler in-process
   with the same event.
   A round trip to a do-nothing http.server is measured beside them as the unit.
2. Cold start: the first request of a fresh environment through the gateway against a bare
   runtime client start (the runtime client importing the same handler until it asks for work).

It runs the lab function of tests/e2e (a handler that returns a small JSON document).
"""

from __future__ import annotations

import contextlib
import http.client
import importlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from localcloud import events, processes, pythons
from localcloud.runtime_api import RuntimeApi
from shipper import layer
from shipper.environments import host_architecture
from tests.conftest import ROOT
from tests.e2e import labcloud

WARM = 1000
COLD = 8


def _timed(call: Callable[[], Any], times: int) -> list[float]:
    samples = []
    for _ in range(times):
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def _through_gateway(cloud: labcloud.LabCloud, times: int) -> list[float]:
    port = int(cloud.url.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port)

    def call() -> None:
        connection.request("GET", "/lab/count")
        response = connection.getresponse()
        assert response.status == 200, response.read()
        response.read()

    call()  # warm it up
    try:
        return _timed(call, times)
    finally:
        connection.close()


class _Fixed(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.send_response_only(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")


def _http_round_trip(times: int) -> list[float]:
    """One keep-alive round trip to a do-nothing http.server: the gateway's unit of work (it
    makes three per request: the client's, and the runtime's `next` and `response`)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Fixed)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1])

    def call() -> None:
        connection.request("GET", "/")
        connection.getresponse().read()

    try:
        return _timed(call, times)
    finally:
        connection.close()
        server.shutdown()
        server.server_close()


class _Context:
    function_name = "lab"
    aws_request_id = "bench"

    def get_remaining_time_in_millis(self) -> int:
        return 2000


def _in_process(work: Path, times: int) -> list[float]:
    sys.path[:0] = [str(labcloud.LAB), str(work / "layer" / "python")]
    # The lab's index, not the service's: imported by name once the lab is first on sys.path.
    handler = importlib.import_module("index").handler

    request = events.Request("GET", "/lab/count", [("Host", "127.0.0.1")], b"")
    event = events.http_api_event(
        request,
        "api",
        "127.0.0.1",
        route_key="ANY /lab/{proxy+}",
        path_parameters={"proxy": "count"},
    )
    context = _Context()
    os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "256"
    # The runtime decodes the event from JSON and encodes the answer: so does this side.
    payload = json.dumps(event)
    with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
        return _timed(lambda: json.dumps(handler(json.loads(payload), context)), times)


def _cold_through_gateway(cloud: labcloud.LabCloud, times: int) -> list[float]:
    samples = []
    for _ in range(times):
        cloud.request("GET", "/lab/crash")  # the next request gets a fresh environment
        response = cloud.request("GET", "/lab/count")
        assert response.json()["cold_start"] is True
        samples.append(response.seconds * 1000)
    return samples


def _bare_runtime_start(work: Path, times: int) -> list[float]:
    """The runtime client started by hand on the same handler, until its first `next`."""
    python = pythons.find_python("3.12")
    target = layer.Target("3.12", host_architecture())
    site = pythons.runtime_packages(ROOT, "3.12", target.uv_platform, work / "state" / "runtime")
    samples = []
    for _ in range(times):
        api = RuntimeApi("arn:aws:lambda:us-east-1:123456789012:function:bare")
        with tempfile.TemporaryDirectory() as tmp:
            began = time.perf_counter()
            process = subprocess.Popen(
                [python, "-m", "awslambdaric", "index.handler"],
                cwd=labcloud.LAB,
                env={
                    "AWS_LAMBDA_RUNTIME_API": api.address,
                    "PYTHONPATH": f"{labcloud.LAB}:{work / 'layer' / 'python'}:{site}",
                    "PYTHONDONTWRITEBYTECODE": "1",
                    "TMPDIR": tmp,
                },
                stdout=subprocess.DEVNULL,
            )
            while api.ready is None:
                api.serve(0.05)
            samples.append((time.perf_counter() - began) * 1000)
            process.kill()
            process.wait()
        api.stop()
    return samples


def _row(name: str, samples: list[float]) -> str:
    median = statistics.median(samples)
    p90 = statistics.quantiles(samples, n=10)[-1]
    return f"| {name} | {len(samples)} | {median:.3f} | {p90:.3f} |"


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="files-api-bench-"))
    try:
        cloud = labcloud.start(work)
        gateway = _through_gateway(cloud, WARM)
        direct = _in_process(work, WARM)
        round_trip = _http_round_trip(WARM)
        cold = _cold_through_gateway(cloud, COLD)
        bare = _bare_runtime_start(work, COLD)
    finally:
        for pid_file in labcloud.pid_files(work):
            processes.stop(pid_file)
    print("| measurement | n | median ms | p90 ms |")
    print("|---|---|---|---|")
    print(_row("warm request through the gateway", gateway))
    print(_row("handler called in-process", direct))
    print(_row("one round trip to a do-nothing http.server", round_trip))
    print(_row("cold request through the gateway", cold))
    print(_row("bare runtime client start", bare))
    overhead = statistics.median(gateway) - statistics.median(direct)
    print(f"\ngateway overhead per warm request: {overhead:.3f} ms (median, goal <= 1 ms)")
    trips = overhead / statistics.median(round_trip)
    print(f"overhead / one http.server round trip: {trips:.1f}x")
    cold_ratio = statistics.median(cold) / statistics.median(bare)
    print(f"cold request / bare runtime client start: {cold_ratio:.2f}x")


if __name__ == "__main__":
    main()
