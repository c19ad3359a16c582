"""Settings, read from the environment in one place, once per cold start."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from files_api.errors import ConfigurationError


@dataclass(frozen=True)
class Settings:
    """What the service needs to know about where it runs."""

    bucket: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read settings; a missing required key raises naming the key."""
        env = os.environ if environ is None else environ
        bucket = env.get("FILES_BUCKET", "")
        if not bucket:
            raise ConfigurationError(
                "FILES_BUCKET is not set: name the S3 bucket that stores files"
            )
        return cls(bucket=bucket)
