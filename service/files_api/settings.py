"""Settings, read from the environment in one place, once per cold start."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from files_api.errors import ConfigurationError

GENERATORS = ("local", "openai")
# Lambda carries at most 6 MB per request and response, and binary bodies travel
# base64-encoded (4/3 larger): 4 MiB of file plus headers stays under the limit.
DEFAULT_INLINE_LIMIT = 4 * 1024 * 1024
# What Terraform writes into a parameter it creates: a value nobody set yet.
PLACEHOLDER = "unset"
TRUE = ("1", "true", "yes", "on")


def _plain(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return None if value in ("", PLACEHOLDER) else value


def _number(env: Mapping[str, str], name: str, default: float, minimum: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a number, not {raw!r}") from None
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum:g}")
    return value


@dataclass(frozen=True)
class Secret:
    """Where a secret comes from: a plain env var value, or an SSM parameter to fetch on use."""

    setting: str  # the env var that holds the plain value, e.g. API_TOKENS
    value: str | None = None
    parameter: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str], setting: str) -> Secret:
        parameter_setting = f"{setting}_PARAMETER"
        return cls(setting, _plain(env, setting), _plain(env, parameter_setting))

    @property
    def where(self) -> str:
        """What an operator should set, for messages."""
        if self.parameter:
            return f"the SSM parameter {self.parameter} ({self.setting}_PARAMETER)"
        return f"{self.setting} or {self.setting}_PARAMETER"


@dataclass(frozen=True)
class Settings:
    """What the service needs to know about where it runs."""

    bucket: str
    api_tokens: Secret
    openai_api_key: Secret
    auth_disabled: bool = False
    generator: str = "local"
    openai_base_url: str | None = None
    openai_text_model: str = "gpt-4o-mini"
    openai_image_model: str = "gpt-image-1"
    openai_speech_model: str = "gpt-4o-mini-tts"
    openai_timeout_seconds: float = 25.0
    secrets_ttl_seconds: float = 300.0
    inline_limit_bytes: int = DEFAULT_INLINE_LIMIT
    presigned_url_seconds: int = 900

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read settings; a missing or invalid one raises `ConfigurationError` naming it."""
        env = os.environ if environ is None else environ
        bucket = _plain(env, "FILES_BUCKET")
        if not bucket:
            raise ConfigurationError("FILES_BUCKET is not set: name the bucket that stores files")
        generator = env.get("GENERATOR", "").strip().lower() or "local"
        if generator not in GENERATORS:
            raise ConfigurationError(f"GENERATOR must be one of {', '.join(GENERATORS)}")
        defaults = cls(bucket, Secret("API_TOKENS"), Secret("OPENAI_API_KEY"))
        return cls(
            bucket=bucket,
            api_tokens=Secret.from_env(env, "API_TOKENS"),
            openai_api_key=Secret.from_env(env, "OPENAI_API_KEY"),
            auth_disabled=env.get("AUTH_DISABLED", "").strip().lower() in TRUE,
            generator=generator,
            openai_base_url=_plain(env, "OPENAI_BASE_URL"),
            openai_text_model=_plain(env, "OPENAI_TEXT_MODEL") or defaults.openai_text_model,
            openai_image_model=_plain(env, "OPENAI_IMAGE_MODEL") or defaults.openai_image_model,
            openai_speech_model=_plain(env, "OPENAI_SPEECH_MODEL") or defaults.openai_speech_model,
            openai_timeout_seconds=_number(env, "OPENAI_TIMEOUT_SECONDS", 25.0, 1),
            secrets_ttl_seconds=_number(env, "SECRETS_TTL_SECONDS", 300.0, 0),
            inline_limit_bytes=int(_number(env, "INLINE_LIMIT_BYTES", DEFAULT_INLINE_LIMIT, 1)),
            presigned_url_seconds=int(_number(env, "PRESIGNED_URL_SECONDS", 900, 1)),
        )
