"""The `openai` generator: any OpenAI-compatible server, through the official SDK.

The SDK is imported on the first generation, never at cold start, so the file
routes do not pay for it.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from files_api.errors import Unavailable, UpstreamError
from files_api.generators import Generated, Wanted, looks_like
from files_api.settings import Settings

if TYPE_CHECKING:
    from openai import OpenAI

SYSTEM_PROMPT = {
    "txt": "Write the content of a plain text file as the user asks. Answer with the file only.",
    "md": "Write the content of a Markdown file as the user asks. Answer with the file only.",
}
VOICE = "alloy"


@contextmanager
def _translated() -> Iterator[None]:
    """Upstream failures as 502/503, with Retry-After when the server said."""
    import openai

    try:
        yield
    except openai.APIStatusError as exc:
        retry_after = exc.response.headers.get("retry-after")
        headers = {"Retry-After": retry_after} if retry_after else {}
        if exc.status_code == 429:
            raise Unavailable("the generation backend is rate limiting", headers=headers) from exc
        raise UpstreamError(
            f"the generation backend answered HTTP {exc.status_code}", headers=headers
        ) from exc
    except openai.APITimeoutError as exc:
        raise Unavailable("the generation backend timed out") from exc
    except openai.APIConnectionError as exc:
        raise UpstreamError("the generation backend is unreachable") from exc
    except openai.OpenAIError as exc:  # e.g. an answer that does not parse
        raise UpstreamError("the generation backend answered something unusable") from exc


class OpenAIGenerator:
    """Text via chat completions, images via the images API, audio via text-to-speech."""

    backend = "openai"

    def __init__(self, settings: Settings, api_key: Callable[[], str | None]) -> None:
        self.settings = settings
        self._api_key = api_key
        self._client: tuple[str, OpenAI] | None = None

    def client(self) -> OpenAI:
        key = self._api_key()
        if key is None:
            raise Unavailable(
                f"generation needs an OpenAI API key: set {self.settings.openai_api_key.where}"
            )
        # One client per key: a rotated key gets a fresh client, warm ones reuse theirs.
        if self._client is None or self._client[0] != key:
            from openai import OpenAI

            client = OpenAI(
                api_key=key,
                base_url=self.settings.openai_base_url,
                timeout=self.settings.openai_timeout_seconds,
                # API Gateway gives up after ~30 s: the client retries, not the function.
                max_retries=0,
            )
            self._client = (key, client)
        return self._client[1]

    def generate(self, wanted: Wanted) -> Generated:
        client = self.client()
        with _translated():
            if wanted.kind == "text":
                body, model = self._text(client, wanted), self.settings.openai_text_model
            elif wanted.kind == "image":
                body, model = self._image(client, wanted), self.settings.openai_image_model
            else:
                body, model = self._speech(client, wanted), self.settings.openai_speech_model
        if not body or not looks_like(wanted.format, body):
            raise UpstreamError(f"the generation backend did not answer a {wanted.format} file")
        return Generated(body, self.backend, model)

    def _text(self, client: OpenAI, wanted: Wanted) -> bytes:
        completion = client.chat.completions.create(
            model=self.settings.openai_text_model,
            messages=[
                {"role": "system", "content": SYSTEM_PROMPT[wanted.format]},
                {"role": "user", "content": wanted.prompt},
            ],
        )
        content = completion.choices[0].message.content if completion.choices else None
        return (content or "").encode("utf-8")

    def _image(self, client: OpenAI, wanted: Wanted) -> bytes:
        extra: dict[str, Any] = {}
        if wanted.format != "png":  # PNG is every image model's default
            extra["output_format"] = wanted.format
        result = client.images.generate(
            model=self.settings.openai_image_model, prompt=wanted.prompt, n=1, **extra
        )
        image = result.data[0] if result.data else None
        if image is not None and image.b64_json:
            return base64.b64decode(image.b64_json)
        if image is not None and image.url:
            return self._download(image.url)
        return b""

    def _download(self, url: str) -> bytes:
        import urllib.error
        import urllib.request

        if not url.startswith(("https://", "http://")):
            raise UpstreamError("the generated image's URL is not an http(s) URL")
        try:
            timeout = self.settings.openai_timeout_seconds
            with urllib.request.urlopen(url, timeout=timeout) as answer:
                data: bytes = answer.read()
        except (urllib.error.URLError, OSError) as exc:
            raise UpstreamError("the generated image could not be downloaded") from exc
        return data

    def _speech(self, client: OpenAI, wanted: Wanted) -> bytes:
        response = client.audio.speech.create(
            model=self.settings.openai_speech_model,
            voice=VOICE,
            input=wanted.prompt,
            response_format=wanted.format,  # type: ignore[arg-type]
        )
        data: bytes = response.read()
        return data
