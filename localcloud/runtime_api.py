"""The Lambda Runtime API, served to one runtime client on 127.0.0.1.

It has no thread of its own: whoever waits on the environment (its cold start, or the invocation
in flight) calls `serve`, which reads the runtime's requests and answers them. An event thus
reaches the runtime, and its answer the invoker, without a handoff between threads.

Facts the real runtime interface client depends on: the `next` reply must carry
`Content-Type: application/json` (else it crashes), it keeps one connection alive across
invocations (and opens a new one if a reply arrives before it asked, so `next` is answered only
once read), and every reply needs an exact Content-Length.
"""

from __future__ import annotations

import contextlib
import json
import select
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from localcloud import wire

PREFIX = "/2018-06-01/runtime"
# Well past Lambda's 6 MB: an answer too large is failed as Lambda fails it, not cut off here.
MAX_BODY = 64 * 1024 * 1024
ACCEPTED = wire.response(202, [("Content-Type", "application/json")], b'{"status":"OK"}')
NOT_FOUND = wire.response(
    404, [("Content-Type", "application/json")], b'{"errorMessage":"unknown request id or path"}'
)


@dataclass
class Invocation:
    """One event handed to the runtime, and what it answered."""

    request_id: str
    payload: bytes
    deadline: float  # epoch seconds
    response: bytes | None = None
    error: dict[str, Any] | None = None
    received: float | None = None  # monotonic: when the runtime took it (Duration starts)
    finished: float | None = None  # monotonic: when the runtime answered

    def done(self) -> bool:
        return self.finished is not None


class _Connection:
    """One connection of the runtime client: what it sent that is not answered yet."""

    def __init__(self, sock: socket.socket) -> None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # else replies wait ~40 ms
        self.sock = sock
        self.reader = wire.RequestReader(MAX_BODY)
        self.waiting = False  # it asked for the next invocation and has none yet


class RuntimeApi:
    """Hands invocations to one runtime client and collects its answers."""

    def __init__(self, function_arn: str) -> None:
        self.function_arn = function_arn
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.connections: dict[socket.socket, _Connection] = {}
        self.pending: Invocation | None = None  # submitted, not yet asked for
        self.active: dict[str, Invocation] = {}
        self.init_error: dict[str, Any] | None = None
        self.ready: float | None = None  # monotonic: the first `next`, i.e. init is done

    @property
    def address(self) -> str:
        host, port = self.listener.getsockname()[:2]
        return f"{host!s}:{port}"

    def stop(self) -> None:
        for connection in self.connections.values():
            connection.sock.close()
        self.connections.clear()
        self.listener.close()

    def serve(self, timeout: float, also: Sequence[int] = ()) -> list[int]:
        """Answer what the runtime sent, waiting up to `timeout` s for something to arrive on its
        connections or on the file descriptors `also`; return those of `also` readable."""
        waiting_on: list[socket.socket | int] = [self.listener, *self.connections, *also]
        ready, _, _ = select.select(waiting_on, [], [], timeout)
        for item in ready:
            if item is self.listener:
                self._accept()
            elif isinstance(item, socket.socket) and item in self.connections:
                self._receive(self.connections[item])
        return [item for item in ready if isinstance(item, int)]

    def submit(self, invocation: Invocation) -> None:
        """Hand `invocation` to the runtime now if it is waiting, else when it next asks."""
        self.active[invocation.request_id] = invocation
        self.pending = invocation
        for connection in self.connections.values():
            if connection.waiting:
                self._hand_over(connection)
                return

    def _accept(self) -> None:
        sock, _ = self.listener.accept()
        self.connections[sock] = _Connection(sock)

    def _receive(self, connection: _Connection) -> None:
        try:
            chunk = connection.sock.recv(wire.CHUNK)
        except OSError:
            chunk = b""
        if not chunk:
            self._drop(connection)
            return
        try:
            requests = connection.reader.feed(chunk)
        except wire.BadRequest:
            self._drop(connection)
            return
        for request in requests:
            if request.expects_continue:
                self._send(connection, wire.CONTINUE)
            else:
                self._answer(connection, request)

    def _answer(self, connection: _Connection, request: wire.Request) -> None:
        path = request.target.removeprefix(PREFIX)
        if request.method == "GET" and path == "/invocation/next":
            if self.ready is None:
                self.ready = time.monotonic()
            connection.waiting = True
            if self.pending is not None:
                self._hand_over(connection)
            return
        parts = path.strip("/").split("/") if request.method == "POST" else []
        if parts == ["init", "error"]:
            self.init_error = _json(request.body)
            found = True
        elif len(parts) == 3 and parts[0] == "invocation" and parts[2] == "response":
            found = self._finish(parts[1], response=request.body)
        elif len(parts) == 3 and parts[0] == "invocation" and parts[2] == "error":
            found = self._finish(parts[1], error=_json(request.body))
        else:
            found = False
        self._send(connection, ACCEPTED if found else NOT_FOUND)

    def _hand_over(self, connection: _Connection) -> None:
        invocation, self.pending = self.pending, None
        assert invocation is not None
        connection.waiting = False
        invocation.received = time.monotonic()
        headers = [
            ("Content-Type", "application/json"),
            ("Lambda-Runtime-Aws-Request-Id", invocation.request_id),
            ("Lambda-Runtime-Deadline-Ms", str(int(invocation.deadline * 1000))),
            ("Lambda-Runtime-Invoked-Function-Arn", self.function_arn),
            ("Lambda-Runtime-Trace-Id", _trace_id(invocation.request_id)),
        ]
        # A runtime that stops reading must not hold the invoker past the function's timeout.
        connection.sock.settimeout(max(0.001, invocation.deadline - time.time()))
        self._send(connection, wire.response(200, headers, invocation.payload))

    def _finish(
        self, request_id: str, *, response: bytes | None = None, error: dict[str, Any] | None = None
    ) -> bool:
        invocation = self.active.pop(request_id, None)
        if invocation is None:
            return False
        invocation.response, invocation.error = response, error
        invocation.finished = time.monotonic()
        return True

    def _send(self, connection: _Connection, data: bytes) -> None:
        try:
            connection.sock.sendall(data)
        except OSError:  # it is gone, or stuck: the invocation fails by its exit or its timeout
            self._drop(connection)

    def _drop(self, connection: _Connection) -> None:
        with contextlib.suppress(OSError):
            connection.sock.close()
        self.connections.pop(connection.sock, None)


def _trace_id(request_id: str) -> str:
    return f"Root=1-{int(time.time()):08x}-{request_id.replace('-', '')[:24]}"


def _json(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body)
    except ValueError:
        return {"errorMessage": body.decode(errors="replace")}
    return value if isinstance(value, dict) else {"errorMessage": str(value)}
