"""The local gateway's cost, side by side in one run: `uv run python -m benchmarks.gateway`.

1. Overhead per warm request: a request through the gateway (HTTP in, payload 2.0 event, the
   Runtime API, the real runtime client, HTTP out) against calling the same handler in-process
   with the same event. The client is a bare socket sending a prepared request (as curl or a load
   generator would: the gateway's cost, not the client library's), with http.client beside it.
   Under any gateway is the runtime client's own turn: an event handed over on its Runtime API
   to its answer, measured alone, once it is ready and back to back. A TCP ping-pong between two
   processes is the unit: what one wake-up on each side of the loopback costs on this machine.
   The warm measurements take turns in rounds, so that the machine's ups and downs hit them all.
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
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from localcloud import events, processes, pythons
from localcloud.runtime_api import Invocation, RuntimeApi
from shipper import layer
from shipper.environments import host_architecture
from tests.conftest import ROOT
from tests.e2e import labcloud

ROUNDS = 10
PER_ROUND = 100
COLD = 8

Measure = Callable[[], float]  # one sample, in ms


def _timed(call: Callable[[], object]) -> Measure:
    def measure() -> float:
        began = time.perf_counter()
        call()
        return (time.perf_counter() - began) * 1000

    return measure


def _bare_socket_client(port: int, stack: contextlib.ExitStack) -> Measure:
    sock = stack.enter_context(socket.create_connection(("127.0.0.1", port)))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    request = b"GET /lab/count HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

    def call() -> None:
        sock.sendall(request)
        data = sock.recv(65536)
        while b"\r\n\r\n" not in data:
            data += sock.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        found = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
        assert head.startswith(b"HTTP/1.1 200 ") and found, head
        while len(body) < int(found[1]):
            body += sock.recv(65536)

    return _timed(call)


def _http_client(port: int, stack: contextlib.ExitStack) -> Measure:
    connection = http.client.HTTPConnection("127.0.0.1", port)
    stack.callback(connection.close)

    def call() -> None:
        connection.request("GET", "/lab/count")
        response = connection.getresponse()
        assert response.status == 200, response.read()
        response.read()

    return _timed(call)


_ECHO = """
import socket, sys
listener = socket.socket(fileno=int(sys.argv[1]))
sock, _ = listener.accept()
sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
while data := sock.recv(65536):
    sock.sendall(data)
"""


def _ping_pong(stack: contextlib.ExitStack) -> Measure:
    """200 bytes to a process that echoes them, and back."""
    server = stack.enter_context(socket.create_server(("127.0.0.1", 0)))
    echo = subprocess.Popen(
        [sys.executable, "-c", _ECHO, str(server.fileno())], pass_fds=[server.fileno()]
    )
    stack.callback(echo.wait, 10)
    sock = stack.enter_context(socket.create_connection(server.getsockname()))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def call() -> None:
        sock.sendall(b"x" * 200)
        received = 0
        while received < 200:
            received += len(sock.recv(65536))

    return _timed(call)


class _Context:
    function_name = "lab"
    aws_request_id = "bench"

    def get_remaining_time_in_millis(self) -> int:
        return 2000


def _lab_event() -> dict[str, Any]:
    request = events.Request("GET", "/lab/count", [("Host", "127.0.0.1")], b"")
    return events.http_api_event(
        request,
        "api",
        "127.0.0.1",
        route_key="ANY /lab/{proxy+}",
        path_parameters={"proxy": "count"},
    )


def _in_process(work: Path, stack: contextlib.ExitStack) -> Measure:
    sys.path[:0] = [str(labcloud.LAB), str(work / "layer" / "python")]
    # The lab's index, not the service's: imported by name once the lab is first on sys.path.
    handler = importlib.import_module("index").handler
    context = _Context()
    os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "256"
    # The runtime decodes the event from JSON and encodes the answer: so does this side.
    payload = json.dumps(_lab_event())
    devnull = stack.enter_context(open(os.devnull, "w"))  # noqa: SIM115
    stack.enter_context(contextlib.redirect_stdout(devnull))
    return _timed(lambda: json.dumps(handler(json.loads(payload), context)))


class _BareRuntime:
    """The runtime client started by hand on the lab's handler, with no gateway around it; its
    environment says the python3.12 runtime, so it polls as Lambda's does (from a thread)."""

    def __init__(self, work: Path) -> None:
        python = pythons.find_python("3.12")
        target = layer.Target("3.12", host_architecture())
        site = pythons.runtime_packages(
            ROOT, "3.12", target.uv_platform, work / "state" / "runtime"
        )
        self.tmp = tempfile.TemporaryDirectory()
        self.api = RuntimeApi("arn:aws:lambda:us-east-1:123456789012:function:bare")
        self.payload = json.dumps(_lab_event()).encode()
        self.turns = 0
        began = time.perf_counter()
        self.process = subprocess.Popen(
            [python, "-m", "awslambdaric", "index.handler"],
            cwd=labcloud.LAB,
            env={
                "AWS_LAMBDA_RUNTIME_API": self.api.address,
                "AWS_EXECUTION_ENV": "AWS_Lambda_python3.12",
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
                "PYTHONPATH": f"{labcloud.LAB}:{work / 'layer' / 'python'}:{site}",
                "PYTHONDONTWRITEBYTECODE": "1",
                "TMPDIR": self.tmp.name,
            },
            stdout=subprocess.DEVNULL,
        )
        while self.api.ready is None:
            self.api.serve(0.05)
        self.started_ms = (time.perf_counter() - began) * 1000

    def turn(self, *, ready: bool) -> float:
        """One invocation, from the event submitted to the answer, in ms. `ready`: only once the
        runtime asks for it (the clock starts with the hand-over); else at once, as a request
        right after the last one comes, while the runtime gets ready for it."""
        while ready and not any(c.waiting for c in self.api.connections.values()):
            self.api.serve(1.0)
        self.turns += 1
        invocation = Invocation(f"turn-{self.turns}", self.payload, time.time() + 10)
        began = time.perf_counter()
        self.api.submit(invocation)
        while not invocation.done():
            self.api.serve(1.0)
        return (time.perf_counter() - began) * 1000

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        self.api.stop()
        self.tmp.cleanup()


