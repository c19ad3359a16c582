"""Generators: what makes a file's bytes from a prompt. The backend is a setting.

`local` is deterministic and offline; `openai` talks to any OpenAI-compatible
server and is imported only when a generation is asked for.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from files_api.errors import InvalidParameter

MAX_PROMPT_CHARS = 4000
# kind -> extension -> (format name, Content-Type)
FORMATS: dict[str, dict[str, tuple[str, str]]] = {
    "text": {
        ".txt": ("txt", "text/plain; charset=utf-8"),
        ".md": ("md", "text/markdown; charset=utf-8"),
    },
    "image": {
        ".png": ("png", "image/png"),
        ".jpg": ("jpeg", "image/jpeg"),
        ".jpeg": ("jpeg", "image/jpeg"),
        ".webp": ("webp", "image/webp"),
    },
    "audio": {
        ".mp3": ("mp3", "audio/mpeg"),
        ".wav": ("wav", "audio/wav"),
        ".opus": ("opus", "audio/ogg"),
        ".aac": ("aac", "audio/aac"),
        ".flac": ("flac", "audio/flac"),
    },
}


@dataclass(frozen=True)
class Wanted:
    """What to generate: a kind, the file format its extension names, and the prompt."""

    kind: str
    format: str
    content_type: str
    prompt: str


@dataclass(frozen=True)
class Generated:
    body: bytes
    backend: str
    model: str


class Generator(Protocol):
    backend: str

    def generate(self, wanted: Wanted) -> Generated: ...


def wanted(kind: str | None, key: str, prompt: str | None) -> Wanted:
    """Validate a generation request into a `Wanted`, or raise `InvalidParameter` (422)."""
    if kind not in FORMATS:
        raise InvalidParameter(f"type must be one of {', '.join(FORMATS)}")
    extension = posixpath.splitext(key)[1].lower()
    if extension not in FORMATS[kind]:
        raise InvalidParameter(
            f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} file needs one of the extensions "
            f"{', '.join(FORMATS[kind])}"
        )
    if not prompt or not prompt.strip():
        raise InvalidParameter("prompt is required")
    if len(prompt) > MAX_PROMPT_CHARS:
        raise InvalidParameter(f"prompt is longer than {MAX_PROMPT_CHARS} characters")
    fmt, content_type = FORMATS[kind][extension]
    return Wanted(kind, fmt, content_type, prompt)


# Leading bytes of each binary format, to check an upstream answer is what was asked for.
SIGNATURES: dict[str, Callable[[bytes], bool]] = {
    "png": lambda b: b.startswith(b"\x89PNG\r\n\x1a\n"),
    "jpeg": lambda b: b.startswith(b"\xff\xd8\xff"),
    "webp": lambda b: b[:4] == b"RIFF" and b[8:12] == b"WEBP",
    "wav": lambda b: b[:4] == b"RIFF" and b[8:12] == b"WAVE",
    "flac": lambda b: b.startswith(b"fLaC"),
    "opus": lambda b: b.startswith(b"OggS"),
    "mp3": lambda b: b.startswith(b"ID3") or b[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
    "aac": lambda b: b[:2] in (b"\xff\xf1", b"\xff\xf9") or b.startswith(b"ADIF"),
}


def looks_like(fmt: str, body: bytes) -> bool:
    """Whether `body` starts like a file of `fmt` (text formats: any UTF-8)."""
    check = SIGNATURES.get(fmt)
    if check is not None:
        return check(body)
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
