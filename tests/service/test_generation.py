from __future__ import annotations

import io
import wave
import zlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from files_api.generators import Wanted
from files_api.local_generator import LocalGenerator

from tests.conftest import free_port
from tests.service.conftest import BUCKET, TOKENS_PARAMETER, Api, cold_import
from tests.service.openai_server import IMAGES, PNG, Behaviour, OpenAIServer, Running

KEY_PARAMETER = "/files-api/test/openai-api-key"


def _query(kind: str, prompt: str) -> str:
    return urlencode({"type": kind, "prompt": prompt})


def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_local_png_is_valid_and_deterministic() -> None:
    wanted = Wanted("image", "png", "image/png", "a red fox")
    first, again = (LocalGenerator().generate(wanted).body for _ in range(2))
    other = LocalGenerator().generate(Wanted("image", "png", "image/png", "a blue fox")).body

    assert first == again != other
    assert _png_size(first) == (64, 64)
    idat = first.index(b"IDAT")
    length = int.from_bytes(first[idat - 4 : idat], "big")
    pixels = zlib.decompress(first[idat + 4 : idat + 4 + length])
    assert len(pixels) == 64 * (1 + 64 * 3)  # filter byte + RGB per row


def test_local_wav_is_valid_and_deterministic() -> None:
    wanted = Wanted("audio", "wav", "audio/wav", "a tune")
    first, again = (LocalGenerator().generate(wanted).body for _ in range(2))

    assert first == again
    with wave.open(io.BytesIO(first)) as wav:
        assert (wav.getnchannels(), wav.getframerate(), wav.getnframes()) == (1, 16000, 16000)


def test_generate_local_image_is_stored(api: Api, s3: Any) -> None:
    answer = api("PUT", "/v1/generated/files/art/fox.png", query=_query("image", "a fox"))

    assert answer.status == 201
    body = answer.json()
    assert body["generator"] == {"backend": "local", "model": "local-v1"}
    assert (body["path"], body["content_type"]) == ("art/fox.png", "image/png")
    stored = s3.get_object(Bucket=BUCKET, Key="art/fox.png")
    assert stored["ContentType"] == "image/png"
    assert _png_size(stored["Body"].read()) == (64, 64)


@pytest.mark.parametrize(
    ("key", "kind", "content_type", "starts"),
    [
        pytest.param("n.md", "text", "text/markdown; charset=utf-8", b"# Generated", id="md"),
        pytest.param("n.txt", "text", "text/plain; charset=utf-8", b"Generated", id="txt"),
        pytest.param("s.wav", "audio", "audio/wav", b"RIFF", id="wav"),
    ],
)
def test_generate_local_kinds(
    api: Api, s3: Any, key: str, kind: str, content_type: str, starts: bytes
) -> None:
    first = api("PUT", f"/v1/generated/files/{key}", query=_query(kind, "hello"))
    again = api("PUT", f"/v1/generated/files/{key}", query=_query(kind, "hello"))

    assert (first.status, again.status) == (201, 200)
    assert first.json()["sha256"] == again.json()["sha256"]
    assert first.json()["content_type"] == content_type
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read().startswith(starts)


def test_generate_honours_if_none_match(api: Api) -> None:
    query = _query("text", "x")
    api("PUT", "/v1/generated/files/a.txt", query=query)
    answer = api("PUT", "/v1/generated/files/a.txt", headers={"if-none-match": "*"}, query=query)
    assert (answer.status, answer.error) == (412, "precondition_failed")


@pytest.mark.parametrize(
    ("key", "query"),
    [
        pytest.param("a.png", "prompt=x", id="no-type"),
        pytest.param("a.png", "type=video&prompt=x", id="unknown-type"),
        pytest.param("a.txt", "type=image&prompt=x", id="image-as-txt"),
        pytest.param("a.png", "type=text&prompt=x", id="text-as-png"),
        pytest.param("a.mp3", "type=image&prompt=x", id="image-as-mp3"),
        pytest.param("noext", "type=text&prompt=x", id="no-extension"),
        pytest.param("a.txt", "type=text", id="no-prompt"),
        pytest.param("a.txt", "type=text&prompt=%20%20", id="blank-prompt"),
        pytest.param("a.txt", _query("text", "x" * 4001), id="prompt-too-long"),
        pytest.param("a.jpg", "type=image&prompt=x", id="local-has-no-jpeg"),
        pytest.param("a.mp3", "type=audio&prompt=x", id="local-has-no-mp3"),
    ],
)
def test_generate_rejects_bad_input_with_422(api: Api, s3: Any, key: str, query: str) -> None:
    answer = api("PUT", f"/v1/generated/files/{key}", query=query)

    assert (answer.status, answer.error) == (422, "invalid_parameter")
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


def test_generate_accepts_a_prompt_of_4000_characters(api: Api) -> None:
    answer = api("PUT", "/v1/generated/files/a.txt", query=_query("text", "y" * 4000))
    assert answer.status == 201


@pytest.fixture
def upstream() -> Iterator[OpenAIServer]:
    running = Running()
    try:
        yield running.state
    finally:
        running.stop()


