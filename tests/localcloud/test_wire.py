"""Requests split out of a connection's bytes, as the gateway and the Runtime API read them."""

from __future__ import annotations

import pytest

from localcloud import wire


def _reader(max_body: int = 1024) -> wire.RequestReader:
    return wire.RequestReader(max_body)


def test_a_body_split_across_reads_is_one_request() -> None:
    reader = _reader()

    first = reader.feed(b"PUT /a?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhel")
    [request] = reader.feed(b"lo")

    assert first == []
    assert (request.method, request.target, request.body) == ("PUT", "/a?x=1", b"hello")
    assert request.header("host") == "h"
    assert request.keep_alive


def test_pipelined_requests_come_out_in_order() -> None:
    data = (
        b"GET /1 HTTP/1.1\r\n\r\n"
        b"POST /2 HTTP/1.1\r\nContent-Length: 2\r\n\r\nok"
        b"GET /3 HTTP/1.1\r\n"  # not complete yet
    )

    requests = _reader().feed(data)

    assert [(r.method, r.target, r.body) for r in requests] == [
        ("GET", "/1", b""),
        ("POST", "/2", b"ok"),
    ]


def test_a_chunked_body_is_joined() -> None:
    data = (
        b"PUT /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"3\r\nabc\r\n4;ext=1\r\ndefg\r\n0\r\n\r\n"
    )

    [request] = _reader().feed(data)

    assert request.body == b"abcdefg"


def test_repeated_headers_are_all_kept() -> None:
    data = b"GET / HTTP/1.1\r\nCookie: a=1\r\nX-Tag: x\r\nCookie: b=2\r\n\r\n"

    [request] = _reader().feed(data)

    assert request.headers == [("Cookie", "a=1"), ("X-Tag", "x"), ("Cookie", "b=2")]
    assert request.header("COOKIE") == "a=1"


def test_expect_continue_gives_the_head_first_then_the_request() -> None:
    reader = _reader()

    [head] = reader.feed(b"PUT /e HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n")
    [request] = reader.feed(b"abc")

    assert head.expects_continue and head.body == b""
    assert not request.expects_continue and request.body == b"abc"


@pytest.mark.parametrize(
    "head",
    [b"GET / HTTP/1.0\r\n\r\n", b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n"],
)
def test_connections_close_when_the_client_says_so(head: bytes) -> None:
    [request] = _reader().feed(head)

    assert not request.keep_alive


def test_a_declared_body_over_the_limit_is_refused_before_it_is_read() -> None:
    with pytest.raises(wire.TooLarge) as refused:
        _reader(max_body=10).feed(b"PUT / HTTP/1.1\r\nContent-Length: 11\r\n\r\n")

    assert refused.value.status == 413


def test_a_chunked_body_over_the_limit_is_refused() -> None:
    chunks = b"6\r\nabcdef\r\n" * 2
    with pytest.raises(wire.TooLarge):
        _reader(max_body=10).feed(b"PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks)


@pytest.mark.parametrize(
    "data",
    [b"NOT HTTP AT ALL\r\n\r\n", b"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n"],
)
def test_malformed_requests_are_bad_requests(data: bytes) -> None:
    with pytest.raises(wire.BadRequest) as refused:
        _reader().feed(data)

    assert refused.value.status == 400
    assert not isinstance(refused.value, wire.TooLarge)


def test_a_response_is_whole_with_an_exact_length() -> None:
    data = wire.response(299, [("X-A", "1")], "é".encode())

    assert data == b"HTTP/1.1 299 \r\nX-A: 1\r\nContent-Length: 2\r\n\r\n\xc3\xa9"
