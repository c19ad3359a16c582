"""The service's secrets, kept in SSM Parameter Store and set out of band: never in Terraform."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from shipper.errors import ShipError

if TYPE_CHECKING:
    from mypy_boto3_ssm import SSMClient

# What Terraform writes when it creates a parameter (infra/modules/parameters).
PLACEHOLDER = "unset"


def parameter_name(names: dict[str, str], secret: str) -> str:
    """The parameter of `secret`, from the stack's `parameter_names` output."""
    if secret not in names:
        raise ShipError(f"no secret {secret!r}: the stack has {', '.join(sorted(names))}")
    return names[secret]


def read(ssm: SSMClient, name: str) -> str | None:
    """The secret's value, or None while it holds Terraform's placeholder."""
    value = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"].get("Value", "")
    return None if value in ("", PLACEHOLDER) else value


def write(ssm: SSMClient, name: str, value: str) -> int:
    """Store a new value (a new parameter version); returns the version."""
    if not value.strip():
        raise ShipError("refusing to store an empty secret")
    return ssm.put_parameter(Name=name, Value=value, Type="SecureString", Overwrite=True)["Version"]


def ensure_token(ssm: SSMClient, name: str) -> str:
    """The first API token, creating a random one if none was set (local convenience)."""
    current = read(ssm, name)
    if current is None:
        current = secrets.token_urlsafe(32)
        write(ssm, name, current)
    return current.split(",")[0].strip()