@pytest.fixture
def openai_api(
    s3: Any, ssm: Any, upstream: OpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Api]:
    ssm.put_parameter(Name=KEY_PARAMETER, Value="sk-test", Type="SecureString", Overwrite=True)
    index = cold_import(
        monkeypatch,
        FILES_BUCKET=BUCKET,
        API_TOKENS_PARAMETER=TOKENS_PARAMETER,
        GENERATOR="openai",
        OPENAI_API_KEY_PARAMETER=KEY_PARAMETER,
        OPENAI_BASE_URL=upstream.base_url,
        OPENAI_IMAGE_MODEL="image-model",
        OPENAI_TIMEOUT_SECONDS="1",
    )
    yield Api(index)
    ssm.delete_parameter(Name=KEY_PARAMETER)


def test_openai_text_via_chat_completions(openai_api: Api, upstream: OpenAIServer, s3: Any) -> None:
    answer = openai_api("PUT", "/v1/generated/files/n.md", query=_query("text", "a poem"))

    assert answer.status == 201
    assert answer.json()["generator"] == {"backend": "openai", "model": "gpt-4o-mini"}
    assert s3.get_object(Bucket=BUCKET, Key="n.md")["Body"].read() == b"# a poem\n"
    sent = upstream.requests[-1]
    assert (sent.path, sent.authorization) == ("/v1/chat/completions", "Bearer sk-test")
    assert sent.body["model"] == "gpt-4o-mini"


@pytest.mark.parametrize("as_url", [False, True], ids=["b64", "url"])
def test_openai_image_base64_or_url(
    openai_api: Api, upstream: OpenAIServer, s3: Any, as_url: bool
) -> None:
    upstream.behaviour = Behaviour(image_as_url=as_url)

    answer = openai_api("PUT", "/v1/generated/files/i.png", query=_query("image", "a fox"))

    assert answer.status == 201
    assert answer.json()["generator"]["model"] == "image-model"
    assert s3.get_object(Bucket=BUCKET, Key="i.png")["Body"].read() == PNG
    assert upstream.requests[-1].body["prompt"] == "a fox"
    assert "output_format" not in upstream.requests[-1].body


def test_openai_image_asks_for_the_extension_format(
    openai_api: Api, upstream: OpenAIServer, s3: Any
) -> None:
    answer = openai_api("PUT", "/v1/generated/files/i.jpg", query=_query("image", "a fox"))

    assert (answer.status, answer.json()["content_type"]) == (201, "image/jpeg")
    assert upstream.requests[-1].body["output_format"] == "jpeg"
    assert s3.get_object(Bucket=BUCKET, Key="i.jpg")["Body"].read() == IMAGES["jpeg"]


@pytest.mark.parametrize("fmt", ["mp3", "wav", "opus", "aac", "flac"])
def test_openai_speech(openai_api: Api, upstream: OpenAIServer, fmt: str) -> None:
    answer = openai_api("PUT", f"/v1/generated/files/s.{fmt}", query=_query("audio", "hello"))

    assert answer.status == 201
    sent = upstream.requests[-1]
    assert (sent.path, sent.body["response_format"], sent.body["input"]) == (
        "/v1/audio/speech",
        fmt,
        "hello",
    )
    assert answer.json()["generator"]["model"] == "gpt-4o-mini-tts"


@pytest.mark.parametrize(
    ("behaviour", "status", "retry_after"),
    [
        pytest.param(Behaviour(status=429, retry_after="7"), 503, "7", id="rate-limited"),
        pytest.param(Behaviour(status=500), 502, None, id="server-error"),
        pytest.param(Behaviour(status=503, retry_after="3"), 502, "3", id="unavailable"),
        pytest.param(Behaviour(delay=1.5), 503, None, id="timeout"),
        pytest.param(Behaviour(wrong_bytes=True), 502, None, id="wrong-bytes"),
    ],
)
def test_openai_failures_store_nothing(
    openai_api: Api,
    upstream: OpenAIServer,
    s3: Any,
    behaviour: Behaviour,
    status: int,
    retry_after: str | None,
) -> None:
    upstream.behaviour = behaviour

    answer = openai_api("PUT", "/v1/generated/files/i.png", query=_query("image", "x"))

    assert answer.status == status
    assert answer.error in ("upstream_error", "unavailable")
    assert answer.headers.get("retry-after") == retry_after
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


def test_openai_unreachable_is_502(s3: Any, ssm: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    index = cold_import(
        monkeypatch,
        FILES_BUCKET=BUCKET,
        API_TOKENS_PARAMETER=TOKENS_PARAMETER,
        GENERATOR="openai",
        OPENAI_API_KEY="sk-test",
        OPENAI_BASE_URL=f"http://127.0.0.1:{free_port()}/v1",  # nothing listens there
    )

    answer = Api(index)("PUT", "/v1/generated/files/a.txt", query=_query("text", "x"))

    assert (answer.status, answer.error) == (502, "upstream_error")
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


def test_missing_openai_key_is_503_and_files_keep_working(
    openai_api: Api, ssm: Any, s3: Any
) -> None:
    ssm.put_parameter(Name=KEY_PARAMETER, Value="unset", Type="SecureString", Overwrite=True)
    openai_api.index.app.state.secrets.clear()

    answer = openai_api("PUT", "/v1/generated/files/a.txt", query=_query("text", "x"))

    assert (answer.status, answer.error) == (503, "unavailable")
    assert KEY_PARAMETER in answer.json()["error"]["message"]
    assert "OPENAI_API_KEY_PARAMETER" in answer.json()["error"]["message"]
    assert openai_api("PUT", "/v1/files/a.txt", b"x").status == 201
