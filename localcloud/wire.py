"""HTTP/1.1 on the wire, as little of it as the local cloud needs: requests with a Content-Length
body split out of a connection's bytes (the Runtime API's), and responses made whole, to go out
in one send (the Runtime API's and the gateway's)."""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus

CHUNK = 1 << 20  # a 6 MB payload in a few reads
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
MAX_HEAD = 64 * 1024


class BadRequest(Exception):
    """The bytes are not an HTTP/1.1 request this module can read."""


@dataclass
class Request:
    """One request; `expects_continue` marks its head alone, sent before a body that awaits a
    100 Continue."""

    method: str
    target: str
    headers: dict[str, str]  # names lowercased
    body: bytes
    expects_continue: bool = False


class RequestReader:
    """Splits the bytes arriving on one connection into requests."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.continued = False  # the 100 Continue for the request at hand is asked for

    def feed(self, chunk: bytes) -> list[Request]:
        """The requests `chunk` completes; raises `BadRequest`."""
        self.buffer += chunk
        requests = []
        while (request := self._take()) is not None:
            requests.append(request)
        return requests

    def _take(self) -> Request | None:
        end = self.buffer.find(b"\r\n\r\n", 0, MAX_HEAD)
        if end < 0:
            if len(self.buffer) >= MAX_HEAD:
                raise BadRequest("request head too large")
            return None
        method, target, headers = _head(bytes(self.buffer[:end]))
        length = _content_length(headers)
        if len(self.buffer) < end + 4 + length:
            if self.continued or headers.get("expect", "").lower() != "100-continue":
                return None
            self.continued = True
            return Request(method, target, headers, b"", expects_continue=True)
        body = bytes(self.buffer[end + 4 : end + 4 + length])
        del self.buffer[: end + 4 + length]
        self.continued = False
        return Request(method, target, headers, body)


def _head(head: bytes) -> tuple[str, str, dict[str, str]]:
    request_line, *lines = head.decode("latin-1").split("\r\n")
    try:
        method, target, _version = request_line.split(" ")
    except ValueError:
        raise BadRequest(f"bad request line {request_line!r}") from None
    headers = {}
    for line in lines:
        name, colon, value = line.partition(":")
        if not colon:
            raise BadRequest(f"bad header line {line!r}")
        headers[name.strip().lower()] = value.strip()
    return method, target, headers


def _content_length(headers: dict[str, str]) -> int:
    if "chunked" in headers.get("transfer-encoding", "").lower():
        raise BadRequest("chunked bodies are not supported")
    try:
        length = int(headers.get("content-length") or 0)
    except ValueError:
        raise BadRequest("bad Content-Length") from None
    if length < 0:
        raise BadRequest("bad Content-Length")
    return length


def response(status: int, headers: list[tuple[str, str]], body: bytes) -> bytes:
    """A whole response, its Content-Length exact."""
    lines = [f"HTTP/1.1 {status} {_phrase(status)}"]
    lines += [f"{name}: {value}" for name, value in headers]
    lines.append(f"Content-Length: {len(body)}\r\n\r\n")
    return "\r\n".join(lines).encode("latin-1") + body


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:  # a status a function made up: valid, with no reason phrase
        return ""
