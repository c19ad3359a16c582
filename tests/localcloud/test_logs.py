"""The log sink: lines to the console in order, from a thread woken once for a burst."""

from __future__ import annotations

import io
import time

from localcloud import logs


class _Console(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.flushes = 0

    def flush(self) -> None:
        self.flushes += 1
        super().flush()


def test_lines_reach_the_console_in_order_and_close_writes_the_rest() -> None:
    console = _Console()
    sink = logs.LogSink(None, "/aws/lambda/f", console)

    for i in range(3):
        sink.write("stream", f"START {i}", f"output {i}")
        sink.write("stream", f"END {i}")
    sink.close()

    expected = [f"{kind} {i}" for i in range(3) for kind in ("START", "output", "END")]
    assert console.getvalue().splitlines() == expected
    assert not sink.thread.is_alive()


def test_invocations_close_together_wake_the_sink_once() -> None:
    console = _Console()
    sink = logs.LogSink(None, "/aws/lambda/f", console)

    for i in range(10):  # ~10 ms apart in all: within one of the sink's windows
        sink.write("stream", f"line {i}")
        time.sleep(0.001)
    sink.close()

    assert len(console.getvalue().splitlines()) == 10
    # One wake-up for the lot, or a few on a slow machine; not one a line.
    assert console.flushes <= 3


def test_nothing_written_is_nothing_flushed() -> None:
    console = _Console()
    sink = logs.LogSink(None, "/aws/lambda/f", console)

    sink.write("stream")
    sink.close()

    assert (console.getvalue(), console.flushes) == ("", 0)
