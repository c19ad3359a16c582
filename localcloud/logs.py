"""A function's log lines, to the console and to its log group in the local AWS, as on Lambda."""

from __future__ import annotations

import contextlib
import queue
import sys
import threading
import time
import uuid
from typing import TYPE_CHECKING, TextIO

from localcloud.reports import Report

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient

# Each PutLogEvents call costs the gateway CPU: batch a second of lines into one.
FLUSH_SECONDS = 1.0
# PutLogEvents takes at most 10,000 events per call; stay well under it.
BATCH = 1000


def log_group(function_name: str) -> str:
    return f"/aws/lambda/{function_name}"


def new_stream_name() -> str:
    """A log stream name as Lambda makes one for each execution environment."""
    return time.strftime("%Y/%m/%d/[$LATEST]", time.gmtime()) + uuid.uuid4().hex


class LogSink:
    """Writes each line to the console and ships it to CloudWatch Logs in batches, both from a
    thread of its own: an invocation only queues its lines."""

    def __init__(
        self, logs: CloudWatchLogsClient | None, group: str, console: TextIO = sys.stdout
    ) -> None:
        self.logs = logs
        self.group = group
        self.console = console
        # (stream, timestamp, lines): an invocation's lines at one point go in one item, so the
        # thread wakes once for them, not once a line.
        self.pending: queue.Queue[tuple[str, int, tuple[str, ...]] | None] = queue.Queue()
        self.streams: set[str] = set()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def write(self, stream: str, *lines: str) -> None:
        if lines:
            self.pending.put((stream, int(time.time() * 1000), lines))

    def close(self) -> None:
        """Write and ship what is queued, then stop."""
        self.pending.put(None)
        self.thread.join(10)

    def _take(self, timeout: float) -> tuple[list[tuple[str, int, str]], bool]:
        """What is queued, waiting up to `timeout` for the first line; and whether to stop."""
        taken: list[tuple[str, int, str]] = []
        try:
            item = self.pending.get(timeout=timeout)
            while item is not None:
                stream, timestamp, lines = item
                taken += [(stream, timestamp, line) for line in lines]
                item = self.pending.get_nowait()
        except queue.Empty:
            return taken, False
        return taken, True

    def _run(self) -> None:
        if self.logs is not None:
            self._ensure_group()
        batch: dict[str, list[tuple[int, str]]] = {}
        ship_at = time.monotonic() + FLUSH_SECONDS
        closing = False
        while not closing:
            taken, closing = self._take(max(0.0, ship_at - time.monotonic()))
            for stream, timestamp, line in taken:
                self.console.write(line + "\n")
                batch.setdefault(stream, []).append((timestamp, line))
            self.console.flush()
            due = time.monotonic() >= ship_at or sum(map(len, batch.values())) >= BATCH
            if closing or due:
                if self.logs is not None:
                    for stream, events in batch.items():
                        self._put(stream, events)
                batch, ship_at = {}, time.monotonic() + FLUSH_SECONDS

    def _ensure_group(self) -> None:
        assert self.logs is not None
        # Normally made by the deployment, with its retention, as it should be.
        with contextlib.suppress(self.logs.exceptions.ResourceAlreadyExistsException):
            self.logs.create_log_group(logGroupName=self.group)

    def _put(self, stream: str, events: list[tuple[int, str]]) -> None:
        assert self.logs is not None
        try:
            if stream not in self.streams:
                self.logs.create_log_stream(logGroupName=self.group, logStreamName=stream)
                self.streams.add(stream)
            for first in range(0, len(events), BATCH):
                self.logs.put_log_events(
                    logGroupName=self.group,
                    logStreamName=stream,
                    logEvents=[
                        {"timestamp": ts, "message": message}
                        for ts, message in events[first : first + BATCH]
                    ],
                )
        except Exception as exc:  # the console still has the lines; don't kill the shipper
            print(f"(could not ship logs to {self.group}: {exc})", file=self.console, flush=True)


def read_reports(logs: CloudWatchLogsClient, group: str) -> list[Report]:
    """Every REPORT line in `group`, oldest first; none if the group does not exist."""
    found: list[Report] = []
    try:
        for page in logs.get_paginator("filter_log_events").paginate(logGroupName=group):
            found += filter(None, (Report.parse(e["message"]) for e in page["events"]))
    except logs.exceptions.ResourceNotFoundException:
        return []
    return found
