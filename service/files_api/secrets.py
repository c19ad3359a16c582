"""Secrets: a plain value from the environment, or an SSM SecureString fetched on first use.

Fetched values are cached for a TTL in the execution environment's global scope,
so warm invocations cost no SSM call and a rotated secret is picked up within the
TTL without a redeploy.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from files_api.errors import ConfigurationError
from files_api.settings import PLACEHOLDER, Secret

if TYPE_CHECKING:
    from mypy_boto3_ssm import SSMClient


class Secrets:
    """Resolves `Secret`s; the SSM client is injectable and created lazily."""

    def __init__(
        self,
        ttl_seconds: float = 300.0,
        *,
        ssm: SSMClient | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self._ssm = ssm
        self._clock = clock
        self._cache: dict[str, tuple[float, str | None]] = {}

    @property
    def ssm(self) -> SSMClient:
        if self._ssm is None:
            from files_api.aws import ssm_client

            self._ssm = ssm_client()
        return self._ssm

    def clear(self) -> None:
        """Forget cached values (tests, or to force a refetch)."""
        self._cache.clear()

    def get(self, secret: Secret) -> str | None:
        """The secret's value, or None when nobody has set it yet."""
        if secret.value is not None or secret.parameter is None:
            return secret.value
        cached = self._cache.get(secret.parameter)
        now = self._clock()
        if cached is not None and now - cached[0] < self.ttl_seconds:
            return cached[1]
        value = self._fetch(secret)
        self._cache[secret.parameter] = (now, value)
        return value

    def _fetch(self, secret: Secret) -> str | None:
        from botocore.exceptions import BotoCoreError, ClientError

        assert secret.parameter is not None
        try:
            response = self.ssm.get_parameter(Name=secret.parameter, WithDecryption=True)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "error")
            raise ConfigurationError(f"cannot read {secret.where}: {code}") from exc
        except BotoCoreError as exc:
            raise ConfigurationError(f"cannot read {secret.where}: SSM unreachable") from exc
        value = response["Parameter"].get("Value", "").strip()
        return None if value in ("", PLACEHOLDER) else value
