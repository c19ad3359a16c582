"""`invoke logs`: a log group's events, once or followed."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from shipper.errors import ShipError

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient

_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"(\d+)([smhd]?)")


def parse_since(text: str) -> int:
    """A duration as `aws logs tail --since` takes it ("600", "90s", "10m", "2h", "1d"), in s."""
    match = _DURATION.fullmatch(text.strip().lower())
    if match is None:
        raise ShipError(
            f"--since {text!r} is not a duration: give seconds (600) or a number with s, m, h "
            "or d (90s, 10m, 2h, 1d)"
        )
    return int(match[1]) * _UNITS[match[2]]


def events(logs: CloudWatchLogsClient, group: str, start_ms: int) -> Iterator[dict[str, Any]]:
    """Every event of `group` from `start_ms` on, across pages, oldest first."""
    paginator = logs.get_paginator("filter_log_events")
    for page in paginator.paginate(logGroupName=group, startTime=start_ms):
        for event in page.get("events", []):
            yield dict(event)


def line(event: dict[str, Any]) -> str:
    """One event as a line: UTC time, stream, message."""
    when = datetime.fromtimestamp(event["timestamp"] / 1000, tz=UTC)
    message = str(event.get("message", "")).rstrip("\n")
    return f"{when:%Y-%m-%d %H:%M:%S.%f}"[:-3] + f" {event.get('logStreamName', '')} {message}"


def tail(
    logs: CloudWatchLogsClient,
    group: str,
    since_seconds: int,
    *,
    follow: bool = False,
    show: Callable[[str], None] = print,
    poll_seconds: float = 2.0,
) -> int:
    """Show the last `since_seconds` of `group`; with `follow`, keep polling until interrupted.
    Returns how many events were shown."""
    start = int((time.time() - since_seconds) * 1000)
    seen: set[str] = set()
    while True:
        for event in events(logs, group, start):
            if event["eventId"] not in seen:
                seen.add(event["eventId"])
                show(line(event))
                start = max(start, event["timestamp"])
        if not follow:
            return len(seen)
        time.sleep(poll_seconds)
