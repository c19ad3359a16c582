"""The local API gateway: HTTP on 127.0.0.1, routed as the deployed HTTP API routes it, turned
into payload 2.0 events for the functions behind it, and their answers back into HTTP.

Run as `python -m localcloud.gateway ...`; `invoke local.up` and `invoke deploy` start it.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3

from localcloud import events, functions, invoker, pythons, routes, wire
from localcloud.invoker import LocalFunction
from localcloud.pool import Throttled
from localcloud.sandbox import MAX_PAYLOAD, InvocationFailed

# Lambda's default account concurrency is 1,000; one process each is too many for a laptop.
DEFAULT_CONCURRENCY = 10
DEFAULT_IDLE_SECONDS = 300.0
MESSAGES = {
    404: "Not Found",
    413: "Request Entity Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Internal Server Error",
    503: "Service Unavailable",
}


def _read_body(handler: BaseHTTPRequestHandler) -> bytes:
    if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
        chunks = []
        while size := int(handler.rfile.readline().split(b";")[0].strip() or b"0", 16):
            chunks.append(handler.rfile.read(size))
            handler.rfile.readline()
        handler.rfile.readline()
        return b"".join(chunks)
    return handler.rfile.read(int(handler.headers.get("Content-Length") or 0))


def make_handler(
    api_id: str, table: list[routes.Route], targets: dict[str, LocalFunction]
) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the functions' logs are the console; an access line each would drown them

        def _send(
            self, status: int, headers: list[tuple[str, str]], body: bytes, request_id: str
        ) -> None:
            kept = [
                (name, value)
                for name, value in headers
                if name.lower() not in ("content-length", "connection", "transfer-encoding")
            ]
            kept = [("Date", self.date_time_string()), *kept, ("Apigw-Requestid", request_id)]
            data = wire.response(status, kept, body)
            # One send: each is a round of the loopback's wake-ups (~0.1 ms on a busy machine).
            self.wfile.write(data[: len(data) - len(body)] if self.command == "HEAD" else data)

        def _gateway_error(self, status: int, request_id: str) -> None:
            body = json.dumps({"message": MESSAGES[status]}, separators=(",", ":")).encode()
            self._send(status, [("Content-Type", "application/json")], body, request_id)

        def handle_any(self) -> None:
            request = events.Request(
                self.command,
                self.path,
                list(self.headers.items()),
                _read_body(self),
                source_ip=self.client_address[0],
            )
            found = routes.find(table, self.command, request.path)
            if found is None:
                self._gateway_error(404, request.request_id)
                return
            route, params = found
            host = self.headers.get("Host", "127.0.0.1")
            event = events.http_api_event(
                request, api_id, host, route_key=route.key, path_parameters=params
            )
            payload = json.dumps(event).encode()
            if len(payload) > MAX_PAYLOAD:
                self._gateway_error(413, request.request_id)
                return
            try:
                answer = targets[route.function_arn].invoke(payload, request.request_id)
            except Throttled:
                self._gateway_error(429, request.request_id)
                return
            except InvocationFailed as failure:
                print(f"gateway: {request.request_id}: {failure}", file=sys.stderr, flush=True)
                self._gateway_error(failure.status, request.request_id)
                return
            except Exception:  # a bug of ours: answer as AWS would, and show it
                traceback.print_exc()
                self._gateway_error(500, request.request_id)
                return
            try:
                result = json.loads(answer)
            except ValueError:
                self._send(*events.INTERNAL_ERROR, request.request_id)
                return
            self._send(*events.http_response(result), request.request_id)

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = handle_any

    return Handler


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
    server = ThreadingHTTPServer(
        ("127.0.0.1", args.port), make_handler(args.api_id, table, targets)
    )
    server.daemon_threads = True

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
