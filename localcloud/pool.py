"""Execution environments for one function: created on demand, reused while warm, shut down
after an idle period, never more at once than the function's concurrency."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from localcloud.sandbox import Sandbox


class Throttled(Exception):
    """Every environment the function may have is busy: Lambda throttles the invocation."""


class Pool:
    """At most `limit` environments at once; the most recently used idle one is reused first."""

    def __init__(
        self, factory: Callable[[], Sandbox], limit: int, idle_seconds: float = 300.0
    ) -> None:
        self.factory = factory
        self.limit = limit
        self.idle_seconds = idle_seconds
        self.idle: list[tuple[float, Sandbox]] = []  # (monotonic time released, environment)
        self.count = 0
        self.lock = threading.Lock()
        self.closed = threading.Event()
        self.reaper = threading.Thread(target=self._reap, daemon=True)
        self.reaper.start()

    def acquire(self) -> tuple[Sandbox, bool]:
        """A warm environment, or a new one (the caller starts it: the cold start); and whether
        it is new. Raises `Throttled` at the limit."""
        with self.lock:
            if self.idle:
                return self.idle.pop()[1], False
            if self.count >= self.limit:
                raise Throttled(f"{self.count} of {self.limit} environments are busy")
            self.count += 1
        try:
            return self.factory(), True
        except BaseException:
            with self.lock:
                self.count -= 1
            raise

    def release(self, sandbox: Sandbox, *, healthy: bool) -> None:
        """Return an environment after an invocation; an unhealthy one is shut down."""
        if healthy and not self.closed.is_set():
            with self.lock:
                self.idle.append((time.monotonic(), sandbox))
        else:
            self.discard(sandbox)

    def discard(self, sandbox: Sandbox) -> None:
        sandbox.stop()
        with self.lock:
            self.count -= 1

    def _reap(self) -> None:
        """Shut down environments idle for longer than `idle_seconds`, as Lambda does."""
        while not self.closed.wait(min(1.0, max(0.05, self.idle_seconds / 4))):
            cutoff = time.monotonic() - self.idle_seconds
            with self.lock:
                expired = [sandbox for released, sandbox in self.idle if released < cutoff]
                self.idle = [(t, s) for t, s in self.idle if t >= cutoff]
            for sandbox in expired:
                self.discard(sandbox)

    def close(self) -> None:
        self.closed.set()
        with self.lock:
            idle, self.idle = self.idle, []
        for _, sandbox in idle:
            self.discard(sandbox)