def _warm(cloud: labcloud.LabCloud, work: Path) -> dict[str, list[float]]:
    port = int(cloud.url.rsplit(":", 1)[1])
    with contextlib.ExitStack() as stack:
        runtime = _BareRuntime(work)
        stack.callback(runtime.stop)
        measures = {
            "gateway": _bare_socket_client(port, stack),
            "gateway, http.client": _http_client(port, stack),
            "runtime ready": lambda: runtime.turn(ready=True),
            "runtime back to back": lambda: runtime.turn(ready=False),
            "in-process": _in_process(work, stack),
            "ping-pong": _ping_pong(stack),
        }
        samples: dict[str, list[float]] = {name: [] for name in measures}
        for measure in measures.values():  # warm up
            measure()
        for _ in range(ROUNDS):
            for name, measure in measures.items():
                samples[name] += [measure() for _ in range(PER_ROUND)]
        return samples


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
    samples = []
    for _ in range(times):
        runtime = _BareRuntime(work)
        samples.append(runtime.started_ms)
        runtime.stop()
    return samples


def _row(name: str, samples: list[float]) -> str:
    median = statistics.median(samples)
    p90 = statistics.quantiles(samples, n=10)[-1]
    return f"| {name} | {len(samples)} | {median:.3f} | {p90:.3f} |"


ROWS = {
    "gateway": "warm request through the gateway (bare socket client)",
    "gateway, http.client": "warm request through the gateway (http.client)",
    "runtime ready": "runtime client alone: event handed over to answer",
    "runtime back to back": "runtime client alone: back to back",
    "in-process": "handler called in-process",
    "ping-pong": "TCP ping-pong between two processes",
}


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="files-api-bench-"))
    try:
        cloud = labcloud.start(work)
        warm = _warm(cloud, work)
        cold = _cold_through_gateway(cloud, COLD)
        bare = _bare_runtime_start(work, COLD)
    finally:
        for pid_file in labcloud.pid_files(work):
            processes.stop(pid_file)
    print("| measurement | n | median ms | p90 ms |")
    print("|---|---|---|---|")
    for key, name in ROWS.items():
        print(_row(name, warm[key]))
    print(_row("cold request through the gateway", cold))
    print(_row("bare runtime client start", bare))
    median = {key: statistics.median(samples) for key, samples in warm.items()}
    direct = median["in-process"]
    overhead = median["gateway"] - direct
    own = median["gateway"] - median["runtime ready"]
    print(f"\ngateway overhead per warm request: {overhead:.3f} ms (median, goal <= 1 ms)")
    print(f"  with http.client as the client: {median['gateway, http.client'] - direct:.3f} ms")
    print(f"  the runtime client's alone, once ready: {median['runtime ready'] - direct:.3f} ms")
    print(f"  the gateway's own: {own:.3f} ms")
    print(f"overhead / one TCP ping-pong: {overhead / median['ping-pong']:.1f}x")
    print(f"the gateway's own / one TCP ping-pong: {own / median['ping-pong']:.1f}x")
    cold_ratio = statistics.median(cold) / statistics.median(bare)
    print(f"cold request / bare runtime client start: {cold_ratio:.2f}x")


if __name__ == "__main__":
    main()
