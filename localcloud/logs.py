"""A function's log lines, to the console and to its log group in the local AWS, as on Lambda."""

from __future__ import annotations

import collections
import contextlib
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
# The console gets lines this often at most: the sink's thread wakes once for all the lines of
# a window, rather than once an invocation, where it would contend with the request for the GIL.
CONSOLE_SECONDS = 0.05
# PutLogEvents takes at most 10,000 events per call; stay well under it.
BATCH = 1000


def log_group(function_name: str) -> str:
    return f"/aws/lambda/{function_name}"


def new_stream_name() -> str:
    """A log stream name as Lambda makes one for each execution environment."""
    return time.strftime("%Y/%m/%d/[$LATEST]", time.gmtime()) + uuid.uuid4().hex


class LogSink:
    """Writes each line to the console and ships it to CloudWatch Logs in batches, both from a
    thread of its own: an invocation only queues its lines, and wakes that thread only when it
    is asleep with nothing queued."""

    def __init__(
        self, logs: CloudWatchLogsClient | None, group: str, console: TextIO = sys.stdout
    ) -> None:
        self.logs = logs
        self.group = group
        self.console = console
        # (stream, timestamp, lines); appending to a deque needs no lock.
        self.pending: collections.deque[tuple[str, int, tuple[str, ...]]] = collections.deque()
        self.wake = threading.Event()
        self.closing = False
        self.streams: set[str] = set()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def write(self, stream: str, *lines: str) -> None:
        if lines:
            self.pending.append((stream, int(time.time() * 1000), lines))
            if not self.wake.is_set():
                self.wake.set()

    def close(self) -> None:
        """Write and ship what is queued, then stop."""
        self.closing = True
        self.wake.set()
        self.thread.join(10)

    def _take(self) -> list[tuple[str, int, str]]:
        taken: list[tuple[str, int, str]] = []
        while self.pending:
            stream, timestamp, lines = self.pending.popleft()
            taken += [(stream, timestamp, line) for line in lines]
        return taken

    def _run(self) -> None:
        if self.logs is not None:
            self._ensure_group()
        batch: dict[str, list[tuple[int, str]]] = {}
        ship_at = time.monotonic() + FLUSH_SECONDS
        while True:
            # Asleep until a line comes, or until the batch is due...
            woken = self.wake.wait(None if not batch else max(0.0, ship_at - time.monotonic()))
            if woken and not self.closing:  # ...then a window for the lines that follow it
                time.sleep(CONSOLE_SECONDS)
            # Cleared before taking: a line (or close) from now on sets it again.
            self.wake.clear()
            closing = self.closing
            taken = self._take()
            for stream, timestamp, line in taken:
                self.console.write(line + "\n")
                batch.setdefault(stream, []).append((timestamp, line))
            if taken:
                self.console.flush()
            due = time.monotonic() >= ship_at or sum(map(len, batch.values())) >= BATCH
            if closing or due:
                if self.logs is not None:
                    for stream, events in batch.items():
                        self._put(stream, events)
                batch, ship_at = {}, time.monotonic() + FLUSH_SECONDS
            if closing:
                return

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
