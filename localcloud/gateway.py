"""The local API gateway: HTTP on 127.0.0.1, routed as the deployed HTTP API routes it, turned
into payload 2.0 events for the functions behind it, and their answers back into HTTP.

Run as `python -m localcloud.gateway ...`; `invoke local.up` and `invoke deploy` start it.
"""

from __future__ import annotations

import argparse
import email.utils
import functools
import json
import os
import signal
import socket
import socketserver
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3

from localcloud import access_log, events, functions, invoker, logs, pythons, routes, wire
from localcloud.invoker import LocalFunction
from localcloud.pool import Throttled
from localcloud.sandbox import MAX_PAYLOAD, InvocationFailed

# Lambda's default account concurrency is 1,000; one process each is too many for a laptop.
DEFAULT_CONCURRENCY = 10
DEFAULT_IDLE_SECONDS = 300.0
# HTTP APIs take requests up to 10 MB (Lambda then refuses events over 6 MB).
MAX_REQUEST = 10 * 1024 * 1024
MESSAGES = {
    400: "Bad Request",
    404: "Not Found",
    413: "Request Entity Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Internal Server Error",
    503: "Service Unavailable",
}


def _gateway_error(status: int) -> tuple[int, list[tuple[str, str]], bytes]:
    body = json.dumps({"message": MESSAGES[status]}, separators=(",", ":")).encode()
    return status, [("Content-Type", "application/json")], body


class Gateway:
    """The deployed HTTP API: routes each request to its function, as a payload 2.0 event."""

    def __init__(
        self,
        api_id: str,
        table: list[routes.Route],
        targets: dict[str, LocalFunction],
        access: access_log.AccessLog | None = None,
    ) -> None:
        self.api_id = api_id
        self.table = table
        self.targets = targets
        self.access_log = access

    def handle(self, received: wire.Request, source_ip: str, send: Callable[[bytes], None]) -> None:
        """Answer `received` through `send`: once, in one piece; then write its access log line."""
        request = events.Request(
            received.method, received.target, received.headers, received.body, source_ip
        )
        outcome = access_log.Outcome(began=time.monotonic())

        def answer(status: int, headers: list[tuple[str, str]], body: bytes) -> None:
            outcome.status, outcome.response_length = status, len(body)
            kept = [
                (name, value)
                for name, value in headers
                if name.lower() not in ("content-length", "connection", "transfer-encoding")
            ]
            kept = [("Date", _http_date()), *kept, ("Apigw-Requestid", request.request_id)]
            if received.method != "HEAD":
                send(wire.response(status, kept, body))
                return
            # A HEAD's answer is GET's head: the function's own Content-Length when it sent no
            # body (as a files service does), else its body's.
            length = next((v for k, v in headers if k.lower() == "content-length"), "")
            declared = int(length) if not body and length.isdigit() else len(body)
            send(wire.response(status, kept, b"", length=declared))

        host = received.header("Host", "127.0.0.1")
        try:
            self._route(request, host, answer, outcome)
        finally:
            if self.access_log is not None and outcome.status:
                user_agent = received.header("User-Agent", "-")
                self.access_log.write(request, host, user_agent, outcome)

    def _route(
        self,
        request: events.Request,
        host: str,
        answer: Callable[[int, list[tuple[str, str]], bytes], None],
        outcome: access_log.Outcome,
    ) -> None:
        def fail(status: int) -> None:
            outcome.error = MESSAGES[status]
            answer(*_gateway_error(status))

        found = routes.find(self.table, request.method, request.path)
        if found is None:
            fail(404)
            return
        route, params = found
        outcome.route_key = route.key
        event = events.http_api_event(
            request, self.api_id, host, route_key=route.key, path_parameters=params
        )
        payload = json.dumps(event).encode()
        if len(payload) > MAX_PAYLOAD:
            fail(413)
            return
        responded = False
        invoked = time.monotonic()

        def respond(result: bytes) -> None:
            nonlocal responded
            responded = True
            outcome.integration_ms = (time.monotonic() - invoked) * 1000
            try:
                answered = events.http_response(json.loads(result))
            except ValueError:
                answered = events.INTERNAL_ERROR
            if answered is events.INTERNAL_ERROR:  # not a response API Gateway can make sense of
                fail(500)
            else:
                answer(*answered)

        try:
            self.targets[route.function_arn].invoke(payload, request.request_id, respond)
        except Throttled:
            fail(429)
        except InvocationFailed as failure:
            outcome.integration_ms = (time.monotonic() - invoked) * 1000
            print(f"gateway: {request.request_id}: {failure}", file=sys.stderr, flush=True)
            fail(failure.status)
        except Exception:
            if responded:  # the client went away while being answered: nobody to tell
                raise
            traceback.print_exc()  # a bug of ours: answer as AWS would, and show it
            fail(500)


