"""The local API gateway: HTTP on 127.0.0.1, turned into payload 2.0 events for the function.

Run as `python -m localcloud.gateway ...`; `invoke local.up` and `invoke deploy` start it.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3

from localcloud import aws, events, functions, pythons
from localcloud.pool import Pool
from localcloud.sandbox import InvocationFailed, Sandbox

# Lambda's synchronous invocation payload limit, request and response alike.
MAX_PAYLOAD = 6 * 1024 * 1024
DEFAULT_CONCURRENCY = 10
MESSAGES = {
    413: "Request Entity Too Large",
    429: "Too Many Requests",
    502: "Internal Server Error",
    503: "Service Unavailable",
}
UV_ARCH = {"x86_64": "x86_64", "arm64": "aarch64"}


def _read_body(handler: BaseHTTPRequestHandler) -> bytes:
    if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
        chunks = []
        while size := int(handler.rfile.readline().split(b";")[0].strip() or b"0", 16):
            chunks.append(handler.rfile.read(size))
            handler.rfile.readline()
        handler.rfile.readline()
        return b"".join(chunks)
    return handler.rfile.read(int(handler.headers.get("Content-Length") or 0))


def make_handler(api_id: str, pool: Pool) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def _send(
            self, status: int, headers: list[tuple[str, str]], body: bytes, request_id: str
        ) -> None:
            self.send_response(status)
            for name, value in headers:
                if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Apigw-Requestid", request_id)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _gateway_error(self, status: int, request_id: str) -> None:
            body = json.dumps({"message": MESSAGES[status]}).encode()
            self._send(status, [("Content-Type", "application/json")], body, request_id)

        def handle_any(self) -> None:
            body = _read_body(self)
            request = events.Request(
                self.command,
                self.path,
                list(self.headers.items()),
                body,
                source_ip=self.client_address[0],
            )
            if len(body) > MAX_PAYLOAD:
                self._gateway_error(413, request.request_id)
                return
            event = events.http_api_event(request, api_id, self.headers.get("Host", "127.0.0.1"))
            sandbox = pool.acquire()
            if sandbox is None:
                self._gateway_error(429, request.request_id)
                return
            healthy = False
            try:
                result = sandbox.invoke(event, request.request_id)
                healthy = True
            except InvocationFailed as failure:
                self.log_message("%s %s", request.request_id, failure)
                self._gateway_error(failure.status, request.request_id)
                return
            finally:
                pool.release(sandbox, healthy=healthy)
            self._send(*events.http_response(result), request.request_id)

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = handle_any

    return Handler


def serve(args: argparse.Namespace) -> None:
    root = Path(args.root)
    session = boto3.Session(region_name=args.region)
    lam = session.client("lambda", endpoint_url=args.endpoint)
    apigw = session.client("apigatewayv2", endpoint_url=args.endpoint)
    manifest = json.loads((root / "build" / "manifest.json").read_text())
    spec = functions.load(lam, apigw, args.api_id, manifest, root)
    python = pythons.find_python(spec.python_version)
    platform = f"{UV_ARCH[spec.architecture]}-manylinux_2_34"
    site = pythons.runtime_packages(
        root, spec.python_version, platform, Path(args.state_dir) / "runtime"
    )
    aws_env = {k: v for k, v in aws.client_environment(args.endpoint, args.region).items() if v}
    layout = Path(args.state_dir) / "code"

    def new_sandbox() -> Sandbox:
        return Sandbox(spec, python, site, layout, aws_env)

    pool = Pool(new_sandbox, spec.reserved_concurrency or DEFAULT_CONCURRENCY)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(args.api_id, pool))
    server.daemon_threads = True

    def shut_down(*_: Any) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, shut_down)
    print(
        f"serving {spec.name} ({spec.runtime}, {python}) on http://127.0.0.1:{args.port}",
        flush=True,
    )
    try:
        server.serve_forever()
    finally:
        pool.close()
        server.server_close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", required=True, help="project root (holds build/manifest.json)")
    parser.add_argument("--api-id", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--endpoint", required=True, help="the local AWS endpoint")
    parser.add_argument("--region", required=True)
    parser.add_argument("--state-dir", required=True)
    try:
        serve(parser.parse_args(argv))
    except (functions.DeploymentMismatch, pythons.RuntimeUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        raise SystemExit(2) from exc


if __name__ == "__main__":
    main()
