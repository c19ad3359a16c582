from __future__ import annotations

import pytest

from localcloud import pricing, reports
from localcloud.reports import Report

COLD = Report("r-1", 12.345, 250, 512, 90, init_ms=237.5)
WARM = Report("r-2", 3.2, 4, 512, 91)
TIMEOUT = Report("r-3", 3000.0, 3000, 512, 91, status="timeout")


@pytest.mark.parametrize("report", [COLD, WARM, TIMEOUT], ids=["cold", "warm", "timeout"])
def test_report_line_parses_back(report: Report) -> None:
    assert Report.parse(report.line()) == Report(
        report.request_id,
        round(report.duration_ms, 2),
        report.billed_ms,
        report.memory_size_mb,
        report.max_memory_used_mb,
        report.init_ms,
        report.status,
    )


def test_report_line_reads_as_lambdas() -> None:
    assert COLD.line() == (
        "REPORT RequestId: r-1\tDuration: 12.35 ms\tBilled Duration: 250 ms\t"
        "Memory Size: 512 MB\tMax Memory Used: 90 MB\tInit Duration: 237.50 ms\t"
    )
    assert Report.parse("START RequestId: r-1 Version: $LATEST") is None


def test_billed_duration_rounds_up_and_includes_init() -> None:
    assert reports.billed_ms(3.01, None) == 4
    assert reports.billed_ms(0.2, None) == 1
    assert reports.billed_ms(3.5, 100.25) == 104


def test_estimate_prices_a_million_requests_at_average_billed_duration() -> None:
    estimate = pricing.estimate([COLD, WARM], "arm64")

    assert estimate is not None
    assert (estimate.invocations, estimate.cold_starts) == (2, 1)
    assert estimate.average_billed_ms == 127.0
    # 1e6 x 0.127 s x 0.5 GB x arm64's price per GB-second
    assert estimate.compute == pytest.approx(1e6 * 0.127 * 0.5 * 0.0000133334)
    assert estimate.total == pytest.approx(estimate.compute + 0.20 + 1.00)
    assert "per million requests" in estimate.describe()


def test_estimate_without_reports_is_none() -> None:
    assert pricing.estimate([], "x86_64") is None
