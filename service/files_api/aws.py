"""AWS clients, created through botocore directly.

`boto3` itself is not needed: importing it pulls in s3transfer and its
transfer manager (~100 ms of a cold start) for features the service never
uses. The clients are the same botocore clients boto3 would return, and read
the same environment (region, credentials, AWS_ENDPOINT_URL).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.session import Session
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_ssm import SSMClient

_session: Session | None = None


def session() -> Session:
    """One botocore session per execution environment: clients share its loaded data."""
    global _session
    if _session is None:
        from botocore.session import get_session

        _session = get_session()
    return _session


def reset() -> None:
    """Forget the session (tests that change the environment)."""
    global _session
    _session = None


def _client(service: str, **config: Any) -> Any:
    from botocore.config import Config

    return session().create_client(service, config=Config(**config) if config else None)


def s3_client() -> S3Client:
    # SigV4 presigned URLs: required for KMS-encrypted objects and newer regions.
    client: S3Client = _client("s3", signature_version="s3v4")
    return client


def ssm_client() -> SSMClient:
    client: SSMClient = _client("ssm")
    return client
