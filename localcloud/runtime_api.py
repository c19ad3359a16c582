"""The Lambda Runtime API, served to one runtime client on 127.0.0.1.

Facts the real runtime interface client depends on: the `next` reply must carry
`Content-Type: application/json` (else it crashes), it keeps one connection
alive across invocations, and every reply needs an exact Content-Length.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PREFIX = "/2018-06-01/runtime"


@dataclass
class Invocation:
    """One event handed to the runtime, and what it answered."""

    request_id: str
    payload: bytes
    deadline: float  # epoch seconds
    done: threading.Event = field(default_factory=threading.Event)
    response: bytes | None = None
    error: dict[str, Any] | None = None
    received: float | None = None  # monotonic: when the runtime took it (Duration starts)
    finished: float | None = None  # monotonic: when the runtime answered


class RuntimeApi:
    """Hands invocations to one runtime client and collects its answers."""

    def __init__(self, function_arn: str, on_change: Callable[[], None] = lambda: None) -> None:
        self.function_arn = function_arn
        self.on_change = on_change  # called when the runtime is ready, answers, or fails init
        self.pending: queue.Queue[Invocation | None] = queue.Queue()
        self.active: dict[str, Invocation] = {}
        self.init_error: dict[str, Any] | None = None
        self.ready: float | None = None  # monotonic: the first `next`, i.e. init is done
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def address(self) -> str:
        host, port = self.server.server_address[:2]
        return f"{host!s}:{port}"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.pending.put(None)  # release a runtime blocked on `next`
        if self.thread.is_alive():  # shutdown() waits for serve_forever, which may never have run
            self.server.shutdown()
        self.server.server_close()

    def submit(self, invocation: Invocation) -> None:
        self.active[invocation.request_id] = invocation
        self.pending.put(invocation)

    def next_invocation(self) -> Invocation | None:
        if self.ready is None:
            self.ready = time.monotonic()
            self.on_change()
        invocation = self.pending.get()
        if invocation is not None:
            invocation.received = time.monotonic()
        return invocation

    def fail_init(self, error: dict[str, Any]) -> None:
        self.init_error = error
        self.on_change()

    def finish(
        self, request_id: str, *, response: bytes | None = None, error: dict[str, Any] | None = None
    ) -> bool:
        invocation = self.active.pop(request_id, None)
        if invocation is None:
            return False
        invocation.response, invocation.error = response, error
        invocation.finished = time.monotonic()
        invocation.done.set()
        self.on_change()
        return True


def _handler_for(api: RuntimeApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else each small reply waits ~40 ms for an ACK

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _reply(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def do_GET(self) -> None:
            if self.path != f"{PREFIX}/invocation/next":
                self._reply(404, b'{"errorMessage":"not found"}')
                return
            invocation = api.next_invocation()
            if invocation is None:  # shutting down
                self.close_connection = True
                return
            self._reply(
                200,
                invocation.payload,
                {
                    "Lambda-Runtime-Aws-Request-Id": invocation.request_id,
                    "Lambda-Runtime-Deadline-Ms": str(int(invocation.deadline * 1000)),
                    "Lambda-Runtime-Invoked-Function-Arn": api.function_arn,
                    "Lambda-Runtime-Trace-Id": _trace_id(invocation.request_id),
                },
            )

        def do_POST(self) -> None:
            body = self._body()
            parts = self.path.removeprefix(PREFIX).strip("/").split("/")
            if parts == ["init", "error"]:
                api.fail_init(_json(body))
                found = True
            elif len(parts) == 3 and parts[0] == "invocation" and parts[2] == "response":
                found = api.finish(parts[1], response=body)
            elif len(parts) == 3 and parts[0] == "invocation" and parts[2] == "error":
                found = api.finish(parts[1], error=_json(body))
            else:
                found = False
            if found:
                self._reply(202, b'{"status":"OK"}')
            else:
                self._reply(404, b'{"errorMessage":"unknown request id or path"}')

    return Handler


def _trace_id(request_id: str) -> str:
    return f"Root=1-{int(time.time()):08x}-{request_id.replace('-', '')[:24]}"


def _json(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body)
    except ValueError:
        return {"errorMessage": body.decode(errors="replace")}
    return value if isinstance(value, dict) else {"errorMessage": str(value)}
