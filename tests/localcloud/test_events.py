from __future__ import annotations

import base64

from localcloud import events


def _request(
    target: str,
    body: bytes = b"",
    headers: list[tuple[str, str]] | None = None,
    method: str = "PUT",
) -> events.Request:
    return events.Request(method, target, headers or [], body, request_id="id-1")


def test_http_api_event_decodes_path_and_joins_repeated_headers() -> None:
    request = _request(
        "/v1/files/a%20b/%C3%A9.txt?x=1&x=2&y=",
        headers=[
            ("Host", "127.0.0.1:3000"),
            ("X-Tag", "a"),
            ("X-Tag", "b"),
            ("Cookie", "c=1; d=2"),
        ],
    )

    event = events.http_api_event(request, "api1", "127.0.0.1:3000", now=0)

    assert event["rawPath"] == "/v1/files/a b/é.txt"
    assert event["requestContext"]["http"]["path"] == "/v1/files/a b/é.txt"
    assert event["rawQueryString"] == "x=1&x=2&y="
    assert event["queryStringParameters"] == {"x": "1,2", "y": ""}
    assert event["headers"] == {
        "host": "127.0.0.1:3000",
        "x-tag": "a,b",
        "x-forwarded-for": "127.0.0.1",
        "x-forwarded-proto": "http",
        "x-forwarded-port": "3000",
    }
    assert event["cookies"] == ["c=1", "d=2"]
    assert event["requestContext"]["requestId"] == "id-1"
    assert "body" not in event


def test_http_api_event_base64_for_binary_text_for_json() -> None:
    binary = events.http_api_event(_request("/f", bytes(range(256))), "api", "h", now=0)
    text = events.http_api_event(
        _request("/f", b'{"a": "\xc3\xa9"}', [("Content-Type", "application/json")]),
        "api",
        "h",
        now=0,
    )

    assert binary["isBase64Encoded"] is True
    assert base64.b64decode(binary["body"]) == bytes(range(256))
    assert text["isBase64Encoded"] is False
    assert text["body"] == '{"a": "é"}'


def test_http_response_round_trips_binary_and_cookies() -> None:
    result = {
        "statusCode": 201,
        "headers": {"content-type": "image/png"},
        "cookies": ["a=1"],
        "body": base64.b64encode(b"\x00\xff").decode(),
        "isBase64Encoded": True,
    }

    assert events.http_response(result) == (
        201,
        [("content-type", "image/png"), ("set-cookie", "a=1")],
        b"\x00\xff",
    )


def test_http_response_infers_200_json_and_rejects_malformed() -> None:
    assert events.http_response({"ok": True}) == (
        200,
        [("content-type", "application/json")],
        b'{"ok": true}',
    )
    assert events.http_response("hi") == (200, [("content-type", "application/json")], b"hi")
    assert events.http_response({"statusCode": "teapot"}) == events.INTERNAL_ERROR
    assert events.http_response({"statusCode": 99}) == events.INTERNAL_ERROR


def test_http_api_event_carries_route_key_and_path_parameters() -> None:
    event = events.http_api_event(
        _request("/v1/files/a%2Fb/c"),
        "api",
        "h",
        now=0,
        route_key="PUT /v1/files/{path+}",
        path_parameters={"path": "a/b/c"},
    )

    assert event["routeKey"] == "PUT /v1/files/{path+}"
    assert event["requestContext"]["routeKey"] == "PUT /v1/files/{path+}"
    assert event["pathParameters"] == {"path": "a/b/c"}
    assert event["requestContext"]["stage"] == "$default"


def test_http_response_rejects_non_string_body_and_bad_base64() -> None:
    assert events.http_response({"statusCode": 200, "body": {"a": 1}}) == events.INTERNAL_ERROR
    assert events.http_response({"statusCode": 200, "headers": ["x"]}) == events.INTERNAL_ERROR
    assert (
        events.http_response({"statusCode": 200, "body": "not base64!", "isBase64Encoded": True})
        == events.INTERNAL_ERROR
    )
