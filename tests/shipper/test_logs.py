from __future__ import annotations

import time

import boto3
import pytest

from shipper import logs
from shipper.errors import ShipError


@pytest.mark.integration
def test_tail_shows_the_groups_recent_events_oldest_first(
    moto_endpoint: str, aws_credentials: None
) -> None:
    client = boto3.client("logs", endpoint_url=moto_endpoint, region_name="us-east-1")
    client.create_log_group(logGroupName="/aws/lambda/tail-test")
    client.create_log_stream(logGroupName="/aws/lambda/tail-test", logStreamName="s1")
    now = int(time.time() * 1000)
    client.put_log_events(
        logGroupName="/aws/lambda/tail-test",
        logStreamName="s1",
        logEvents=[
            {"timestamp": now - 3_600_000, "message": "an hour ago"},
            {"timestamp": now - 2000, "message": "START RequestId: 1\n"},
            {"timestamp": now - 1000, "message": "END RequestId: 1"},
        ],
    )
    shown: list[str] = []

    count = logs.tail(client, "/aws/lambda/tail-test", 600, show=shown.append)

    assert count == 2
    assert [line.split(" ", 3)[3] for line in shown] == ["START RequestId: 1", "END RequestId: 1"]
    assert all(" s1 " in line for line in shown)


def test_line_formats_time_in_utc_with_milliseconds() -> None:
    event = {"timestamp": 1_700_000_000_123, "logStreamName": "s", "message": "hi\n"}

    assert logs.line(event) == "2023-11-14 22:13:20.123 s hi"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("600", 600), ("90s", 90), ("10m", 600), ("2h", 7200), ("1d", 86400), (" 5M ", 300)],
)
def test_since_takes_seconds_or_a_number_with_a_unit(text: str, seconds: int) -> None:
    assert logs.parse_since(text) == seconds


@pytest.mark.parametrize("text", ["", "m", "1w", "-5", "1.5h", "10 minutes"])
def test_since_that_is_not_a_duration_says_what_to_give(text: str) -> None:
    with pytest.raises(ShipError, match=r"give seconds \(600\) or a number with s, m, h or d"):
        logs.parse_since(text)
