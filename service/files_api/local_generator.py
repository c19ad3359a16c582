"""The `local` generator: deterministic and offline. Same prompt, same bytes.

It draws real files: a PNG whose colours come from the prompt's hash, a WAV
of tones chosen the same way, a text file quoting the prompt.
"""

from __future__ import annotations

import hashlib
import io
import math
import struct
import wave
import zlib

from files_api.errors import InvalidParameter
from files_api.generators import Generated, Wanted

SIDE = 64  # image width and height, pixels
CELLS = 8  # the image is a CELLS x CELLS grid of colours
RATE = 16_000  # audio samples per second
NOTE_SECONDS = 0.125


def _png(prompt: str) -> bytes:
    seed = hashlib.sha512(prompt.encode()).digest() * 4  # 256 bytes: a colour per cell
    cell = SIDE // CELLS
    rows = []
    for y in range(SIDE):
        pixels = bytearray()
        for x in range(SIDE):
            index = 3 * ((y // cell) * CELLS + x // cell) % (len(seed) - 2)
            pixels += seed[index : index + 3]
        rows.append(b"\x00" + bytes(pixels))  # filter type 0 per scanline

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", SIDE, SIDE, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def _wav(prompt: str) -> bytes:
    notes = hashlib.sha256(prompt.encode()).digest()[:8]
    samples = bytearray()
    per_note = int(RATE * NOTE_SECONDS)
    for note in notes:
        frequency = 220.0 * 2 ** ((note % 24) / 12)  # two octaves up from A3
        for n in range(per_note):
            value = int(12_000 * math.sin(2 * math.pi * frequency * n / RATE))
            samples += struct.pack("<h", value)
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(bytes(samples))
    return out.getvalue()


def _text(prompt: str, fmt: str) -> bytes:
    digest = hashlib.sha256(prompt.encode()).hexdigest()[:12]
    if fmt == "md":
        return f"# Generated\n\n> {prompt}\n\nGenerated offline, id `{digest}`.\n".encode()
    return f"Generated\n\n{prompt}\n\nGenerated offline, id {digest}.\n".encode()


class LocalGenerator:
    """Offline files, for development, tests and the local cloud."""

    backend = "local"
    model = "local-v1"

    def generate(self, wanted: Wanted) -> Generated:
        if wanted.kind == "text":
            body = _text(wanted.prompt, wanted.format)
        elif wanted.format == "png":
            body = _png(wanted.prompt)
        elif wanted.format == "wav":
            body = _wav(wanted.prompt)
        else:
            raise InvalidParameter(
                f"the local generator makes .png images and .wav audio, not {wanted.format}: "
                "use one of those, or set GENERATOR=openai"
            )
        return Generated(body, self.backend, self.model)
