"""A real OpenAI-compatible HTTP server on 127.0.0.1, for the `openai` generator's tests.

It answers the three endpoints the generator uses, records what it was sent,
and can be told to fail the way upstreams do (429, 5xx, slow, wrong bytes).
"""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from files_api.generators import Wanted
from files_api.local_generator import LocalGenerator

PNG = LocalGenerator().generate(Wanted("image", "png", "image/png", "server")).body
AUDIO = {
    "mp3": b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 32,
    "wav": LocalGenerator().generate(Wanted("audio", "wav", "audio/wav", "server")).body,
    "flac": b"fLaC" + b"\x00" * 32,
    "opus": b"OggS" + b"\x00" * 32,
    "aac": b"\xff\xf1" + b"\x00" * 32,
}
IMAGES = {"png": PNG, "jpeg": b"\xff\xd8\xff\xe0" + b"\x00" * 32, "webp": b"RIFF\0\0\0\0WEBPVP8 "}


@dataclass
class Behaviour:
    """How the next requests are answered."""

    status: int = 200
    retry_after: str | None = None
    delay: float = 0.0
    image_as_url: bool = False
    wrong_bytes: bool = False


@dataclass
class Recorded:
    path: str
    authorization: str
    body: dict[str, Any]


@dataclass
class OpenAIServer:
    behaviour: Behaviour = field(default_factory=Behaviour)
    requests: list[Recorded] = field(default_factory=list)
    port: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"


def _answer(server: OpenAIServer, path: str, body: dict[str, Any]) -> tuple[str, bytes]:
    behaviour = server.behaviour
    if path == "/v1/chat/completions":
        text = "wrong" if behaviour.wrong_bytes else f"# {body['messages'][-1]['content']}\n"
        message = {"role": "assistant", "content": text}
        completion = {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 0,
            "model": body["model"],
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        }
        return "application/json", json.dumps(completion).encode()
    if path == "/v1/images/generations":
        image = IMAGES[body.get("output_format", "png")]
        if behaviour.wrong_bytes:
            image = b"not an image"
        item = (
            {"url": f"http://127.0.0.1:{server.port}/files/image"}
            if behaviour.image_as_url
            else {"b64_json": base64.b64encode(image).decode()}
        )
        return "application/json", json.dumps({"created": 0, "data": [item]}).encode()
    # /v1/audio/speech
    audio = b"\x00\x01" if behaviour.wrong_bytes else AUDIO[body["response_format"]]
    return "application/octet-stream", audio


def _handler(server: OpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, status: int, content_type: str, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            if server.behaviour.retry_after:
                self.send_header("Retry-After", server.behaviour.retry_after)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # the image URL of a URL answer
            self._send(200, "image/png", PNG)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            server.requests.append(Recorded(self.path, self.headers.get("Authorization", ""), body))
            time.sleep(server.behaviour.delay)
            if server.behaviour.status != 200:
                error = {"error": {"message": "upstream says no", "type": "server_error"}}
                self._send(server.behaviour.status, "application/json", json.dumps(error).encode())
                return
            self._send(200, *_answer(server, self.path, body))

    return Handler


class Running:
    """Start the server on a free port; `stop()` shuts it down and joins its thread."""

    def __init__(self) -> None:
        self.state = OpenAIServer()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        self.state.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)
