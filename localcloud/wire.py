"""HTTP/1.1 on the wire for the local cloud's two servers (the gateway's and the Runtime API's):
requests split out of a connection's bytes by httptools (llhttp, as uvicorn uses), and responses
made whole, to go out in one send: each send is a round of wake-ups on the loopback."""

from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus

import httptools

CHUNK = 1 << 20  # a 6 MB payload in a few reads
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


class BadRequest(Exception):
    """The bytes are not an HTTP/1.1 request; `status` is the answer before closing."""

    status = 400


class TooLarge(BadRequest):
    """The request's body is over the reader's limit."""

    status = 413


@dataclass
class Request:
    """One request. `expects_continue` marks its head alone, when the client awaits a
    100 Continue before it sends the body; `keep_alive` whether the connection stays open."""

    method: str
    target: str
    headers: list[tuple[str, str]]  # as sent, repeats kept
    body: bytes = b""
    keep_alive: bool = True
    expects_continue: bool = False

    def header(self, name: str, default: str = "") -> str:
        """The first value of header `name` (any case)."""
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), default)

    @property
    def content_length(self) -> int | None:
        return _content_length(self.headers)


@dataclass
class _Parsing:
    target: bytearray = field(default_factory=bytearray)
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: list[bytes] = field(default_factory=list)
    size: int = 0


class RequestReader:
    """Splits the bytes arriving on one connection into requests, bodies up to `max_body`
    bytes (Content-Length or chunked)."""

    def __init__(self, max_body: int) -> None:
        self.max_body = max_body
        self.parser = httptools.HttpRequestParser(self)
        self.current = _Parsing()
        self.done: list[Request] = []

    def feed(self, chunk: bytes) -> list[Request]:
        """The requests `chunk` completes; raises `BadRequest`."""
        try:
            self.parser.feed_data(chunk)
        except httptools.HttpParserCallbackError as exc:
            raise (exc.__context__ if isinstance(exc.__context__, BadRequest) else exc) from None
        except httptools.HttpParserUpgrade:
            raise BadRequest("protocol upgrades are not supported") from None
        except httptools.HttpParserError as exc:
            raise BadRequest(f"malformed request: {exc}") from None
        done, self.done = self.done, []
        return done

    # httptools' callbacks

    def on_message_begin(self) -> None:
        self.current = _Parsing()

    def on_url(self, url: bytes) -> None:
        self.current.target += url

    def on_header(self, name: bytes, value: bytes) -> None:
        self.current.headers.append((name.decode("latin-1"), value.decode("latin-1")))

    def on_headers_complete(self) -> None:
        length = _content_length(self.current.headers)
        if length is not None and length > self.max_body:
            raise TooLarge(f"body of {length} bytes, over the limit of {self.max_body}")
        expect = next((v for k, v in self.current.headers if k.lower() == "expect"), "")
        if expect.lower() == "100-continue":
            self.done.append(self._request(expects_continue=True))

    def on_body(self, body: bytes) -> None:
        self.current.size += len(body)
        if self.current.size > self.max_body:
            raise TooLarge(f"body over the limit of {self.max_body} bytes")
        self.current.body.append(body)

    def on_message_complete(self) -> None:
        self.done.append(self._request())

    def _request(self, expects_continue: bool = False) -> Request:
        parsing = self.current
        return Request(
            self.parser.get_method().decode("ascii"),
            parsing.target.decode("latin-1"),
            parsing.headers,
            b"" if expects_continue else b"".join(parsing.body),
            keep_alive=self.parser.should_keep_alive(),
            expects_continue=expects_continue,
        )


def _content_length(headers: list[tuple[str, str]]) -> int | None:
    value = next((v for k, v in headers if k.lower() == "content-length"), None)
    return int(value) if value is not None and value.isdigit() else None


def response(
    status: int, headers: list[tuple[str, str]], body: bytes, length: int | None = None
) -> bytes:
    """A whole response, its Content-Length exact (or `length`, for the head of a HEAD)."""
    lines = [f"HTTP/1.1 {status} {_phrase(status)}"]
    lines += [f"{name}: {value}" for name, value in headers]
    lines.append(f"Content-Length: {len(body) if length is None else length}\r\n\r\n")
    return "\r\n".join(lines).encode("latin-1") + body


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:  # a status a function made up: valid, with no reason phrase
        return ""