@functools.lru_cache(maxsize=1)
def _date_of(second: int) -> str:
    return email.utils.formatdate(second, usegmt=True)


def _http_date() -> str:
    return _date_of(int(time.time()))


class _Connection(socketserver.BaseRequestHandler):
    """One client connection: its requests answered in turn while it keeps it alive."""

    request: socket.socket
    server: _Server

    def handle(self) -> None:
        sock = self.request
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        reader = wire.RequestReader(MAX_REQUEST)
        while chunk := _receive(sock):
            try:
                requests = reader.feed(chunk)
            except wire.BadRequest as bad:
                _refuse(sock, bad.status)
                return
            for request in requests:
                if request.expects_continue:
                    if (request.content_length or 0) > MAX_PAYLOAD:
                        # Its event could only be larger: refused before the body is sent.
                        _refuse(sock, 413)
                        return
                    sock.sendall(wire.CONTINUE)
                    continue
                self.server.gateway.handle(request, self.client_address[0], sock.sendall)
                if not request.keep_alive:
                    return


def _refuse(sock: socket.socket, status: int) -> None:
    """Answer with the gateway's own error and close: the rest of what was sent goes unread."""
    status, headers, body = _gateway_error(status)
    sock.sendall(wire.response(status, [*headers, ("Connection", "close")], body))


def _receive(sock: socket.socket) -> bytes:
    try:
        return sock.recv(wire.CHUNK)
    except OSError:  # reset by the client
        return b""


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port: int, gateway: Gateway) -> None:
        self.gateway = gateway
        super().__init__(("127.0.0.1", port), _Connection)


def serve(args: argparse.Namespace) -> None:
    root = Path(args.root)
    session = boto3.Session(region_name=args.region)
    lam = session.client("lambda", endpoint_url=args.endpoint)
    apigw = session.client("apigatewayv2", endpoint_url=args.endpoint)
    table = routes.load(apigw, args.api_id)
    manifest = Path(args.manifest) if args.manifest else root / "build" / "manifest.json"
    artifacts = functions.Artifacts.from_manifest(manifest, root)
    targets = {}
    for arn in sorted({route.function_arn for route in table}):
        targets[arn] = invoker.open_function(
            functions.load(lam, arn, artifacts),
            root=root,
            state_dir=Path(args.state_dir),
            endpoint=args.endpoint,
            region=args.region,
            concurrency=args.concurrency,
            idle_seconds=args.idle_seconds,
        )
    access = None
    if (settings := access_log.settings(apigw, args.api_id)) is not None:
        cloudwatch = session.client("logs", endpoint_url=args.endpoint)
        sink = logs.LogSink(cloudwatch, settings.group)
        access = access_log.AccessLog(settings, sink, args.api_id)
    server = _Server(args.port, Gateway(args.api_id, table, targets, access))

    def shut_down(*_: Any) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, shut_down)
    for target in targets.values():
        spec = target.spec
        print(
            f"function {spec.name}: {spec.runtime} {spec.architecture}, {spec.memory_size} MB, "
            f"timeout {spec.timeout} s",
            flush=True,
        )
    for route in table:
        print(f"route {route.key} -> {route.function_arn.rsplit(':', 1)[-1]}", flush=True)
    print(f"serving API {args.api_id} on http://127.0.0.1:{args.port}", flush=True)
    try:
        server.serve_forever()
    finally:
        for target in targets.values():
            target.close()
            target.sink.close()
        if access is not None:
            access.sink.close()
        server.server_close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", required=True, help="project root (holds uv.lock and build/)")
    parser.add_argument("--api-id", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--endpoint", required=True, help="the local AWS endpoint")
    parser.add_argument("--region", required=True)
    parser.add_argument("--state-dir", required=True)
    parser.add_argument(
        "--manifest", help="the build manifest listing the artifacts (default: build/manifest.json)"
    )
    parser.add_argument(
        "--idle-seconds",
        type=float,
        default=float(os.environ.get("FILES_API_IDLE_SECONDS", DEFAULT_IDLE_SECONDS)),
        help="shut an environment down after this long unused ($FILES_API_IDLE_SECONDS)",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=int(os.environ.get("FILES_API_CONCURRENCY", DEFAULT_CONCURRENCY)),
        help="environments per function without reserved concurrency ($FILES_API_CONCURRENCY)",
    )
    try:
        serve(parser.parse_args(argv))
    except (functions.DeploymentMismatch, pythons.RuntimeUnavailable, routes.NoRoutes) as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        raise SystemExit(2) from exc


if __name__ == "__main__":
    main()
