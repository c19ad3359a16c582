"""Lambda's per-invocation log lines: START, END and REPORT (and INIT_REPORT for a failed init),
written and read back."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

VERSION = "$LATEST"
_FIELD = re.compile(r"(?P<name>[A-Za-z ]+): (?P<value>[^\t]+?)(?: ms| MB)?(?:\t|$)")


def start_line(request_id: str) -> str:
    return f"START RequestId: {request_id} Version: {VERSION}"


def end_line(request_id: str) -> str:
    return f"END RequestId: {request_id}"


def init_report_line(init_ms: float, status: str, error_type: str | None) -> str:
    """The line Lambda writes when an environment's init phase fails ("error" or "timeout")."""
    fields = [f"INIT_REPORT Init Duration: {init_ms:.2f} ms", "Phase: init", f"Status: {status}"]
    if error_type is not None:
        fields.append(f"Error Type: {error_type}")
    return "\t".join(fields)


def billed_ms(duration_ms: float, init_ms: float | None) -> int:
    """Lambda bills each invocation by the millisecond, rounded up; since August 2025 the init
    phase of a cold start on a managed runtime is billed too."""
    return max(1, math.ceil(duration_ms + (init_ms or 0.0)))


@dataclass(frozen=True)
class Report:
    """One REPORT line's values."""

    request_id: str
    duration_ms: float
    billed_ms: int
    memory_size_mb: int
    max_memory_used_mb: int
    init_ms: float | None = None
    status: str | None = None  # None for success; "timeout" or "error" otherwise
    error_type: str | None = None  # with status "error", e.g. Runtime.ExitError

    def line(self) -> str:
        fields = [
            f"REPORT RequestId: {self.request_id}",
            f"Duration: {self.duration_ms:.2f} ms",
            f"Billed Duration: {self.billed_ms} ms",
            f"Memory Size: {self.memory_size_mb} MB",
            f"Max Memory Used: {self.max_memory_used_mb} MB",
        ]
        if self.init_ms is not None:
            fields.append(f"Init Duration: {self.init_ms:.2f} ms")
        if self.status is not None:
            fields.append(f"Status: {self.status}")
        if self.error_type is not None:
            fields.append(f"Error Type: {self.error_type}")
        return "\t".join(fields) + "\t"

    @classmethod
    def parse(cls, line: str) -> Report | None:
        """The values of a REPORT line, or None if `line` is not one."""
        if not line.startswith("REPORT RequestId: "):
            return None
        values = {
            m["name"].strip(): m["value"] for m in _FIELD.finditer(line.removeprefix("REPORT "))
        }
        try:
            return cls(
                request_id=values["RequestId"],
                duration_ms=float(values["Duration"]),
                billed_ms=int(values["Billed Duration"]),
                memory_size_mb=int(values["Memory Size"]),
                max_memory_used_mb=int(values["Max Memory Used"]),
                init_ms=float(values["Init Duration"]) if "Init Duration" in values else None,
                status=values.get("Status"),
                error_type=values.get("Error Type"),
            )
        except (KeyError, ValueError):
            return None
