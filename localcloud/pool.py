"""Execution environments for one function: created on demand, reused while warm."""

from __future__ import annotations

import threading
from collections.abc import Callable

from localcloud.sandbox import Sandbox


class Pool:
    """At most `limit` environments at once; an idle one is reused before a new one starts."""

    def __init__(self, factory: Callable[[], Sandbox], limit: int) -> None:
        self.factory = factory
        self.limit = limit
        self.idle: list[Sandbox] = []
        self.count = 0
        self.lock = threading.Lock()

    def acquire(self) -> Sandbox | None:
        """A warm environment, a new one (cold start), or None when at the limit (throttled)."""
        with self.lock:
            if self.idle:
                return self.idle.pop()
            if self.count >= self.limit:
                return None
            self.count += 1
        sandbox = self.factory()
        try:
            sandbox.start()
        except BaseException:
            self._discard(sandbox)
            raise
        return sandbox

    def release(self, sandbox: Sandbox, *, healthy: bool) -> None:
        """Return an environment after an invocation; an unhealthy one is replaced next time."""
        if healthy:
            with self.lock:
                self.idle.append(sandbox)
        else:
            self._discard(sandbox)

    def _discard(self, sandbox: Sandbox) -> None:
        sandbox.stop()
        with self.lock:
            self.count -= 1

    def close(self) -> None:
        with self.lock:
            idle, self.idle = self.idle, []
        for sandbox in idle:
            sandbox.stop()
